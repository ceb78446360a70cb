/**
 * Thrown by a handler (or this lib) for a failure that retrying later can fix. Anything
 * recognised by `isTransientError` is retried with backoff without limit; every other error
 * is permanent and goes to the dead letters after a bounded number of attempts.
 */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

// PostgreSQL SQLSTATEs that mean "try again": serialisation failure, deadlock, lock timeout,
// admin shutdown / crash / cannot connect now, too many connections, out of resources,
// and the whole connection-exception class 08.
const TRANSIENT_SQLSTATES = new Set([
  '40001',
  '40P01',
  '55P03',
  '57P01',
  '57P02',
  '57P03',
  '53000',
  '53100',
  '53200',
  '53300',
  '53400',
]);
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection is not established/i,
  /driver not connected/i,
  /Client has encountered a connection error/i,
  /terminating connection/i,
];
const KAFKA_TRANSIENT_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSConnectionClosedError',
  'KafkaJSLockTimeout',
]);

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  retriable?: boolean;
  driverError?: ErrorLike;
  cause?: unknown;
}

export function isTransientError(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const e = error as ErrorLike;
  const code = e.code ?? e.driverError?.code;
  if (code && (TRANSIENT_SQLSTATES.has(code) || code.startsWith('08') || TRANSIENT_NODE_CODES.has(code)))
    return true;
  if (e.name?.startsWith('KafkaJS') && (e.retriable === true || KAFKA_TRANSIENT_NAMES.has(e.name)))
    return true;
  const message = e.message ?? '';
  if (TRANSIENT_MESSAGES.some((pattern) => pattern.test(message))) return true;
  return e.cause !== undefined && e.cause !== error && isTransientError(e.cause);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Exponential backoff with full jitter, capped. */
export function backoffMs(attempt: number, initialMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
