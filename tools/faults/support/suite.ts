import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { repoRoot } from '../../infra/paths';
import { FaultStack, type FaultStackOptions } from './fault-stack';
import { startLoad, type LoadRun } from './load';
import { applyOracle, type Expected, type Verdict, waitCaughtUp } from './oracle';
import { PostgresInstance } from './postgres-instance';
import { formatTable, type ScenarioResult } from './results';
import { suiteKeys, type SuiteKeys } from './tokens';

/**
 * Scenario lengths. CI runs the short profile (FAULTS_PROFILE=ci, the default under CI=true);
 * `npm run test:faults` runs the full one unless told otherwise; each figure can be set alone.
 */
export const profile = (() => {
  const name = process.env.FAULTS_PROFILE ?? (process.env.CI === 'true' ? 'ci' : 'full');
  const ci = name === 'ci';
  const int = (variable: string, fallback: number) => {
    const value = Number(process.env[variable]);
    return Number.isInteger(value) && value > 0 ? value : fallback;
  };
  return {
    name,
    /** Dossiers started per second by the load generator (the issue's hand test: 15/s). */
    rate: int('FAULTS_RATE', ci ? 4 : 15),
    /** Seconds of load per scenario; the fault lands in its middle. */
    durationS: int('FAULTS_DURATION_S', ci ? 24 : 60),
    /** Broker unreachable through the proxy. */
    outageS: int('FAULTS_OUTAGE_S', 30),
    /** One broker of three down while the load runs. */
    brokerDownS: int('FAULTS_BROKER_DOWN_S', ci ? 20 : 60),
    /** A consumer frozen (SIGSTOP): past the 30 s session timeout of its group. */
    freezeS: int('FAULTS_FREEZE_S', 40),
    /** Bound on the wait for lag 0 after the fault healed and the load ended. */
    catchUpTimeoutS: int('FAULTS_CATCH_UP_TIMEOUT_S', 240),
    /** One scenario per service killed (full) or every service killed in turn in one (ci). */
    killEachSeparately: process.env.FAULTS_KILL_EACH ? process.env.FAULTS_KILL_EACH === 'separately' : !ci,
    seed: int('FAULTS_SEED', 20_251_130),
  };
})();

export interface ScenarioContext {
  stack: FaultStack;
  load: LoadRun;
  suite: FaultSuite;
  /** Milliseconds since the load started. */
  elapsed(): number;
  /** Sleeps until `ms` after the load started. */
  at(ms: number): Promise<void>;
  note(text: string): void;
  /** Set by the fault when it has healed (default: when `inject` returns). */
  healed(): void;
}

export interface ScenarioDefinition {
  /** Slug: part of the scenario's database, topic and group names. */
  name: string;
  /** The table's "fault" column. */
  fault: string;
  instances?: FaultStackOptions['instances'];
  serviceEnv?: FaultStackOptions['serviceEnv'];
  rate?: number;
  durationS?: number;
  /** Injects the fault during the load and heals it; may return what the oracle should expect. */
  inject(context: ScenarioContext): Promise<Expected | void>;
  /** Checks of its own after the oracle (e.g. freshness, a new leader). */
  verify?(context: ScenarioContext, verdict: Verdict): Promise<void> | void;
}

export interface BrokerAccess {
  /** What the services connect to. */
  brokers: string;
  stop(keepData?: boolean): Promise<void>;
}

/** One spec file's suite: its PostgreSQL, its brokers, its key, its rows of the table. */
export class FaultSuite {
  readonly results: ScenarioResult[] = [];
  readonly keys: SuiteKeys = suiteKeys();
  readonly workRoot: string;
  postgres!: PostgresInstance;
  broker!: BrokerAccess;

  constructor(
    readonly name: string,
    readonly basePort: number,
  ) {
    this.workRoot = resolve(repoRoot, '.data', 'faults', `${name}-${basePort}`);
  }

  async startPostgres(): Promise<void> {
    // PostgreSQL runs as the postgres user: its data lives where that user may write.
    this.postgres = await PostgresInstance.start(
      this.basePort,
      resolve(tmpdir(), `backbone-faults-pg-${this.basePort}`),
    );
  }

  async run(definition: ScenarioDefinition): Promise<ScenarioResult> {
    const workDir = resolve(this.workRoot, definition.name);
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(workDir, { recursive: true });
    const acceptedLog = resolve(workDir, 'accepted.jsonl');
    const notes: string[] = [];
    const started = Date.now();
    let result: ScenarioResult;
    const failed = (error: unknown): ScenarioResult => ({
      fault: definition.fault,
      scenario: definition.name,
      requestsAccepted: 0,
      events: 0,
      lost: 0,
      duplicated: 0,
      appliedTwice: 0,
      deadLettered: 0,
      timeToCatchUpSeconds: null,
      reconcileDifferences: null,
      durationSeconds: round((Date.now() - started) / 1000),
      passed: false,
      problems: [
        `the scenario could not run to its end: ${error instanceof Error ? error.message : String(error)}`,
      ],
      notes,
    });
    let load: LoadRun | undefined;
    let stack: FaultStack | undefined;
    try {
      stack = await FaultStack.start({
        scenario: definition.name,
        postgres: this.postgres,
        brokers: this.broker.brokers,
        keys: this.keys,
        workDir,
        ...(definition.instances ? { instances: definition.instances } : {}),
        ...(definition.serviceEnv ? { serviceEnv: definition.serviceEnv } : {}),
      });

      const durationS = definition.durationS ?? profile.durationS;
      load = startLoad(stack, {
        rate: definition.rate ?? profile.rate,
        durationS,
        seed: profile.seed,
        acceptedLog,
      });
      const loadStarted = Date.now();
      let healedAt: number | undefined;
      const context: ScenarioContext = {
        stack,
        load,
        suite: this,
        elapsed: () => Date.now() - loadStarted,
        at: async (ms) => {
          const wait = loadStarted + ms - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        },
        note: (text) => notes.push(text),
        healed: () => (healedAt ??= Date.now()),
      };
      const expected = (await definition.inject(context)) ?? {};
      context.healed();
      const generator = await load.done;
      writeFileSync(resolve(workDir, 'load-generator.log'), generator.output);
      const loadEndedAt = Date.now();
      const summary = /errors: (.*)/.exec(generator.output)?.[1];
      if (summary && summary !== 'none') notes.push(`load generator errors: ${summary}`);
      if (!/Demo summary/.test(generator.output))
        throw new Error(`the load generator did not finish its run:\n${generator.output}`);
      const caughtUp = await waitCaughtUp(stack, profile.catchUpTimeoutS * 1000);
      const caughtUpIn = caughtUp.ms;
      const caughtUpAt = Date.now();
      const verdict = await applyOracle(stack, acceptedLog, expected, caughtUpIn !== null);
      notes.push(...verdict.notes);
      if (caughtUpIn === null)
        verdict.problems.unshift(
          `not caught up within ${profile.catchUpTimeoutS} s of the load's end (still behind: ${caughtUp.behind})`,
        );
      if (definition.verify) await definition.verify(context, verdict);
      result = {
        fault: definition.fault,
        scenario: definition.name,
        requestsAccepted: verdict.requestsAccepted,
        events: verdict.events,
        lost: verdict.lost,
        duplicated: verdict.duplicated,
        appliedTwice: verdict.appliedTwice,
        deadLettered: verdict.deadLettered,
        // From the later of "healed" and "load ended" to lag 0.
        timeToCatchUpSeconds:
          caughtUpIn === null
            ? null
            : round((caughtUpAt - Math.max(healedAt ?? loadEndedAt, loadEndedAt)) / 1000),
        reconcileDifferences: verdict.reconcileDifferences,
        durationSeconds: round((Date.now() - started) / 1000),
        passed: verdict.problems.length === 0,
        problems: verdict.problems,
        notes,
      };
    } catch (error) {
      result = failed(error);
    } finally {
      load?.stop();
      await stack?.stop();
    }
    this.record(result);
    return result;
  }

  record(result: ScenarioResult): void {
    this.results.push(result);
    process.stdout.write(
      `\n${formatTable([result])}\n${result.problems.map((p) => `  ! ${p}`).join('\n')}\n`,
    );
    const file = process.env.FAULTS_RESULTS_FILE;
    if (file) appendFileSync(file, `${JSON.stringify(result)}\n`);
  }

  /**
   * Stops the brokers and PostgreSQL. After a failed scenario their data stays (the service databases
   * with their outbox rows, the brokers' log segments) for a post-mortem, unless
   * FAULTS_KEEP_FAILED_DATA=0; the next run of the spec file starts afresh anyway.
   */
  async stop(): Promise<void> {
    const keep = this.results.some((r) => !r.passed) && process.env.FAULTS_KEEP_FAILED_DATA !== '0';
    await this.broker?.stop(keep).catch(() => undefined);
    if (keep) await this.postgres?.stop().catch(() => undefined);
    else await this.postgres?.destroy().catch(() => undefined);
    if (this.results.length > 0) process.stdout.write(`\n${formatTable(this.results)}\n`);
    if (keep)
      process.stdout.write(
        `\nA scenario failed: PostgreSQL's data (${this.postgres?.dataDir ?? '?'}) and the brokers' (${resolve(this.workRoot, 'kafka')}) are kept for a post-mortem.\n`,
      );
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
