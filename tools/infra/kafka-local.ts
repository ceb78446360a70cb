import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  applyAcls,
  checkPrincipals,
  type KafkaAdminCredentials,
  loadPrincipalDeclarations,
} from './kafka-acls';
import { kafkaInfraDir, repoRoot } from './paths';
import { loadTopicDeclarations } from './topics';

const run = promisify(execFile);

export interface LocalKafkaOptions {
  port?: number;
  /** Data, configuration, PID and log folder; default .data/kafka-<port>. */
  dataDir?: string;
  heap?: string;
  /** `scram`: SASL/SCRAM-SHA-512 and ACLs (infra/kafka/principals.json); default KAFKA_AUTH or `none`. */
  auth?: KafkaAuthMode;
  /** 1, or 3 for a three-node KRaft cluster (infra/kafka/start-cluster.sh); default KAFKA_NODES or 1. */
  nodes?: KafkaNodeCount;
  /** Single node only: the port the broker advertises (a TCP proxy in front of it); default `port`. */
  advertisedPort?: number;
  /**
   * With auth `scram`: TLS on the client listeners (start.sh KAFKA_SSL=true): SASL_SSL on `port`, and
   * SSL with a required client certificate on `port + 2`; certificates from a development CA.
   */
  ssl?: boolean;
}

/** The TLS material start.sh made for a KAFKA_SSL=true broker (<data dir>/tls). */
export interface LocalKafkaTls {
  /** PEM of the development CA that signed the broker's and the clients' certificates. */
  caFile: string;
  /** host:port of the listener where a client certificate is the credential. */
  clientCertificateBrokers: string;
  /** A principal's (or admin's) client certificate and key, PEM files (CN = the name). */
  clientCertificate(name: string): { certFile: string; keyFile: string };
}

export type KafkaNodeCount = 1 | 3;

export function kafkaNodeCount(env: NodeJS.ProcessEnv = process.env): KafkaNodeCount {
  const nodes = env.KAFKA_NODES?.trim() || '1';
  if (nodes !== '1' && nodes !== '3') throw new Error(`KAFKA_NODES must be 1 or 3 (got "${nodes}")`);
  return Number(nodes) as KafkaNodeCount;
}

/** Client port of node `n` (1-based) of a cluster whose node 1 listens on `basePort`. */
export function clusterNodePort(basePort: number, n: number): number {
  return basePort + 2 * (n - 1);
}

export type KafkaAuthMode = 'none' | 'scram';

/** The SCRAM users of a broker started with KAFKA_AUTH=scram (from <data dir>/credentials.env). */
export interface KafkaCredentials {
  /** The super user: topics, ACLs, SCRAM users. Never handed to a service. */
  admin: KafkaAdminCredentials;
  /** Password of each principal of principals.json, by principal (= service) name. */
  principals: Record<string, string>;
}

export function kafkaAuthMode(env: NodeJS.ProcessEnv = process.env): KafkaAuthMode {
  const mode = env.KAFKA_AUTH?.trim() || 'none';
  if (mode !== 'none' && mode !== 'scram')
    throw new Error(`KAFKA_AUTH must be none or scram (got "${mode}")`);
  return mode;
}

export function readKafkaCredentials(dataDir: string): KafkaCredentials {
  const file = resolve(dataDir, 'credentials.env');
  const entries = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const separator = line.indexOf('=');
    if (separator > 0) entries.set(line.slice(0, separator), line.slice(separator + 1));
  }
  const admin = entries.get('admin');
  if (!admin) throw new Error(`${file} has no admin password`);
  entries.delete('admin');
  entries.delete('controller');
  return { admin: { username: 'admin', password: admin }, principals: Object.fromEntries(entries) };
}

export interface LocalKafka {
  /** Comma-separated host:port of every node. */
  brokers: string;
  port: number;
  dataDir: string;
  logFile: string;
  pidFile: string;
  nodes: KafkaNodeCount;
  /** Per node (1-based index - 1): PID file, log file and client port; one entry for a single node. */
  nodeFiles: { pidFile: string; logFile: string; port: number }[];
  /** False when a broker recorded in the same PID file was already running: stop it only if we started it. */
  startedHere: boolean;
  auth: KafkaAuthMode;
  /** Set when auth is `scram`; the declared ACLs have been applied. */
  credentials?: KafkaCredentials;
  /** Set when started with `ssl`. */
  tls?: LocalKafkaTls;
  stop(): Promise<void>;
}

function scriptEnv(
  port: number,
  dataDir: string,
  auth: KafkaAuthMode,
  heap: string | undefined,
  nodes: KafkaNodeCount,
  advertisedPort?: number,
  ssl = false,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_DATA_DIR: dataDir,
    KAFKA_AUTH: auth,
    KAFKA_NODES: String(nodes),
    KAFKA_SSL: String(ssl),
  };
  delete env.KAFKA_BROKERS;
  delete env.KAFKA_CONTROLLER_PORT;
  delete env.KAFKA_ADVERTISED_PORT;
  delete env.KAFKA_START_NODES;
  delete env.KAFKA_SSL_CLIENT_AUTH_PORT;
  if (advertisedPort) env.KAFKA_ADVERTISED_PORT = String(advertisedPort);
  if (heap) env.KAFKA_HEAP = heap;
  return env;
}

export function brokerPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/**
 * Runs infra/kafka/start.sh (idempotent) and reports whether this call started the broker. With
 * auth `scram` it then applies the ACLs of infra/kafka/principals.json (idempotent too).
 */
export async function startLocalKafka(options: LocalKafkaOptions = {}): Promise<LocalKafka> {
  const port = options.port ?? Number(process.env.KAFKA_PORT ?? 9092);
  const nodes = options.nodes ?? kafkaNodeCount();
  const dataDir =
    options.dataDir ?? resolve(repoRoot, '.data', nodes === 3 ? `kafka-cluster-${port}` : `kafka-${port}`);
  const nodeFiles =
    nodes === 3
      ? [1, 2, 3].map((n) => ({
          pidFile: resolve(dataDir, `node-${n}`, 'broker.pid'),
          logFile: resolve(dataDir, `node-${n}`, 'broker.log'),
          port: clusterNodePort(port, n),
        }))
      : [{ pidFile: resolve(dataDir, 'broker.pid'), logFile: resolve(dataDir, 'broker.log'), port }];
  const pidFile = nodeFiles[0]!.pidFile;
  const auth = options.auth ?? kafkaAuthMode();
  if (nodes === 3 && auth !== 'none')
    throw new Error('KAFKA_NODES=3 runs a PLAINTEXT cluster: KAFKA_AUTH=none');
  const ssl = options.ssl ?? false;
  if (ssl && (auth !== 'scram' || nodes !== 1))
    throw new Error('A TLS broker (ssl) is a single node with KAFKA_AUTH=scram');
  const env = scriptEnv(port, dataDir, auth, options.heap, nodes, options.advertisedPort, ssl);
  const wasRunning = nodeFiles.every((node) => brokerPid(node.pidFile) !== undefined);
  try {
    await run('bash', [resolve(kafkaInfraDir, 'start.sh')], { env, maxBuffer: 10 * 1024 * 1024 });
  } catch (error) {
    const detail = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `infra/kafka/start.sh failed: ${detail.message}\n${detail.stdout ?? ''}\n${detail.stderr ?? ''}`,
    );
  }
  const brokers = nodeFiles.map((node) => `127.0.0.1:${node.port}`).join(',');
  let credentials: KafkaCredentials | undefined;
  const tlsDir = resolve(dataDir, 'tls');
  const tls: LocalKafkaTls | undefined = ssl
    ? {
        caFile: resolve(tlsDir, 'ca.pem'),
        clientCertificateBrokers: `127.0.0.1:${port + 2}`,
        clientCertificate: (name) => ({
          certFile: resolve(tlsDir, `${name}.pem`),
          keyFile: resolve(tlsDir, `${name}.key`),
        }),
      }
    : undefined;
  if (auth === 'scram') {
    credentials = readKafkaCredentials(dataDir);
    if (tls) credentials.admin.tls = { ca: readFileSync(tls.caFile, 'utf8') };
    const principals = loadPrincipalDeclarations();
    checkPrincipals(principals, loadTopicDeclarations());
    await applyAcls([brokers], credentials.admin, principals);
  }
  return {
    brokers,
    port,
    dataDir,
    logFile: nodeFiles[0]!.logFile,
    pidFile,
    nodes,
    nodeFiles,
    startedHere: !wasRunning,
    auth,
    credentials,
    tls,
    async stop() {
      await run('bash', [resolve(kafkaInfraDir, 'stop.sh')], { env });
    },
  };
}
