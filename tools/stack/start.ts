import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../infra/paths';
import { bringUpInfrastructure, type Infrastructure } from '../infra/infra-up';
import {
  ensureDatabases,
  ensureServiceRoles,
  grantServiceRole,
  serviceConnectionUrls,
  serviceDatabases,
} from '../infra/databases';
import { serviceRoleNames } from '@backbone/platform';
import { spawnDevOidcProvider } from '@backbone/testing';
import { developmentSecrets } from './dev-secrets';
import { discoverServices, type ServiceDescriptor } from './services';
import { RestartPolicy, ServiceSupervisor } from './supervisor';

/**
 * `npm start`: Kafka and PostgreSQL, databases and topics, build, migrations, every service as
 * its own process; Ctrl-C stops the services first, then the broker if this run started it.
 * Each service runs under a supervisor (tools/stack/supervisor.ts): a crash is restarted with backoff
 * and reported; a crash loop stops the stack with a clear message.
 * Once the services answer, the demo workload (tools/simulator) files dossiers through
 * the dossier service, imports a backlog of the last 13 days, waits for the reporting service to
 * consume it and prints the city summary.
 * Options: --no-demo (skip the demo workload), --demo-dossiers=N (default 300), --demo-history=N
 * (default 3 × dossiers), --demo-seed=N; --demo-city-15-days=SCALE runs the city's first 15 days
 * instead (tools/simulator: `npm run simulate -- --city-15-days --scale SCALE`).
 */
async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const log = (line: string) => process.stdout.write(`[stack] ${line}\n`);

  const infrastructure = await bringUpInfrastructure('stack');
  infrastructure.notes.forEach(log);
  try {
    await runStack(infrastructure, args, log);
  } catch (error) {
    await infrastructure.stop().catch(() => undefined);
    throw error;
  }
}

async function runStack(
  infrastructure: Infrastructure,
  args: Set<string>,
  log: (line: string) => void,
): Promise<void> {
  const children: ChildProcess[] = [];
  const supervisors: ServiceSupervisor[] = [];
  let stopping = false;

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping services ...');
    await Promise.all([
      ...supervisors.map((supervisor) => supervisor.stop('SIGTERM', 15_000)),
      ...children
        .filter((c) => c.exitCode === null && c.signalCode === null)
        .map(async (child) => {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          await once(child, 'exit');
          clearTimeout(timer);
        }),
    ]);
    await infrastructure.stop();
    log('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  // STACK_DATABASE_PREFIX (e.g. `alice_`) gives a second stack on the same PostgreSQL server its own
  // databases and roles (alice_dossier, alice_dossier_app, ...), as STACK_PORT_OFFSET gives it ports.
  const databasePrefix = process.env.STACK_DATABASE_PREFIX?.trim() ?? '';
  if (!/^([a-z][a-z0-9_]{0,15})?$/.test(databasePrefix))
    throw new Error('STACK_DATABASE_PREFIX: lower-case letters, digits and _, at most 16, e.g. alice_');
  const databases = serviceDatabases.map((name) => `${databasePrefix}${name}`);
  const created = await ensureDatabases(infrastructure.databaseUrl, databases);
  log(`databases: ${databases.join(', ')}${created.length ? ` (created ${created.join(', ')})` : ''}`);

  log('building ...');
  const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('build failed');

  // STACK_PORT_OFFSET moves every service's port and the OpenID Connect provider's (a second stack
  // beside the first, e.g. a test's).
  const portOffset = Number(process.env.STACK_PORT_OFFSET ?? 0);
  if (!Number.isInteger(portOffset) || portOffset < 0 || portOffset > 50_000)
    throw new Error('STACK_PORT_OFFSET must be an integer in [0, 50000]');
  const services = discoverServices().map((service) => ({
    ...service,
    port: service.port + portOffset,
    database: `${databasePrefix}${service.database}`,
  }));
  const { DB_OWNER_PASSWORD, DB_APP_PASSWORD, OIDC_DEV_PASSWORD, ...developmentKeys } = developmentSecrets();
  // The OpenID Connect provider moves with the services (its issuer with it), so a second stack
  // never collides with the first one's provider on 8080; JWT_ISSUER set by the caller still wins.
  const secrets = {
    ...developmentKeys,
    JWT_ISSUER: process.env.JWT_ISSUER ?? movedIssuer(developmentKeys.JWT_ISSUER!, portOffset),
  };

  // Sign-in as in production: a real OpenID Connect provider (tools/oidc) whose JWKS every service
  // verifies tokens with; it signs with the development key pair, so `npm run token` stays valid.
  const identity = await startIdentityProvider(services, secrets, OIDC_DEV_PASSWORD!, log);
  children.push(identity.child);
  identity.child.on('exit', (code, signal) => {
    if (!stopping) {
      log(`the OpenID Connect provider exited (${signal ?? code}); stopping the stack.`);
      void shutdown(1);
    }
  });
  const databasePasswords = { owner: DB_OWNER_PASSWORD, app: DB_APP_PASSWORD };
  // Each service runs as its own least-privilege role; migrations run as the database's owner role.
  for (const name of databases) await ensureServiceRoles(infrastructure.databaseUrl, name, databasePasswords);
  const urls = (service: ServiceDescriptor) =>
    serviceConnectionUrls(infrastructure.databaseUrl, service.database, databasePasswords);
  const env = (service: ServiceDescriptor, role: 'migrate' | 'service' = 'service'): NodeJS.ProcessEnv => ({
    // Every local caller is 127.0.0.1, so the per-client limit (300/min by default) would count the
    // whole demo as one client; a development stack allows more, and the variable still wins.
    RATE_LIMIT_MAX: '20000',
    ...secrets,
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    PORT: String(service.port),
    DATABASE_URL: urls(service)[role],
    // Services run in their own folder: keep the signed audit checkpoints in the repository's .data.
    AUDIT_CHECKPOINT_DIR: process.env.AUDIT_CHECKPOINT_DIR ?? resolve(repoRoot, '.data', 'audit-checkpoints'),
    KAFKA_BROKERS: infrastructure.kafkaBrokers,
    ...kafkaPrincipalEnv(infrastructure, service),
    JWT_ISSUER: process.env.JWT_ISSUER ?? identity.issuer,
    JWKS_URL: process.env.JWKS_URL ?? identity.jwksUrl,
    // The reporting service's pipeline health asks every service of the stack (the dashboard).
    PIPELINE_SERVICES:
      process.env.PIPELINE_SERVICES ?? services.map((s) => `${s.name}=http://127.0.0.1:${s.port}`).join(','),
  });

  for (const service of services) {
    if (!service.migrate) continue;
    log(`${service.name}: migrations ...`);
    const migrate = spawnSync(process.execPath, [service.migrate], {
      cwd: service.dir,
      env: env(service, 'migrate'),
      stdio: 'inherit',
    });
    if (migrate.status !== 0) throw new Error(`${service.name}: migrations failed`);
    await grantServiceRole(urls(service).migrate, serviceRoleNames(service.database).app);
  }

  // Each service runs under a supervisor, as an orchestrator would run it: a crash is restarted
  // with backoff and said on the console; a crash loop (STACK_MAX_CRASHES in STACK_CRASH_WINDOW_MS,
  // default 5 in a minute) stops the stack with the reason.
  const policy = () =>
    new RestartPolicy({
      maxCrashes: positiveInteger(process.env.STACK_MAX_CRASHES, 5),
      windowMs: positiveInteger(process.env.STACK_CRASH_WINDOW_MS, 60_000),
    });
  for (const service of services) {
    const supervisor = new ServiceSupervisor(
      service.name,
      () => {
        const child = spawn(process.execPath, ['--enable-source-maps', service.main], {
          cwd: service.dir,
          env: env(service),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        followServiceLog(service, child);
        return child;
      },
      policy(),
      {
        started: (pid, restarts) => {
          if (restarts === 0) return log(`${service.name} started (pid ${pid}, port ${service.port})`);
          log(`${service.name} restarted (pid ${pid}, restart ${restarts}); waiting for /health/live ...`);
          waitForHealth(service).then(
            () =>
              log(`${service.name} is back: http://127.0.0.1:${service.port} answers (restart ${restarts}).`),
            (error: unknown) =>
              log(`${service.name}: ${error instanceof Error ? error.message : String(error)}`),
          );
        },
        crashed: (exit, decision, restart) =>
          log(
            `${service.name} crashed (${exit}); restart ${restart} in ${(decision.delayMs / 1000).toFixed(1)} s ` +
              `(${decision.crashesInWindow} crash(es) in the last ${Math.round(policy().windowMs / 1000)} s; ` +
              `log ${resolve(repoRoot, '.data', 'logs', `${service.name}.log`)})`,
          ),
        gaveUp: (exit, decision) => {
          log(
            `${service.name} crashed ${decision.crashesInWindow} times within ${Math.round(decision.windowMs / 1000)} s ` +
              `(last: ${exit}): a crash loop, not restarting it again. Stopping the stack; the reason is in ` +
              `${resolve(repoRoot, '.data', 'logs', `${service.name}.log`)}.`,
          );
          void shutdown(1);
        },
      },
    );
    supervisors.push(supervisor);
    supervisor.start();
  }

  if (services.length === 0) {
    log('no services to start yet (none under services/ declares "backbone" in its package.json).');
  } else {
    await Promise.all(services.map((service) => waitForHealth(service)));
    for (const service of services)
      log(
        `${service.name.padEnd(10)} http://127.0.0.1:${service.port}  (docs /docs, health /health/ready, metrics /metrics)`,
      );
    log(
      `service logs: ${resolve(repoRoot, '.data', 'logs')}/<service>.log (warnings and errors are shown here too)`,
    );
    const reporting = services.find((service) => service.name === 'reporting');
    if (reporting)
      log(
        `dashboard  http://127.0.0.1:${reporting.port}/dashboard  (sign in as city-admin, auditor or officer-00070; password ${OIDC_DEV_PASSWORD})`,
      );
    log(`sign-in    ${identity.issuer}  (OpenID Connect; JWKS ${identity.jwksUrl})`);
  }

  if (!args.has('--no-demo')) {
    const reportingService = services.find((service) => service.name === 'reporting');
    const reportingDatabaseUrl = reportingService ? urls(reportingService).migrate : undefined;
    const demo = await runDemo(services, secrets, args, log, children, reportingDatabaseUrl);
    if (demo !== null && demo !== 0 && !stopping)
      log(`demo workload finished with exit code ${demo} (see above); the stack keeps running.`);
  }
  const server = new URL(infrastructure.databaseUrl);
  log(`Kafka ${infrastructure.kafkaBrokers}; PostgreSQL ${server.host}, one database per service`);
  log('running; press Ctrl-C to stop everything.');
  // With no service running nothing else keeps the event loop busy: stay up until Ctrl-C.
  setInterval(() => undefined, 1 << 30);
}

/**
 * KAFKA_AUTH=scram: each service connects as its own principal (infra/kafka/principals.json) and
 * gets only its own password; the admin's never leaves this process. With KAFKA_SSL=true, over TLS
 * trusting the local broker's development CA.
 */
function kafkaPrincipalEnv(infrastructure: Infrastructure, service: ServiceDescriptor): NodeJS.ProcessEnv {
  const credentials = infrastructure.kafkaCredentials;
  if (!credentials) return {};
  const password = credentials.principals[service.name];
  if (!password)
    throw new Error(`${service.name} has no Kafka principal: declare it in infra/kafka/principals.json`);
  return {
    KAFKA_AUTH: 'scram',
    KAFKA_SASL_USERNAME: service.name,
    KAFKA_SASL_PASSWORD: password,
    KAFKA_ADMIN_PASSWORD: undefined,
    KAFKA_SSL: infrastructure.kafkaTls ? 'true' : 'false',
    KAFKA_SSL_CA_FILE: infrastructure.kafkaTls?.caFile,
  };
}

/** The issuer with its port moved by `offset` (0: unchanged). */
function movedIssuer(issuer: string, offset: number): string {
  if (offset === 0) return issuer;
  const url = new URL(issuer);
  url.port = String(Number(url.port || 80) + offset);
  return url.toString().replace(/\/$/, '');
}

/** Starts the development OpenID Connect provider (tools/oidc) at the issuer of the development tokens. */
async function startIdentityProvider(
  services: ServiceDescriptor[],
  secrets: Record<string, string>,
  password: string,
  log: (line: string) => void,
) {
  const issuer = secrets.JWT_ISSUER!;
  const reporting = services.find((service) => service.name === 'reporting');
  const redirectUris = reporting
    ? [`http://127.0.0.1:${reporting.port}/dashboard`, `http://localhost:${reporting.port}/dashboard`]
    : [];
  const directory = resolve(repoRoot, '.data', 'logs');
  mkdirSync(directory, { recursive: true });
  const file = createWriteStream(resolve(directory, 'oidc-provider.log'), { flags: 'a' });
  const provider = await spawnDevOidcProvider({
    issuer,
    port: Number(new URL(issuer).port || 80),
    password,
    dashboardRedirectUris: redirectUris,
    audience: secrets.JWT_AUDIENCE,
    keyDir: secrets.DEV_KEY_DIR,
    onLine: (line) => file.write(`${line}\n`),
  });
  log(`OpenID Connect provider ${provider.issuer} (log .data/logs/oidc-provider.log)`);
  return provider;
}

function positiveInteger(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n > 0 ? n : fallback;
}

/** `--name=value` from the arguments, or the fallback. */
function argumentValue(args: Set<string>, name: string, fallback?: string): string | undefined {
  for (const arg of args) if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
  return fallback;
}

/**
 * Runs the built demo workload CLI once against the local services and relays its output line by
 * line (prefixed, so it stays readable among the services' logs). Ctrl-C stops it with the rest.
 * Resolves with its exit code, or null when there was nothing to run it against.
 */
async function runDemo(
  services: ServiceDescriptor[],
  secrets: Record<string, string>,
  args: Set<string>,
  log: (line: string) => void,
  children: ChildProcess[],
  reportingDatabaseUrl?: string,
): Promise<number | null> {
  const byName = new Map(services.map((s) => [s.name, s]));
  const dossier = byName.get('dossier');
  const reporting = byName.get('reporting');
  if (!dossier || !reporting) {
    log('demo workload: needs the dossier and reporting services; skipped.');
    return null;
  }
  const signing = byName.get('signing');
  const dossiers = argumentValue(args, '--demo-dossiers', '300')!;
  const history = argumentValue(args, '--demo-history');
  const seed = argumentValue(args, '--demo-seed');
  const cli = resolve(repoRoot, 'tools', 'simulator', 'dist', 'demo-workload.js');
  const cityScale = argumentValue(args, '--demo-city-15-days');
  const url = (name: string) => {
    const service = byName.get(name);
    return service ? `http://127.0.0.1:${service.port}` : 'http://127.0.0.1:1';
  };
  log(
    cityScale
      ? `demo workload: the city's first 15 days at scale ${cityScale} (--no-demo to skip) ...`
      : `demo workload: ${dossiers} live dossiers${history ? ` and ${history} historical` : ' and a 13-day backlog'} (--no-demo to skip) ...`,
  );
  const cityArgs = [
    '--city-15-days',
    '--scale',
    cityScale ?? '',
    ...(seed ? ['--seed', seed] : []),
    ...['--dossier-url', url('dossier'), '--signing-url', url('signing'), '--hotline-url', url('hotline')],
    ...['--party-fee-url', url('party-fee'), '--reporting-url', url('reporting')],
  ];
  const child = spawn(
    process.execPath,
    cityScale
      ? ['--enable-source-maps', cli, ...cityArgs]
      : [
          '--enable-source-maps',
          cli,
          '--dossiers',
          dossiers,
          ...(history ? ['--history', history] : []),
          ...(seed ? ['--seed', seed] : []),
          '--dossier-url',
          `http://127.0.0.1:${dossier.port}`,
          '--reporting-url',
          `http://127.0.0.1:${reporting.port}`,
          // Without a signing service, results that must be signed are resolved and held (never
          // returned unsigned) so that the demo still shows the city's real procedure mix.
          ...(signing ? ['--signing-url', `http://127.0.0.1:${signing.port}`] : ['--signed-results', 'hold']),
          // The hotline and party-fee services of this stack (moved by STACK_PORT_OFFSET), not the defaults.
          ...(byName.has('hotline') ? ['--hotline-url', url('hotline')] : ['--no-hotline']),
        ],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        JWT_ISSUER: secrets.JWT_ISSUER,
        JWT_AUDIENCE: secrets.JWT_AUDIENCE,
        DEV_KEY_DIR: secrets.DEV_KEY_DIR,
        PARTY_FEE_URL: url('party-fee'),
        // For the reconciliation at the end of the city's 15 days (in the environment, not on the command line).
        ...(cityScale && reportingDatabaseUrl ? { REPORTING_DATABASE_URL: reportingDatabaseUrl } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[demo] ${line}\n`));
  }
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  return code ?? (signal ? 1 : 0);
}

/**
 * Every line a service writes goes to .data/logs/<service>.log; the console shows only warnings,
 * errors and lines that are not JSON (a crash), so the stack's own output stays readable.
 */
function followServiceLog(service: ServiceDescriptor, child: ChildProcess): void {
  const directory = resolve(repoRoot, '.data', 'logs');
  mkdirSync(directory, { recursive: true });
  const file = createWriteStream(resolve(directory, `${service.name}.log`), { flags: 'a' });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      file.write(`${line}\n`);
      let level = Number.POSITIVE_INFINITY;
      try {
        level = (JSON.parse(line) as { level?: number }).level ?? level;
      } catch {
        // not a pino line: show it
      }
      if (level >= 40) process.stdout.write(`[${service.name}] ${line}\n`);
    });
  }
  child.on('exit', () => file.end());
}

async function waitForHealth(service: ServiceDescriptor, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${service.port}/health/live`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `${service.name} did not answer /health/live on port ${service.port} within ${timeoutMs / 1000} s`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`[stack] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
