import { createHash } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type IdempotencyClaim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: string | null; contentType: string | null }
  | { kind: 'different-request' }
  | { kind: 'in-progress' };

/** Stable hash of a JSON body: key order does not matter, values do. */
export function requestHashOf(body: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(body ?? null), 'utf8')
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  // A binary body (a document to sign): its digest, not one JSON member per byte.
  if (Buffer.isBuffer(value))
    return JSON.stringify(`bytes:sha256:${createHash('sha256').update(value).digest('hex')}`);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const PURGE_INTERVAL_MS = 15 * 60_000;

/** The service's `platform_idempotency_keys` table; expired keys are purged every 15 minutes. */
@Injectable()
export class IdempotencyStore implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.purgeTimer = setInterval(() => {
      this.purgeExpired().catch((error: unknown) =>
        this.logger.warn({ msg: 'purging expired keys failed', err: error }),
      );
    }, PURGE_INTERVAL_MS);
    // Never keep a process (or a test) alive just for housekeeping.
    this.purgeTimer.unref();
  }

  onApplicationShutdown(): void {
    if (this.purgeTimer) clearInterval(this.purgeTimer);
  }

  /**
   * Claims a key for a request. The INSERT ... ON CONFLICT makes two concurrent first attempts
   * safe: exactly one claims, the other sees "in progress" (the conflicting row is locked until the
   * first commits, then re-checked).
   */
  async claim(
    scope: string,
    key: string,
    requestHash: string,
    ttlSeconds: number,
  ): Promise<IdempotencyClaim> {
    // One round trip: a new key is inserted, an expired one is taken over (it is free again), a
    // live one is left alone and read below.
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO platform_idempotency_keys (scope, idempotency_key, request_hash, state, expires_at)
       VALUES ($1, $2, $3, 'in-progress', now() + make_interval(secs => $4))
       ON CONFLICT (scope, idempotency_key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, state = 'in-progress', response_status = NULL,
             response_body = NULL, response_type = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE platform_idempotency_keys.expires_at < now()
       RETURNING scope`,
      [scope, key, requestHash, ttlSeconds],
    );
    if (inserted.length > 0) return { kind: 'claimed' };
    const rows: {
      request_hash: string;
      state: string;
      response_status: number | null;
      response_body: string | null;
      response_type: string | null;
    }[] = await this.dataSource.query(
      `SELECT request_hash, state, response_status, response_body, response_type
       FROM platform_idempotency_keys WHERE scope = $1 AND idempotency_key = $2`,
      [scope, key],
    );
    const existing = rows[0];
    // Deleted between our INSERT and SELECT (the first attempt failed): let the caller retry.
    if (!existing) return { kind: 'in-progress' };
    if (existing.request_hash !== requestHash) return { kind: 'different-request' };
    if (existing.state !== 'completed') return { kind: 'in-progress' };
    return {
      kind: 'replay',
      status: existing.response_status ?? 200,
      body: existing.response_body,
      contentType: existing.response_type,
    };
  }

  async complete(
    scope: string,
    key: string,
    status: number,
    body: string | null,
    contentType: string | null,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE platform_idempotency_keys
       SET state = 'completed', response_status = $3, response_body = $4, response_type = $5
       WHERE scope = $1 AND idempotency_key = $2`,
      [scope, key, status, body, contentType],
    );
  }

  /** The attempt failed: forget the key so that a retry runs the request again. */
  async release(scope: string, key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM platform_idempotency_keys WHERE scope = $1 AND idempotency_key = $2 AND state = 'in-progress'`,
      [scope, key],
    );
  }

  async purgeExpired(): Promise<number> {
    const result: [unknown[], number] = await this.dataSource.query(
      'DELETE FROM platform_idempotency_keys WHERE expires_at < now()',
    );
    return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
  }
}
