import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

// How a client proves who it is to the brokers and how it protects the connection, from
// configuration (a service's PlatformConfig or process.env for the CLIs). The only place that
// reads the KAFKA_AUTH / KAFKA_SASL_* / KAFKA_SSL_* variables: PlatformConfig reports the same
// problems at start-up through `kafkaSecurityProblems`, and `createKafkaClient` takes the result.
// No kafkajs here (kafka-client.ts stays its only importer).

/** SASL/SCRAM credentials of the service's own principal (KAFKA_AUTH=scram; docs/adr/0010). */
export interface KafkaSaslOptions {
  mechanism: 'scram-sha-512';
  username: string;
  password: string;
}

/**
 * TLS towards the brokers. The broker's certificate is always verified (chain and host name): there
 * is deliberately no switch to turn that off. PEM texts, not paths.
 */
export interface KafkaTlsOptions {
  /** The CA(s) that sign the brokers' certificates (Strimzi: `<cluster>-cluster-ca-cert`); unset: Node's public roots. */
  ca?: string;
  /** Client certificate and key (KAFKA_AUTH=tls): the principal is the certificate's subject. */
  cert?: string;
  key?: string;
}

/** What `createKafkaClient` needs to reach brokers that authenticate and encrypt. */
export interface KafkaSecurity {
  sasl?: KafkaSaslOptions;
  tls?: KafkaTlsOptions;
}

export const KAFKA_AUTH_MODES = ['none', 'scram', 'tls'] as const;
export type KafkaAuthMode = (typeof KAFKA_AUTH_MODES)[number];

/**
 * The variables that decide how a client connects (libs/platform/ENV.md). Strings as in process.env,
 * or booleans as PlatformConfig has converted them.
 */
export interface KafkaSecuritySettings {
  NODE_ENV?: string;
  /** `none`, `scram` (SASL/SCRAM-SHA-512) or `tls` (a client certificate). */
  KAFKA_AUTH?: string;
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
  /** A file holding the SCRAM password (a mounted Kubernetes Secret), instead of KAFKA_SASL_PASSWORD. */
  KAFKA_SASL_PASSWORD_FILE?: string;
  /** TLS to the brokers (SASL_SSL or SSL listener); implied by KAFKA_AUTH=tls. */
  KAFKA_SSL?: string | boolean;
  KAFKA_SSL_CA_FILE?: string;
  KAFKA_SSL_CERT_FILE?: string;
  KAFKA_SSL_KEY_FILE?: string;
  /** Production only: accept a connection without TLS (a broker on the same host or compose network). */
  KAFKA_ALLOW_PLAINTEXT?: string | boolean;
}

/** The variable at fault and what it should be: the shape of libs/platform's ConfigProblem. */
export interface KafkaSecurityProblem {
  variable: string;
  expected: string;
}

/**
 * Subject marker of the development CA that infra/kafka/start.sh creates for KAFKA_SSL=true
 * (its key sits in a developer's data folder): production refuses certificates from it.
 */
export const DEVELOPMENT_KAFKA_CA_MARKER = 'two-tier-backbone development Kafka CA';

export class KafkaSecurityError extends Error {
  constructor(readonly problems: KafkaSecurityProblem[]) {
    super(
      `Invalid Kafka security settings:\n` +
        problems.map((problem) => `  - ${problem.variable}: ${problem.expected}`).join('\n') +
        '\nSee libs/platform/ENV.md (Kafka security) and docs/operations.md.',
    );
    this.name = 'KafkaSecurityError';
  }
}

function flag(value: string | boolean | undefined): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const text = value?.trim().toLowerCase();
  if (!text) return false;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return undefined;
}

const present = (value: string | undefined): value is string => !!value && value.trim() !== '';

interface Loaded {
  problems: KafkaSecurityProblem[];
  security: KafkaSecurity;
}

/**
 * Checks the settings and reads the files they name. Never echoes a password or a key. Each problem
 * names the variable to fix; all are reported at once.
 */
function load(settings: KafkaSecuritySettings): Loaded {
  const problems: KafkaSecurityProblem[] = [];
  const problem = (variable: string, expected: string) => problems.push({ variable, expected });
  const production = settings.NODE_ENV === 'production';
  const mode = (settings.KAFKA_AUTH?.trim() || 'none') as KafkaAuthMode;
  if (!KAFKA_AUTH_MODES.includes(mode)) {
    problem('KAFKA_AUTH', `must be one of: ${KAFKA_AUTH_MODES.join(', ')}`);
    return { problems, security: {} };
  }
  const sslFlag = flag(settings.KAFKA_SSL);
  if (sslFlag === undefined) problem('KAFKA_SSL', 'must be true or false');
  const allowPlaintext = flag(settings.KAFKA_ALLOW_PLAINTEXT);
  if (allowPlaintext === undefined) problem('KAFKA_ALLOW_PLAINTEXT', 'must be true or false');
  const ssl = sslFlag === true || mode === 'tls';

  const readFile = (variable: string, path: string): string | undefined => {
    try {
      const text = readFileSync(path, 'utf8');
      if (text.trim() === '') problem(variable, `names an empty file (${path})`);
      return text;
    } catch (error) {
      problem(
        variable,
        `names a file that cannot be read (${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
      return undefined;
    }
  };
  const certificates = (variable: string, pem: string): X509Certificate[] | undefined => {
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    try {
      if (blocks.length === 0) throw new Error('no certificate');
      return blocks.map((block) => new X509Certificate(block));
    } catch {
      problem(variable, 'must name a PEM file with at least one certificate (-----BEGIN CERTIFICATE-----)');
      return undefined;
    }
  };
  const refuseDevelopmentCa = (variable: string, chain: X509Certificate[]) => {
    if (production && chain.some((c) => `${c.subject}\n${c.issuer}`.includes(DEVELOPMENT_KAFKA_CA_MARKER)))
      problem(
        variable,
        'is the development CA of infra/kafka/start.sh (its key lies in a developer data folder), refused when NODE_ENV=production: use the cluster CA (Strimzi: <cluster>-cluster-ca-cert)',
      );
  };

  const security: KafkaSecurity = {};
  if (mode === 'scram') {
    const username = settings.KAFKA_SASL_USERNAME?.trim();
    if (!username)
      problem('KAFKA_SASL_USERNAME', "is required when KAFKA_AUTH=scram (the service's own principal)");
    let password: string | undefined;
    if (present(settings.KAFKA_SASL_PASSWORD) && present(settings.KAFKA_SASL_PASSWORD_FILE)) {
      problem(
        'KAFKA_SASL_PASSWORD_FILE',
        'must not be set together with KAFKA_SASL_PASSWORD: give one of them',
      );
    } else if (present(settings.KAFKA_SASL_PASSWORD_FILE)) {
      // A mounted Secret ends with a newline more often than not; a SCRAM password never does.
      password = readFile('KAFKA_SASL_PASSWORD_FILE', settings.KAFKA_SASL_PASSWORD_FILE.trim())?.replace(
        /\r?\n$/,
        '',
      );
    } else if (present(settings.KAFKA_SASL_PASSWORD)) {
      password = settings.KAFKA_SASL_PASSWORD;
    } else {
      problem(
        'KAFKA_SASL_PASSWORD',
        "is required when KAFKA_AUTH=scram (the service's own principal), or KAFKA_SASL_PASSWORD_FILE naming a file that holds it",
      );
    }
    if (username && password) security.sasl = { mechanism: 'scram-sha-512', username, password };
  } else {
    for (const variable of ['KAFKA_SASL_PASSWORD_FILE'] as const)
      if (present(settings[variable])) problem(variable, 'is used only with KAFKA_AUTH=scram');
  }

  const sslFiles = ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'] as const;
  if (!ssl) {
    // A CA given without TLS on would make an operator believe the connection is encrypted.
    for (const variable of sslFiles)
      if (present(settings[variable]))
        problem(variable, 'is used only with KAFKA_SSL=true (or KAFKA_AUTH=tls)');
    if (production && allowPlaintext !== true)
      problem(
        'KAFKA_SSL',
        'must be true when NODE_ENV=production: without TLS the SCRAM exchange and every event cross the network in clear. Set KAFKA_SSL=true with KAFKA_SSL_CA_FILE, or KAFKA_ALLOW_PLAINTEXT=true only where brokers and services share one host or private network',
      );
  } else {
    const tls: KafkaTlsOptions = {};
    if (present(settings.KAFKA_SSL_CA_FILE)) {
      const ca = readFile('KAFKA_SSL_CA_FILE', settings.KAFKA_SSL_CA_FILE.trim());
      const chain = ca === undefined ? undefined : certificates('KAFKA_SSL_CA_FILE', ca);
      if (ca !== undefined && chain) {
        tls.ca = ca;
        refuseDevelopmentCa('KAFKA_SSL_CA_FILE', chain);
      }
    }
    if (mode === 'tls') {
      for (const variable of ['KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'] as const)
        if (!present(settings[variable]))
          problem(
            variable,
            "is required when KAFKA_AUTH=tls (the service's client certificate and its key, PEM)",
          );
      const cert = present(settings.KAFKA_SSL_CERT_FILE)
        ? readFile('KAFKA_SSL_CERT_FILE', settings.KAFKA_SSL_CERT_FILE.trim())
        : undefined;
      const key = present(settings.KAFKA_SSL_KEY_FILE)
        ? readFile('KAFKA_SSL_KEY_FILE', settings.KAFKA_SSL_KEY_FILE.trim())
        : undefined;
      const chain = cert === undefined ? undefined : certificates('KAFKA_SSL_CERT_FILE', cert);
      let privateKey: ReturnType<typeof createPrivateKey> | undefined;
      if (key !== undefined) {
        try {
          privateKey = createPrivateKey(key);
        } catch {
          problem(
            'KAFKA_SSL_KEY_FILE',
            'must name an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)',
          );
        }
      }
      if (chain && privateKey && !chain[0]!.checkPrivateKey(privateKey))
        problem('KAFKA_SSL_KEY_FILE', 'is not the key of the certificate in KAFKA_SSL_CERT_FILE');
      if (chain) refuseDevelopmentCa('KAFKA_SSL_CERT_FILE', chain);
      if (cert !== undefined && key !== undefined) {
        tls.cert = cert;
        tls.key = key;
      }
    } else {
      for (const variable of ['KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'] as const)
        if (present(settings[variable]))
          problem(variable, 'is used only with KAFKA_AUTH=tls (a client certificate as the principal)');
    }
    security.tls = tls;
  }
  if (production && mode === 'none')
    problem(
      'KAFKA_AUTH',
      'must be scram or tls when NODE_ENV=production: brokers without authentication let anyone who reaches them write any topic (docs/adr/0010)',
    );
  return { problems, security };
}

/** Every problem of the settings, for PlatformConfig's start-up check (reads the files it names). */
export function kafkaSecurityProblems(settings: KafkaSecuritySettings): KafkaSecurityProblem[] {
  return load(settings).problems;
}

/**
 * The `sasl` and `tls` options for `createKafkaClient` from configuration. Throws KafkaSecurityError
 * naming every bad variable: a client the brokers would refuse fails here, at start-up, rather than
 * as a stream of connection errors later, and production never connects in clear by accident.
 */
export function kafkaSecurityFromSettings(settings: KafkaSecuritySettings): KafkaSecurity {
  const { problems, security } = load(settings);
  if (problems.length > 0) throw new KafkaSecurityError(problems);
  return security;
}
