import { resolve } from 'node:path';
import { ensureDevKeyPair } from '@backbone/platform';
import { importPKCS8, SignJWT } from 'jose';

/** The development issuer and audience (tools/stack/dev-secrets.ts), unless JWT_ISSUER/JWT_AUDIENCE say otherwise. */
export const DEMO_JWT_ISSUER = process.env.JWT_ISSUER ?? 'http://127.0.0.1:8080/realms/hanoi';
export const DEMO_JWT_AUDIENCE = process.env.JWT_AUDIENCE ?? 'backbone';

/** A UUIDv7-shaped staff id per unit, so that events name the receiving officer as staff ids do. */
const staffId = (prefix: string, unitCode: string) =>
  `0198a000-0000-7000-${prefix}-${unitCode.padStart(12, '0').slice(-12)}`;

/**
 * The demo's callers, with tokens signed by the development key pair that `npm start` gives the
 * services: an officer and a unit head per unit, the national portal (online submissions), the
 * district migration (imports) and a city-level reader for the reports.
 */
export class DemoTokens {
  private readonly cache = new Map<string, Promise<string>>();
  private keyPromise: ReturnType<typeof importPKCS8> | undefined;

  // tools/simulator/{src,dist}/ → the repository root, whatever the working directory.
  constructor(
    private readonly keyDir = process.env.DEV_KEY_DIR ?? resolve(__dirname, '../../..', '.data', 'dev-keys'),
  ) {}

  officer(unitCode: string): Promise<string> {
    return this.token(`officer:${unitCode}`, staffId('8000', unitCode), ['officer'], [unitCode]);
  }

  unitHead(unitCode: string): Promise<string> {
    return this.token(`head:${unitCode}`, staffId('9000', unitCode), ['unit-head'], [unitCode]);
  }

  /** The demo's signer of a unit (signing flow): a staff id of its own, the `signer` role. */
  signer(unitCode: string, subject: string): Promise<string> {
    return this.token(`signer:${unitCode}:${subject}`, subject, ['signer'], [unitCode]);
  }

  portal(): Promise<string> {
    return this.token('portal', 'national-public-service-portal', ['service'], []);
  }

  migration(): Promise<string> {
    return this.token('migration', 'district-systems-migration', ['service'], []);
  }

  /** Hotline (tools/simulator/src/hotline-workload.ts): a 1022 agent, and a channel's gateway client. */
  hotlineAgent(index: number): Promise<string> {
    return this.token(
      `agent:${index}`,
      staffId('a000', String(index).padStart(5, '0')),
      ['hotline-agent'],
      [],
    );
  }

  hotlineChannel(name: string): Promise<string> {
    return this.token(`channel:${name}`, `${name}-gateway`, ['service'], []);
  }

  cityReader(): Promise<string> {
    return this.token('reader', 'demo-city-admin', ['city-admin'], []);
  }

  private token(cacheKey: string, subject: string, roles: string[], units: string[]): Promise<string> {
    let token = this.cache.get(cacheKey);
    if (!token) {
      token = this.sign(subject, roles, units);
      this.cache.set(cacheKey, token);
    }
    return token;
  }

  private async sign(subject: string, roles: string[], units: string[]): Promise<string> {
    this.keyPromise ??= importPKCS8(
      process.env.JWT_PRIVATE_KEY ?? ensureDevKeyPair(this.keyDir).privateKeyPem,
      'ES256',
    );
    return new SignJWT({ roles, units })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .setIssuer(DEMO_JWT_ISSUER)
      .setAudience(DEMO_JWT_AUDIENCE)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime('4h')
      .setJti(crypto.randomUUID())
      .sign(await this.keyPromise);
  }
}
