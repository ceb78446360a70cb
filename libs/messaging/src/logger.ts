import pino from 'pino';

/** What this lib logs through; services can pass their own (e.g. their pino instance wrapped). */
export interface MessagingLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

let defaultLogger: MessagingLogger | undefined;

export function defaultMessagingLogger(): MessagingLogger {
  if (!defaultLogger) {
    const base = pino({ name: 'messaging', level: process.env.LOG_LEVEL ?? 'info' });
    defaultLogger = {
      info: (message, fields) => base.info(fields ?? {}, message),
      warn: (message, fields) => base.warn(fields ?? {}, message),
      error: (message, fields) => base.error(fields ?? {}, message),
    };
  }
  return defaultLogger;
}
