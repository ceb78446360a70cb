import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, chownSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

/**
 * A PostgreSQL server of the fault suite's own (initdb + pg_ctl from the machine's binaries, its
 * own port and data folder), so that a scenario may restart it under load: the machine's cluster
 * serves everyone else and is never touched. Started as the `postgres` user when this process
 * is root (PostgreSQL refuses to run as root).
 */
export class PostgresInstance {
  private constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly binDir: string,
  ) {}

  /** Server URL (database `postgres`, trust authentication on 127.0.0.1). */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  get logFile(): string {
    return resolve(this.dataDir, 'server.log');
  }

  static async start(port: number, dataDir: string): Promise<PostgresInstance> {
    const instance = new PostgresInstance(port, dataDir, postgresBinDir());
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    if (isRoot()) {
      const { uid, gid } = await postgresUser();
      chownSync(dataDir, uid, gid);
    }
    await instance.pg('initdb', [
      '-D',
      resolve(dataDir, 'data'),
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
      '--no-sync',
    ]);
    await instance.pgCtl(['start']);
    await instance.waitReady();
    return instance;
  }

  /** `pg_ctl restart -m fast`: what `pg_ctlcluster … restart` does — every connection is cut. */
  async restart(): Promise<void> {
    await this.pgCtl(['restart', '-m', 'fast']);
    await this.waitReady();
  }

  async stop(): Promise<void> {
    if (!existsSync(resolve(this.dataDir, 'data', 'postmaster.pid'))) return;
    await this.pgCtl(['stop', '-m', 'fast']).catch(() => undefined);
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private pgCtl(args: string[]): Promise<unknown> {
    const options = [
      '-D',
      resolve(this.dataDir, 'data'),
      '-l',
      this.logFile,
      '-w',
      '-t',
      '60',
      '-o',
      // Own port and socket folder; enough connections for two instances of every service.
      `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.dataDir} -c max_connections=300`,
    ];
    return this.pg('pg_ctl', [...options, ...args]);
  }

  private async pg(binary: string, args: string[]): Promise<void> {
    const command = resolve(this.binDir, binary);
    try {
      if (isRoot()) await run('runuser', ['-u', 'postgres', '--', command, ...args], { cwd: '/' });
      else await run(command, args);
    } catch (error) {
      const detail = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`${binary} ${args.join(' ')} failed: ${detail.message}\n${detail.stderr ?? ''}`);
    }
  }

  private async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const client = new Client({ connectionString: this.url, connectionTimeoutMillis: 1_000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      } finally {
        await client.end().catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Creates a database on this server and returns its URL. */
  async createDatabase(name: string): Promise<string> {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name ${name}`);
    const client = new Client({ connectionString: this.url });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } finally {
      await client.end();
    }
    const url = new URL(this.url);
    url.pathname = `/${name}`;
    return url.toString();
  }
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/** The newest /usr/lib/postgresql/<version>/bin, or PG_BIN_DIR. */
export function postgresBinDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(resolve(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(a) - Number(b))
    : [];
  if (versions.length === 0)
    throw new Error('No PostgreSQL binaries under /usr/lib/postgresql/*/bin (set PG_BIN_DIR)');
  return resolve(root, versions[versions.length - 1]!, 'bin');
}
