// `npm run secrets:generate [-- --force] [-- --out path]`: writes .env for docker compose from
// .env.example with fresh random keys and passwords. Refuses to overwrite an existing file without
// --force (its keys may be protecting data already).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '../infra/paths';
import { freshSecrets } from './dev-secrets';

/** .env.example's text with every secret line filled with a fresh value. */
export function envWithFreshSecrets(example: string): string {
  const secrets: Record<string, string> = {
    ...freshSecrets(),
    POSTGRES_PASSWORD: randomBytes(24).toString('base64url'),
    // Prometheus sends it to every service's /metrics (compose hands it over as a secret file).
    METRICS_TOKEN: randomBytes(24).toString('base64url'),
    // party-fee's payment callbacks from the national portal: production refuses the development key.
    PORTAL_CALLBACK_KEY: randomBytes(32).toString('base64'),
    // compose runs the services in production mode.
    NODE_ENV: 'production',
  };
  // Every other empty `…_PASSWORD=` line (the broker's SCRAM users, one per service) gets a fresh value
  // too; base64url, since a SCRAM password may not hold spaces, commas or `]` here. KAFKA_SASL_PASSWORD
  // stays empty: compose hands each service its own KAFKA_<NAME>_PASSWORD. ALERT_SMTP_PASSWORD stays
  // empty too: it is the city's mail server's, not one to invent.
  const notOurs = new Set(['KAFKA_SASL_PASSWORD', 'ALERT_SMTP_PASSWORD']);
  for (const match of example.matchAll(/^([A-Z][A-Z0-9_]*_PASSWORD)=$/gm))
    if (!notOurs.has(match[1]!)) secrets[match[1]!] ??= randomBytes(24).toString('base64url');
  const seen = new Set<string>();
  const lines = example.split('\n').map((line) => {
    const match = /^([A-Z][A-Z0-9_]*)=/.exec(line);
    if (!match || !(match[1]! in secrets)) return line;
    seen.add(match[1]!);
    return `${match[1]}=${secrets[match[1]!]}`;
  });
  const missing = Object.keys(secrets).filter((name) => !seen.has(name));
  return [...lines, ...missing.map((name) => `${name}=${secrets[name]}`)].join('\n');
}

function main(): void {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const out = resolve(repoRoot, outIndex >= 0 ? args[outIndex + 1]! : '.env');
  if (existsSync(out) && !args.includes('--force')) {
    process.stderr.write(`${out} exists; its keys may already protect data. Use --force to replace it.\n`);
    process.exit(1);
  }
  writeFileSync(out, envWithFreshSecrets(readFileSync(resolve(repoRoot, '.env.example'), 'utf8')), {
    mode: 0o600,
  });
  process.stdout.write(
    `wrote ${out} with fresh keys and passwords (sign-in: compose's development provider oidc until JWT_ISSUER and JWKS_URL name the city's)\n`,
  );
}

if (require.main === module) main();
