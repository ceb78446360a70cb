import { Client } from 'pg';
import { Counter, register } from 'prom-client';
import { currentRequestContext } from '../observability/request-context';

/** The environment switch: `DB_STATEMENT_COUNTING=1` counts every statement the process sends. */
export const STATEMENT_COUNTING_ENV = 'DB_STATEMENT_COUNTING';

type Labels = 'origin' | 'kind';

/**
 * Counts the statements this process sends to PostgreSQL, and the time until each answered, by
 * origin (`request`: inside an HTTP request; `background`: the outbox relay, the audit chain
 * linker, consumers, batched work answered outside the request that started it) and kind (the
 * statement's first keyword: BEGIN, COMMIT, SELECT, INSERT, UPDATE, WITH, DELETE, …), on /metrics
 * as `db_statements_total` and `db_statement_seconds_total`. For benchmarks (bench:lifecycle reads
 * it to report statements per transition): pg_stat_statements needs a server restart to load.
 * Every pg client of the process is counted (the prototype's query is wrapped), so TypeORM's
 * BEGIN/COMMIT and its generated statements count as much as hand-written ones.
 * Installed once, only when the switch is on; returns whether it is on.
 */
export function installStatementCounting(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env[STATEMENT_COUNTING_ENV] !== '1') return false;
  if (register.getSingleMetric('db_statements_total')) return true;
  const statements = new Counter<Labels>({
    name: 'db_statements_total',
    help: 'Statements sent to PostgreSQL, by origin (request or background) and first keyword',
    labelNames: ['origin', 'kind'],
    registers: [register],
  });
  const seconds = new Counter<Labels>({
    name: 'db_statement_seconds_total',
    help: 'Time from sending a statement to its answer, by origin and first keyword',
    labelNames: ['origin', 'kind'],
    registers: [register],
  });
  const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function countedQuery(this: unknown, ...args: unknown[]): unknown {
    const labels = { origin: currentRequestContext() ? 'request' : 'background', kind: kindOf(args[0]) };
    statements.inc(labels);
    const started = performance.now();
    const observe = () => seconds.inc(labels, (performance.now() - started) / 1000);
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (...callbackArgs: unknown[]) => {
        observe();
        return (last as (...a: unknown[]) => unknown)(...callbackArgs);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result instanceof Promise) void result.then(observe, observe);
    return result;
  };
  return true;
}

function kindOf(query: unknown): string {
  const text =
    typeof query === 'string'
      ? query
      : query && typeof query === 'object' && 'text' in query
        ? String((query as { text: unknown }).text)
        : '';
  const keyword = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase();
  return keyword && KINDS.has(keyword) ? keyword : 'OTHER';
}

const KINDS = new Set([
  'BEGIN',
  'START',
  'COMMIT',
  'ROLLBACK',
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'WITH',
  'LISTEN',
  'SET',
  'SHOW',
]);
