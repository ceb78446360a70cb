// Issues a development token signed with the local dev key pair (generated on first use into the
// git-ignored .data/dev-keys/). It is the development OpenID Connect provider's signing key
// (tools/oidc): services started by `npm start` verify the token through the provider's JWKS, where
// the key carries the same kid (its RFC 7638 thumbprint); services given JWT_PUBLIC_KEY_FILE, directly.
//
//   SWC_NODE_PROJECT=tools/tsconfig.json node -r @swc-node/register libs/platform/src/cli/issue-token.ts \
//     --role officer --unit 00070 [--unit 00103] [--sub officer-hk-1] [--ttl 8h]
import { parseArgs } from 'node:util';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint, importPKCS8, type JWK, SignJWT } from 'jose';
import { ROLES, isRole } from '../auth/authenticated-user';
import { DEFAULT_DEV_KEY_DIR, ensureDevKeyPair } from '../auth/dev-keys';

const usage = `Usage: issue-token --role <${ROLES.join('|')}> [--role ...] --unit <code> [--unit ...]
                   [--sub <subject>] [--ttl <e.g. 15m, 8h>] [--issuer <iss>] [--audience <aud>]
Defaults: issuer $JWT_ISSUER, audience $JWT_AUDIENCE, key pair in $DEV_KEY_DIR or ${DEFAULT_DEV_KEY_DIR}
(or the PEM in $JWT_PRIVATE_KEY).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      unit: { type: 'string', multiple: true },
      sub: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
      issuer: { type: 'string' },
      audience: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const roles = values.role ?? [];
  const unknown = roles.filter((role) => !isRole(role));
  if (roles.length === 0 || unknown.length > 0) {
    console.error(unknown.length > 0 ? `Unknown role(s): ${unknown.join(', ')}\n${usage}` : usage);
    process.exit(2);
  }
  const units = values.unit ?? [];
  const seesAllUnits = roles.includes('city-admin') || roles.includes('auditor');
  if (units.length === 0 && !seesAllUnits) {
    console.error(
      `A ${roles.join('/')} token needs at least one --unit (a 5-digit unit code such as 00070).`,
    );
    process.exit(2);
  }
  const issuer = values.issuer ?? process.env.JWT_ISSUER ?? 'http://127.0.0.1:8080/realms/hanoi';
  const audience = values.audience ?? process.env.JWT_AUDIENCE ?? 'backbone';
  const privateKeyPem =
    process.env.JWT_PRIVATE_KEY ??
    ensureDevKeyPair(process.env.DEV_KEY_DIR ?? DEFAULT_DEV_KEY_DIR).privateKeyPem;
  const subject = values.sub ?? `dev-${roles[0]}-${units[0] ?? 'city'}`;

  const publicJwk = createPublicKey(createPrivateKey(privateKeyPem)).export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const token = await new SignJWT({ roles, units })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(values.ttl as string)
    .setJti(crypto.randomUUID())
    .sign(await importPKCS8(privateKeyPem, 'ES256'));
  console.log(token);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
