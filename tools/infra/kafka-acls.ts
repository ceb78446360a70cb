import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type AclEntry,
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
  type SASLOptions,
} from 'kafkajs';
import type { KafkaTlsOptions } from '@backbone/messaging';
import { kafkaInfraDir } from './paths';
import type { TopicDeclaration } from './topics';

/**
 * One principal per service (infra/kafka/principals.json). Its SCRAM user is its name; everything
 * it may do on the brokers is derived from what it publishes and consumes, so that a new service
 * gets least privilege by declaring two lists, never by writing ACLs by hand.
 */
export interface PrincipalDeclaration {
  name: string;
  /** Events topics it writes (its own `<name>.events.v1`). */
  publishes: string[];
  /** Topics it reads with its consumer group `<name>`. */
  consumes: string[];
  /**
   * An outside system that only consumes (docs/consuming-events.md): READ on what it consumes and on
   * its groups, nothing else — no dead-letter topic, no audit checkpoints, never a write.
   */
  external?: boolean;
}

export type AclOperation = 'READ' | 'WRITE' | 'DELETE';

/** One ALLOW rule, in the broker's terms but independent of the client library. */
export interface AclRule {
  principal: `User:${string}`;
  resourceType: 'TOPIC' | 'GROUP';
  resourceName: string;
  patternType: 'LITERAL' | 'PREFIXED';
  operation: AclOperation;
}

export const deadLetterTopic = (principal: string): string => `${principal}.dlq`;

/**
 * Every service publishes its signed audit checkpoints (`audit.checkpoint.v1`, libs/platform) to this
 * shared topic, so every principal may WRITE it. A service cannot forge another's checkpoints there:
 * each is signed with its service's audit key, and a reader checks the MAC with that key.
 */
export const AUDIT_TOPIC = 'audit.events.v1';

export function loadPrincipalDeclarations(
  file = resolve(kafkaInfraDir, 'principals.json'),
): PrincipalDeclaration[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { principals?: unknown };
  if (!Array.isArray(parsed.principals)) throw new Error(`${file}: "principals" must be an array`);
  return parsed.principals.map((raw, index) => validatePrincipal(raw, `${file} principals[${index}]`));
}

export function validatePrincipal(raw: unknown, where: string): PrincipalDeclaration {
  const principal = raw as Partial<PrincipalDeclaration>;
  // The name becomes a SCRAM user, a group and a topic prefix: keep it to what all three accept.
  if (typeof principal.name !== 'string' || !/^[a-z][a-z0-9-]{0,62}$/.test(principal.name))
    throw new Error(`${where}: name must be a lower-case service name (letters, digits, dashes)`);
  if (principal.name === 'admin' || principal.name === 'controller')
    throw new Error(`${where}: "${principal.name}" is reserved for the brokers' own users`);
  for (const list of ['publishes', 'consumes'] as const) {
    const topics = principal[list];
    if (!Array.isArray(topics) || topics.some((topic) => typeof topic !== 'string'))
      throw new Error(`${where}: ${list} must be an array of topic names`);
  }
  if (principal.external !== undefined && typeof principal.external !== 'boolean')
    throw new Error(`${where}: external must be true or false`);
  if (principal.external && (principal.publishes ?? []).length > 0)
    throw new Error(`${where}: an external principal only consumes (publishes must be empty)`);
  return principal as PrincipalDeclaration;
}

/**
 * Checks the declaration against the declared topics: every topic named exists, a service
 * publishes only its own `<name>.*` topics (so one principal can never forge another's events),
 * names are unique, and every principal's dead-letter topic is declared.
 */
export function checkPrincipals(principals: PrincipalDeclaration[], topics: TopicDeclaration[]): void {
  const declared = new Set(topics.map((topic) => topic.name));
  const names = new Set<string>();
  for (const principal of principals) {
    if (names.has(principal.name)) throw new Error(`principal "${principal.name}" is declared twice`);
    names.add(principal.name);
    const ownTopics = principal.external ? [] : [deadLetterTopic(principal.name), AUDIT_TOPIC];
    for (const topic of [...principal.publishes, ...principal.consumes, ...ownTopics]) {
      if (!declared.has(topic))
        throw new Error(`principal "${principal.name}": topic "${topic}" is not declared in topics.json`);
    }
    for (const topic of principal.publishes) {
      if (!topic.startsWith(`${principal.name}.`))
        throw new Error(
          `principal "${principal.name}" may publish only its own topics (${principal.name}.*), not "${topic}"`,
        );
    }
  }
}

/**
 * The ACLs of one principal. Read and Write imply Describe, and Write on a topic lets an idempotent
 * producer get its producer id (KIP-679), so nothing on the cluster resource is granted.
 */
export function aclsFor(principal: PrincipalDeclaration): AclRule[] {
  const user = `User:${principal.name}` as const;
  const rule = (
    resourceType: AclRule['resourceType'],
    resourceName: string,
    operation: AclOperation,
    patternType: AclRule['patternType'] = 'LITERAL',
  ): AclRule => ({ principal: user, resourceType, resourceName, patternType, operation });
  const dlq = deadLetterTopic(principal.name);
  if (principal.external) {
    return [
      ...principal.consumes.map((topic) => rule('TOPIC', topic, 'READ')),
      rule('GROUP', principal.name, 'READ'),
      rule('GROUP', `${principal.name}.`, 'READ', 'PREFIXED'),
      rule('GROUP', `${principal.name}.`, 'DELETE', 'PREFIXED'),
    ];
  }
  return [
    ...principal.publishes.map((topic) => rule('TOPIC', topic, 'WRITE')),
    rule('TOPIC', AUDIT_TOPIC, 'WRITE'),
    // Its own dead letters: the consumer parks failures there, the dead-letters CLI reads them back.
    rule('TOPIC', dlq, 'WRITE'),
    rule('TOPIC', dlq, 'READ'),
    ...principal.consumes.map((topic) => rule('TOPIC', topic, 'READ')),
    rule('GROUP', principal.name, 'READ'),
    // Short-lived readers (`<name>.rebuild.reader.<uuid>`, `<name>.reader.<uuid>`) join and then delete their group.
    rule('GROUP', `${principal.name}.`, 'READ', 'PREFIXED'),
    rule('GROUP', `${principal.name}.`, 'DELETE', 'PREFIXED'),
  ];
}

export function deriveAcls(principals: PrincipalDeclaration[]): AclRule[] {
  return principals.flatMap(aclsFor);
}

export const ruleKey = (rule: AclRule): string =>
  [rule.principal, rule.resourceType, rule.patternType, rule.resourceName, rule.operation].join(' ');

export interface AclChanges {
  created: string[];
  deleted: string[];
}

/** The admin credentials (the super user) the ACLs are applied with. */
export interface KafkaAdminCredentials {
  username: string;
  password: string;
  /** Set when the brokers' listener is SASL_SSL (KAFKA_SSL=true): the CA that signs their certificates. */
  tls?: KafkaTlsOptions;
}

/** kafkajs's connection options for the admin: SCRAM, over TLS when the credentials say so. */
export function adminConnection(admin: KafkaAdminCredentials): {
  sasl: SASLOptions;
  ssl?: { ca?: string[] };
} {
  return {
    sasl: { mechanism: 'scram-sha-512', username: admin.username, password: admin.password },
    ...(admin.tls ? { ssl: admin.tls.ca ? { ca: [admin.tls.ca] } : {} } : {}),
  };
}

/**
 * Admin credentials for a broker this process did not start (docker compose's init job, a
 * deployment job): KAFKA_ADMIN_USERNAME (default admin) and KAFKA_ADMIN_PASSWORD when KAFKA_AUTH=scram,
 * over TLS when KAFKA_SSL=true (trusting KAFKA_SSL_CA_FILE, else the public roots).
 */
export function adminCredentialsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): KafkaAdminCredentials | undefined {
  if ((env.KAFKA_AUTH?.trim() || 'none') !== 'scram') return undefined;
  const password = env.KAFKA_ADMIN_PASSWORD;
  if (!password) throw new Error('KAFKA_AUTH=scram: KAFKA_ADMIN_PASSWORD must give the Kafka admin password');
  const username = env.KAFKA_ADMIN_USERNAME?.trim() || 'admin';
  if (env.KAFKA_SSL?.trim() !== 'true') return { username, password };
  const caFile = env.KAFKA_SSL_CA_FILE?.trim();
  return { username, password, tls: caFile ? { ca: readFileSync(caFile, 'utf8') } : {} };
}

const RESOURCE_TYPES = { TOPIC: AclResourceTypes.TOPIC, GROUP: AclResourceTypes.GROUP } as const;
const PATTERN_TYPES = { LITERAL: ResourcePatternTypes.LITERAL, PREFIXED: ResourcePatternTypes.PREFIXED };
const OPERATIONS = {
  READ: AclOperationTypes.READ,
  WRITE: AclOperationTypes.WRITE,
  DELETE: AclOperationTypes.DELETE,
} as const;

function toKafkaAcl(rule: AclRule): AclEntry {
  return {
    principal: rule.principal,
    host: '*',
    operation: OPERATIONS[rule.operation],
    permissionType: AclPermissionTypes.ALLOW,
    resourceType: RESOURCE_TYPES[rule.resourceType],
    resourceName: rule.resourceName,
    resourcePatternType: PATTERN_TYPES[rule.patternType],
  };
}

/** kafkajs's enums are plain objects at run time (no reverse mapping): the name of a value. */
function nameOf(values: Record<string, number | string>, value: number): string {
  return Object.keys(values).find((key) => values[key] === value) ?? String(value);
}

/** The rule a bound ACL on the broker stands for, or undefined for a kind we never grant. */
function fromKafkaAcl(acl: AclEntry): AclRule | undefined {
  const resourceType = (Object.keys(RESOURCE_TYPES) as AclRule['resourceType'][]).find(
    (key) => RESOURCE_TYPES[key] === acl.resourceType,
  );
  const patternType = (Object.keys(PATTERN_TYPES) as AclRule['patternType'][]).find(
    (key) => PATTERN_TYPES[key] === acl.resourcePatternType,
  );
  const operation = (Object.keys(OPERATIONS) as AclOperation[]).find(
    (key) => OPERATIONS[key] === acl.operation,
  );
  if (!resourceType || !patternType || !operation || acl.permissionType !== AclPermissionTypes.ALLOW)
    return undefined;
  if (acl.host !== '*' || !acl.principal.startsWith('User:')) return undefined;
  return {
    principal: acl.principal as AclRule['principal'],
    resourceType,
    resourceName: acl.resourceName,
    patternType,
    operation,
  };
}

/**
 * Makes the brokers' ACLs for the declared principals match the declaration: creates the missing
 * rules and deletes any other ACL bound to those principals (a right removed from the declaration
 * is removed from the brokers). ACLs of undeclared principals are left alone. Idempotent.
 */
export async function applyAcls(
  brokers: string[],
  admin: KafkaAdminCredentials,
  principals: PrincipalDeclaration[],
): Promise<AclChanges> {
  const client = new Kafka({
    clientId: 'acl-setup',
    brokers,
    ...adminConnection(admin),
    logLevel: logLevel.NOTHING,
  }).admin();
  await client.connect();
  try {
    const wanted = new Map(deriveAcls(principals).map((rule) => [ruleKey(rule), rule]));
    const users = new Set(principals.map((principal) => `User:${principal.name}`));
    const described = await client.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    const present = new Set<string>();
    const unwanted: AclEntry[] = [];
    for (const resource of described.resources) {
      for (const acl of resource.acls) {
        if (!users.has(acl.principal)) continue;
        const entry: AclEntry = { ...acl, ...resource };
        const rule = fromKafkaAcl(entry);
        if (rule && wanted.has(ruleKey(rule))) present.add(ruleKey(rule));
        else unwanted.push(entry);
      }
    }
    const missing = [...wanted.values()].filter((rule) => !present.has(ruleKey(rule)));
    if (missing.length > 0) await client.createAcls({ acl: missing.map(toKafkaAcl) });
    if (unwanted.length > 0) await client.deleteAcls({ filters: unwanted });
    return {
      created: missing.map(ruleKey),
      deleted: unwanted.map(
        (acl) =>
          `${acl.principal} ${nameOf(AclResourceTypes, acl.resourceType)} ${acl.resourceName} ${nameOf(AclOperationTypes, acl.operation)}`,
      ),
    };
  } finally {
    await client.disconnect();
  }
}
