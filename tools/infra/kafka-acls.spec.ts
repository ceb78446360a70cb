import {
  aclsFor,
  adminConnection,
  adminCredentialsFromEnv,
  checkPrincipals,
  deriveAcls,
  loadPrincipalDeclarations,
  type PrincipalDeclaration,
  ruleKey,
  validatePrincipal,
} from './kafka-acls';
import { loadTopicDeclarations, type TopicDeclaration } from './topics';

const topic = (name: string): TopicDeclaration => ({
  name,
  partitions: 1,
  retentionMs: 1,
  cleanupPolicy: 'delete',
});

describe('Kafka principals and their ACLs (infra/kafka/principals.json)', () => {
  const principals = loadPrincipalDeclarations();
  const byName = new Map(principals.map((principal) => [principal.name, principal]));
  const keysOf = (name: string) => aclsFor(byName.get(name) as PrincipalDeclaration).map(ruleKey);

  it('declares one principal per service, the ones not built yet included, and matches topics.json', () => {
    expect(principals.map((principal) => principal.name).sort()).toEqual(
      ['dossier', 'hotline', 'party-fee', 'reporting', 'signing'].sort(),
    );
    expect(() => checkPrincipals(principals, loadTopicDeclarations())).not.toThrow();
  });

  it('lets dossier write only its own events and dead letters, and read only what it consumes', () => {
    expect(keysOf('dossier').sort()).toEqual(
      [
        'User:dossier TOPIC LITERAL dossier.events.v1 WRITE',
        'User:dossier TOPIC LITERAL audit.events.v1 WRITE',
        'User:dossier TOPIC LITERAL dossier.dlq WRITE',
        'User:dossier TOPIC LITERAL dossier.dlq READ',
        'User:dossier TOPIC LITERAL signing.events.v1 READ',
        'User:dossier GROUP LITERAL dossier READ',
        'User:dossier GROUP PREFIXED dossier. READ',
        'User:dossier GROUP PREFIXED dossier. DELETE',
      ].sort(),
    );
    const writes = deriveAcls(principals).filter((rule) => rule.operation === 'WRITE');
    const writersOfSigning = writes.filter((rule) => rule.resourceName === 'signing.events.v1');
    expect(writersOfSigning.map((rule) => rule.principal)).toEqual(['User:signing']);
  });

  it('lets reporting read every events topic with its group and write only its audit checkpoints and reporting.dlq', () => {
    const keys = keysOf('reporting');
    for (const service of ['dossier', 'signing', 'hotline', 'party-fee'])
      expect(keys).toContain(`User:reporting TOPIC LITERAL ${service}.events.v1 READ`);
    expect(keys.filter((key) => key.endsWith(' WRITE'))).toEqual([
      'User:reporting TOPIC LITERAL audit.events.v1 WRITE',
      'User:reporting TOPIC LITERAL reporting.dlq WRITE',
    ]);
    expect(keys).toContain('User:reporting GROUP LITERAL reporting READ');
  });

  it('lets every service write its audit checkpoints to audit.events.v1, and nobody read it', () => {
    for (const principal of principals)
      expect(keysOf(principal.name)).toContain(`User:${principal.name} TOPIC LITERAL audit.events.v1 WRITE`);
    const onAudit = deriveAcls(principals).filter((rule) => rule.resourceName === 'audit.events.v1');
    expect(new Set(onAudit.map((rule) => rule.operation))).toEqual(new Set(['WRITE']));
    expect(onAudit).toHaveLength(principals.length);
  });

  it('never grants anything on the cluster, on a wildcard or on another principal’s group', () => {
    for (const rule of deriveAcls(principals)) {
      expect(['TOPIC', 'GROUP']).toContain(rule.resourceType);
      expect(rule.resourceName).not.toBe('*');
      if (rule.resourceType === 'GROUP') {
        const owner = rule.principal.slice('User:'.length);
        expect(rule.resourceName === owner || rule.resourceName === `${owner}.`).toBe(true);
      }
    }
    const keys = deriveAcls(principals).map(ruleKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('rejects a declaration that would let a service publish another service’s events', () => {
    const topics = ['dossier.events.v1', 'signing.events.v1', 'dossier.dlq', 'audit.events.v1'].map(topic);
    expect(() =>
      checkPrincipals(
        [{ name: 'dossier', publishes: ['dossier.events.v1', 'signing.events.v1'], consumes: [] }],
        topics,
      ),
    ).toThrow(/may publish only its own topics \(dossier\.\*\), not "signing\.events\.v1"/);
    expect(() =>
      checkPrincipals([{ name: 'dossier', publishes: [], consumes: ['hotline.events.v1'] }], topics),
    ).toThrow(/"hotline.events.v1" is not declared in topics.json/);
    expect(() =>
      checkPrincipals([{ name: 'signing', publishes: ['signing.events.v1'], consumes: [] }], topics),
    ).toThrow(/"signing.dlq" is not declared/);
    const dossier = { name: 'dossier', publishes: [], consumes: [] };
    expect(() => checkPrincipals([dossier, dossier], topics)).toThrow(/declared twice/);
  });

  it('gives an external consumer (issue 18) READ on what it consumes and on its groups, nothing else', () => {
    const portal: PrincipalDeclaration = {
      name: 'national-portal',
      publishes: [],
      consumes: ['dossier.events.v1'],
      external: true,
    };
    expect(aclsFor(portal).map(ruleKey).sort()).toEqual(
      [
        'User:national-portal TOPIC LITERAL dossier.events.v1 READ',
        'User:national-portal GROUP LITERAL national-portal READ',
        'User:national-portal GROUP PREFIXED national-portal. READ',
        'User:national-portal GROUP PREFIXED national-portal. DELETE',
      ].sort(),
    );
    // No dead-letter topic of its own is needed, and a declared topic is still required.
    expect(() => checkPrincipals([portal], [topic('dossier.events.v1')])).not.toThrow();
    expect(() =>
      checkPrincipals([{ ...portal, consumes: ['hotline.events.v1'] }], [topic('dossier.events.v1')]),
    ).toThrow(/"hotline.events.v1" is not declared/);
    expect(() => validatePrincipal({ ...portal, publishes: ['national-portal.events.v1'] }, 'p')).toThrow(
      /only consumes/,
    );
    expect(() => validatePrincipal({ ...portal, external: 'yes' }, 'p')).toThrow(/external must be/);
  });

  it('rejects malformed and reserved principal names', () => {
    expect(() => validatePrincipal({ name: 'Dossier', publishes: [], consumes: [] }, 'p')).toThrow(
      /lower-case service name/,
    );
    expect(() => validatePrincipal({ name: 'admin', publishes: [], consumes: [] }, 'p')).toThrow(/reserved/);
    expect(() => validatePrincipal({ name: 'x', publishes: 'x.events.v1', consumes: [] }, 'p')).toThrow(
      /publishes must be an array/,
    );
  });

  it('takes admin credentials from the environment only when KAFKA_AUTH=scram', () => {
    expect(adminCredentialsFromEnv({})).toBeUndefined();
    expect(adminCredentialsFromEnv({ KAFKA_AUTH: 'none', KAFKA_ADMIN_PASSWORD: 'x' })).toBeUndefined();
    expect(adminCredentialsFromEnv({ KAFKA_AUTH: 'scram', KAFKA_ADMIN_PASSWORD: 'pw' })).toEqual({
      username: 'admin',
      password: 'pw',
    });
    expect(() => adminCredentialsFromEnv({ KAFKA_AUTH: 'scram' })).toThrow(/KAFKA_ADMIN_PASSWORD/);
  });

  it('connects the admin over TLS when KAFKA_SSL=true, trusting KAFKA_SSL_CA_FILE', () => {
    const scram = { KAFKA_AUTH: 'scram', KAFKA_ADMIN_PASSWORD: 'pw', KAFKA_SSL: 'true' };
    expect(adminConnection(adminCredentialsFromEnv(scram)!)).toEqual({
      sasl: { mechanism: 'scram-sha-512', username: 'admin', password: 'pw' },
      ssl: {},
    });
    const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    expect(adminConnection({ username: 'admin', password: 'pw', tls: { ca } }).ssl).toEqual({ ca: [ca] });
    expect(adminConnection(adminCredentialsFromEnv({ ...scram, KAFKA_SSL: 'false' })!).ssl).toBeUndefined();
  });
});
