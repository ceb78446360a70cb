// CPU used per process during a benchmark phase: the service, the PostgreSQL backends of its
// database, the Kafka broker and the load generator itself (read from /proc, Linux only).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU ms (user + system) used so far by a process, undefined once it has ended. */
export function processCpuMs(pid: string | number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * The broker listening on `port`: the pid file of a broker this repository started, else the JVM
 * whose command line runs kafka.Kafka with that port's server.properties (read only).
 */
export function brokerPid(repoRoot: string, port = '9092'): number | undefined {
  const pidFile = resolve(repoRoot, '.data', `kafka-${port}`, 'broker.pid');
  if (existsSync(pidFile)) return Number(readFileSync(pidFile, 'utf8').trim());
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (commandLine.includes('kafka.Kafka') && commandLine.includes(`kafka-${port}`)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

export type CpuMs = Record<'service' | 'postgres' | 'broker' | 'load_generator', number>;

/**
 * Samples the processes every 100 ms: a PostgreSQL backend's last figure is kept after it ends,
 * and one that appears during the phase counts from zero.
 */
export class PhaseCpu {
  private readonly start = new Map<string, number>();
  private readonly latest = new Map<string, { label: keyof CpuMs; ms: number }>();
  private timer: NodeJS.Timeout | undefined;
  private client: Client | undefined;
  private ownStart = process.cpuUsage();

  constructor(
    private readonly serverUrl: string,
    private readonly database: string,
    private readonly servicePid: number,
    private readonly broker: number | undefined,
  ) {}

  async begin(): Promise<void> {
    const url = new URL(this.serverUrl);
    url.pathname = '/postgres';
    this.client = new Client({ connectionString: url.toString(), application_name: 'bench-cpu-sampler' });
    await this.client.connect();
    await this.sample();
    for (const [key, { ms }] of this.latest) this.start.set(key, ms);
    this.ownStart = process.cpuUsage();
    const tick = () =>
      this.sample().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, 100);
      });
    this.timer = setTimeout(tick, 100);
  }

  /** CPU ms per process since begin(). */
  async end(): Promise<CpuMs> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const own = process.cpuUsage(this.ownStart);
    await this.sample();
    await this.client?.end();
    const used: CpuMs = {
      service: 0,
      postgres: 0,
      broker: 0,
      load_generator: Math.round((own.user + own.system) / 1000),
    };
    for (const [key, { label, ms }] of this.latest) used[label] += ms - (this.start.get(key) ?? 0);
    return used;
  }

  private async sample(): Promise<void> {
    const { rows } = await this.client!.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1`,
      [this.database],
    );
    const processes: { key: string; pid: number; label: keyof CpuMs }[] = rows.map((row) => ({
      key: `pg-${row.pid}`,
      pid: row.pid,
      label: 'postgres',
    }));
    processes.push({ key: 'service', pid: this.servicePid, label: 'service' });
    if (this.broker) processes.push({ key: 'broker', pid: this.broker, label: 'broker' });
    for (const { key, pid, label } of processes) {
      const ms = processCpuMs(pid);
      if (ms !== undefined) this.latest.set(key, { label, ms });
    }
  }
}
