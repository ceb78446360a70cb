import { trace } from '@opentelemetry/api';
import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import { PERSONAL_FIELDS } from '../pii/personal-fields';
import { currentRequestContext } from './request-context';

export type PlatformLogger = Logger;

export interface PlatformLoggerOptions {
  service: string;
  level: string;
  /** Where JSON lines go; stdout by default. Tests pass a stream to inspect what was logged. */
  destination?: DestinationStream;
}

/**
 * Paths pino replaces with "[redacted]". Personal fields are listed at every depth we log
 * (top level, one and two levels down: `{ body: { citizen: { nationalId } } }`), because pino's
 * wildcard matches exactly one level.
 */
export function redactedPaths(): string[] {
  const paths = [
    'req.headers.authorization',
    'req.headers.cookie',
    'req.headers["idempotency-key"]',
    'headers.authorization',
    'headers.cookie',
    'authorization',
    'token',
    '*.token',
  ];
  for (const field of PERSONAL_FIELDS) paths.push(field, `*.${field}`, `*.*.${field}`);
  return paths;
}

/**
 * Keys whose values never reach a log line, at any depth: personal fields, credentials, and SQL
 * statement parameters (a failed query's `parameters` hold file names, ciphertexts, national IDs).
 */
const REDACTED_KEYS: ReadonlySet<string> = new Set<string>([
  ...PERSONAL_FIELDS,
  'authorization',
  'cookie',
  'token',
  'idempotency-key',
  'parameters',
  'params',
  'bindings',
]);
const MAX_DEPTH = 12;

/**
 * A copy of `value` with every REDACTED_KEYS entry replaced by "[redacted]" at any depth (pino's
 * path redaction stops at the depths listed). Errors keep their type, message and stack; cycles and
 * depths past MAX_DEPTH are cut. Only lines that go through `logger` pay for it.
 */
export function redactDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[truncated]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  if (value instanceof Error) {
    out.type = value.constructor.name;
    out.message = value.message;
    out.stack = value.stack;
  }
  for (const [key, item] of Object.entries(value)) {
    out[key] = REDACTED_KEYS.has(key) ? '[redacted]' : redactDeep(item, depth + 1, seen);
  }
  return out;
}

export function createPlatformLogger(options: PlatformLoggerOptions): PlatformLogger {
  const base = lineOptions(options);
  return pino(
    {
      ...base,
      redact: { paths: redactedPaths(), censor: '[redacted]' },
      formatters: { log: (object: Record<string, unknown>) => redactDeep(object) as Record<string, unknown> },
      serializers: {
        ...base.serializers,
        err: (error: Error) => redactDeep(pino.stdSerializers.err(error)),
      },
    },
    // Asynchronous and batched (sonic-boom): a write(2) per ~4 KB instead of per line. pino flushes
    // the buffer when the process exits.
    options.destination ?? pino.destination({ dest: 1, sync: false, minLength: 4096 }),
  );
}

/**
 * For the one line per completed request only (`{ requestId, res: reply, responseTime }`): the
 * same JSON lines into the same destination as `logger`, without redaction. Those fields are the
 * request id, the status code (the `res` serializer keeps nothing else) and a number, so none of
 * the redacted paths can occur in them, and pino's redaction (~17 µs a line here) would find
 * nothing. Everything else, errors included, goes through `logger`.
 */
export function createAccessLogger(logger: PlatformLogger, options: PlatformLoggerOptions): PlatformLogger {
  const destination = (logger as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym];
  return pino(lineOptions(options), destination);
}

function lineOptions(options: PlatformLoggerOptions) {
  return {
    level: options.level,
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: 'msg',
    // Every line written while serving a request carries its ids, also lines from service code
    // that logs through Nest's Logger and never sees the request.
    mixin() {
      const context = currentRequestContext();
      if (!context) return {};
      // With tracing on, the trace id too: from a log line to the request's trace in Jaeger.
      const traceId = context.traceContext && trace.getSpanContext(context.traceContext)?.traceId;
      return traceId
        ? { requestId: context.requestId, correlationId: context.correlationId, traceId }
        : { requestId: context.requestId, correlationId: context.correlationId };
    },
    serializers: {
      // Only the path: a query string may carry personal data (?nationalId=...).
      req: (request: { method?: string; url?: string; ip?: string }) => ({
        method: request.method,
        path: request.url?.split('?')[0],
        remoteAddress: request.ip,
      }),
      res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
      err: pino.stdSerializers.err,
    },
  };
}

/** Nest's logger interface over pino, so framework and `new Logger(Context)` lines are JSON too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: PlatformLogger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(
    level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace',
    message: unknown,
    rest: unknown[],
  ): void {
    // Nest passes the context (class name) last, and for errors a stack trace before it.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const stack = level === 'error' && rest.length >= 2 && typeof rest[0] === 'string' ? rest[0] : undefined;
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    if (stack) fields.stack = stack;
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
