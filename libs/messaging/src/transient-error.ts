/**
 * Thrown by a handler (or this lib) for a failure that retrying later can fix. Anything
 * recognised by `isTransientError` is retried with backoff without limit; every other error
 * is permanent and goes to the dead letters after a bounded number of attempts.
 */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

// PostgreSQL SQLSTATEs that a later attempt can cure: serialisation failure, deadlock, statement
// completion unknown, lock timeout, a statement cancelled by statement_timeout (57014), admin
// shutdown / crash / cannot connect now / idle-session timeout, a read-only transaction (25006: a
// standby after a failover, or a database set read-only for maintenance), an idle-in-transaction
// timeout, the system errors of class 58 (I/O), the whole insufficient-resources class 53 (too many
// connections, disk full, out of memory) and the whole connection-exception class 08. Classing any
// of them permanent sends every record read during the fault to the dead letters.
const TRANSIENT_SQLSTATES = new Set([
  '40001',
  '40P01',
  '40003',
  '55P03',
  '57014',
  '57P01',
  '57P02',
  '57P03',
  '57P05',
  '25006',
  '25P03',
  '58000',
  '58030',
]);
const TRANSIENT_SQLSTATE_CLASSES = ['08', '53'];
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
  'ESOCKETTIMEDOUT',
]);
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection is not established/i,
  /driver not connected/i,
  /Client has encountered a connection error/i,
  /terminating connection/i,
  // pg's `query_timeout` (the driver's read timeout): the server may still be working on it.
  /query read timeout/i,
  /connection timeout/i,
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
  if (
    code &&
    (TRANSIENT_SQLSTATES.has(code) ||
      TRANSIENT_SQLSTATE_CLASSES.includes(code.slice(0, 2)) ||
      TRANSIENT_NODE_CODES.has(code))
  )
    return true;
  if (e.name?.startsWith('KafkaJS') && (e.retriable === true || KAFKA_TRANSIENT_NAMES.has(e.name)))
    return true;
  const message = e.message ?? '';
  if (TRANSIENT_MESSAGES.some((pattern) => pattern.test(message))) return true;
  return e.cause !== undefined && e.cause !== error && isTransientError(e.cause);
}

/**
 * Errors after which the database connection itself is suspect and must not go back to the pool:
 * a connection to a server that became a standby keeps answering 25006 for as long as it lives
 * (only a new connection reaches the new primary), and after a driver read timeout or a
 * connection-level failure the session's state is unknown.
 */
export function mustDiscardConnection(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as ErrorLike;
  const code = e.code ?? e.driverError?.code;
  if (
    code === '25006' ||
    code?.startsWith('08') ||
    code?.startsWith('57P') ||
    TRANSIENT_NODE_CODES.has(code ?? '')
  )
    return true;
  const message = e.message ?? '';
  if (TRANSIENT_MESSAGES.some((pattern) => pattern.test(message))) return true;
  return e.cause !== undefined && e.cause !== error && mustDiscardConnection(e.cause);
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
