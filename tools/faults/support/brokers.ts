import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { brokerPid, type LocalKafka, type LocalKafkaOptions, startLocalKafka } from '../../infra/kafka-local';
import { kafkaInfraDir, repoRoot } from '../../infra/paths';
import { TcpProxy } from './tcp-proxy';

const run = promisify(execFile);

/**
 * The suite's own single broker (infra/kafka/start.sh on its own ports and data folder: the
 * scenarios kill it, so never the shared one), advertising the port of a TCP proxy in front of it
 * so that every client connection can be dropped or blackholed.
 */
export class ProxiedBroker {
  private kafka: LocalKafka | undefined;
  readonly proxy: TcpProxy;
  private readonly options: LocalKafkaOptions;

  constructor(
    readonly brokerPort: number,
    readonly proxyPort: number,
    readonly dataDir: string,
  ) {
    this.proxy = new TcpProxy(proxyPort, brokerPort);
    this.options = {
      port: brokerPort,
      dataDir,
      heap: '512m',
      auth: 'none',
      nodes: 1,
      advertisedPort: proxyPort,
    };
  }

  /** What clients connect to: the proxy. */
  get brokers(): string {
    return `127.0.0.1:${this.proxyPort}`;
  }

  async start(): Promise<void> {
    rmSync(this.dataDir, { recursive: true, force: true });
    await this.proxy.start();
    this.kafka = await startLocalKafka(this.options);
  }

  /** kill -9 of the broker process. */
  kill(): number {
    const pid = brokerPid(this.kafka!.pidFile);
    if (!pid) throw new Error('the broker is not running');
    process.kill(pid, 'SIGKILL');
    return pid;
  }

  /** Starts it again on the same data (start.sh is idempotent: a dead PID is started anew). */
  async restart(): Promise<void> {
    for (let i = 0; i < 40 && brokerPid(this.kafka!.pidFile); i += 1)
      await new Promise((r) => setTimeout(r, 250));
    this.kafka = await startLocalKafka(this.options);
  }

  /** Stops the broker and the proxy; `keepData` leaves the log segments for a post-mortem. */
  async stop(keepData = false): Promise<void> {
    await this.kafka?.stop().catch(() => undefined);
    await this.proxy.stop();
    if (!keepData) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** The suite's own three-node KRaft cluster (KAFKA_NODES=3 through infra/kafka/start.sh). */
export class BrokerCluster {
  private kafka: LocalKafka | undefined;

  constructor(
    readonly basePort: number,
    readonly dataDir: string,
  ) {}

  get brokers(): string {
    return this.kafka!.brokers;
  }

  async start(): Promise<void> {
    rmSync(this.dataDir, { recursive: true, force: true });
    this.kafka = await startLocalKafka({
      port: this.basePort,
      dataDir: this.dataDir,
      nodes: 3,
      heap: '384m',
      auth: 'none',
    });
  }

  /** Node ids are 1, 2, 3 (node n's broker id is n). */
  pid(node: number): number | undefined {
    return brokerPid(this.kafka!.nodeFiles[node - 1]!.pidFile);
  }

  kill(node: number): number {
    const pid = this.pid(node);
    if (!pid) throw new Error(`node ${node} is not running`);
    process.kill(pid, 'SIGKILL');
    return pid;
  }

  /** Starts node `node` again (start-cluster.sh leaves the live nodes alone) and waits for all three. */
  async restart(node: number): Promise<void> {
    for (let i = 0; i < 40 && this.pid(node); i += 1) await new Promise((r) => setTimeout(r, 250));
    await run('bash', [resolve(kafkaInfraDir, 'start.sh')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        KAFKA_NODES: '3',
        KAFKA_PORT: String(this.basePort),
        KAFKA_DATA_DIR: this.dataDir,
        KAFKA_HEAP: '384m',
        KAFKA_START_NODES: String(node),
        KAFKA_AUTH: 'none',
        KAFKA_BROKERS: '',
      },
      maxBuffer: 10 * 1024 * 1024,
    });
  }

  /**
   * The active controller of the KRaft quorum, as the live nodes record it in their
   * `__cluster_metadata-0/quorum-state` (leader id and epoch): the view with the highest epoch.
   * (The jars `install.sh` fetches have no kafka-tools, whose MetadataQuorumCommand would ask.)
   */
  async quorumLeader(): Promise<number> {
    let best: { leaderId: number; leaderEpoch: number } | undefined;
    for (const node of [1, 2, 3]) {
      if (!this.pid(node)) continue;
      const file = resolve(this.dataDir, `node-${node}`, 'logs', '__cluster_metadata-0', 'quorum-state');
      if (!existsSync(file)) continue;
      const state = JSON.parse(readFileSync(file, 'utf8')) as { leaderId?: number; leaderEpoch?: number };
      if (typeof state.leaderId !== 'number' || state.leaderId < 0) continue;
      const epoch = state.leaderEpoch ?? 0;
      if (!best || epoch > best.leaderEpoch) best = { leaderId: state.leaderId, leaderEpoch: epoch };
    }
    if (!best) throw new Error('no live node records a quorum leader');
    return best.leaderId;
  }

  /** Stops the three nodes; `keepData` leaves their log segments for a post-mortem. */
  async stop(keepData = false): Promise<void> {
    await this.kafka?.stop().catch(() => undefined);
    if (!keepData) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
