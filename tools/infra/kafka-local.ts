import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { kafkaInfraDir, repoRoot } from './paths';

const run = promisify(execFile);

export interface LocalKafkaOptions {
  port?: number;
  /** Data, configuration, PID and log folder; default .data/kafka-<port>. */
  dataDir?: string;
  heap?: string;
}

export interface LocalKafka {
  brokers: string;
  port: number;
  dataDir: string;
  logFile: string;
  pidFile: string;
  /** False when a broker recorded in the same PID file was already running: stop it only if we started it. */
  startedHere: boolean;
  stop(): Promise<void>;
}

function scriptEnv(port: number, dataDir: string, heap?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_PORT: String(port), KAFKA_DATA_DIR: dataDir };
  delete env.KAFKA_BROKERS;
  delete env.KAFKA_CONTROLLER_PORT;
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

/** Runs infra/kafka/start.sh (idempotent) and reports whether this call started the broker. */
export async function startLocalKafka(options: LocalKafkaOptions = {}): Promise<LocalKafka> {
  const port = options.port ?? Number(process.env.KAFKA_PORT ?? 9092);
  const dataDir = options.dataDir ?? resolve(repoRoot, '.data', `kafka-${port}`);
  const pidFile = resolve(dataDir, 'broker.pid');
  const env = scriptEnv(port, dataDir, options.heap);
  const wasRunning = brokerPid(pidFile) !== undefined;
  try {
    await run('bash', [resolve(kafkaInfraDir, 'start.sh')], { env, maxBuffer: 10 * 1024 * 1024 });
  } catch (error) {
    const detail = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `infra/kafka/start.sh failed: ${detail.message}\n${detail.stdout ?? ''}\n${detail.stderr ?? ''}`,
    );
  }
  return {
    brokers: `127.0.0.1:${port}`,
    port,
    dataDir,
    logFile: resolve(dataDir, 'broker.log'),
    pidFile,
    startedHere: !wasRunning,
    async stop() {
      await run('bash', [resolve(kafkaInfraDir, 'stop.sh')], { env });
    },
  };
}
