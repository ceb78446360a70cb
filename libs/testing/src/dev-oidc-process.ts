import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const repoRoot = resolve(__dirname, '..', '..', '..');

/** The development OpenID Connect provider (tools/oidc) running as its own process. */
export interface DevOidcProcess {
  issuer: string;
  jwksUrl: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface DevOidcProcessOptions {
  /** The issuer URL; with `port: 0` its port is replaced by a free one. */
  issuer: string;
  port: number;
  password: string;
  dashboardRedirectUris: string[];
  audience?: string;
  /** Where the development key pair lives (created on first use). */
  keyDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Each output line (npm start relays them to its log). */
  onLine?: (line: string) => void;
  timeoutMs?: number;
}

/**
 * Starts tools/oidc/main.ts under swc-node and resolves once it prints its ready line; `stop()` ends
 * exactly that process. Used by `npm start` and by tests that sign in for real.
 */
export async function spawnDevOidcProvider(options: DevOidcProcessOptions): Promise<DevOidcProcess> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', resolve(repoRoot, 'tools/oidc/main.ts')],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...options.env,
        SWC_NODE_PROJECT: 'tools/tsconfig.json',
        OIDC_ISSUER: options.issuer,
        OIDC_PORT: String(options.port),
        OIDC_DEV_PASSWORD: options.password,
        OIDC_DASHBOARD_REDIRECT_URIS: options.dashboardRedirectUris.join(','),
        JWT_AUDIENCE: options.audience ?? 'backbone',
        ...(options.keyDir ? { DEV_KEY_DIR: options.keyDir } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const ready = new Promise<{ issuer: string; jwksUrl: string }>((resolveReady, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`the OIDC provider did not start within ${options.timeoutMs ?? 60_000} ms:\n${output}`),
        ),
      options.timeoutMs ?? 60_000,
    );
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        output += `${line}\n`;
        options.onLine?.(line);
        const match = /^oidc-provider ready (\{.*\})$/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolveReady(JSON.parse(match[1]!) as { issuer: string; jwksUrl: string });
        }
      });
    }
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the OIDC provider exited (${signal ?? code}):\n${output}`));
    });
  });
  const { issuer, jwksUrl } = await ready;
  return {
    issuer,
    jwksUrl,
    child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
