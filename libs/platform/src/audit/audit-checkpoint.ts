import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEVELOPMENT_AUDIT_KEY } from './audit-chain';

/**
 * A signed statement, kept outside the database, that the chain had `seq` links ending in `hash` at
 * `at`. The database owner can delete the last records and their links (with the triggers off) so
 * that the chain still verifies; the latest checkpoint still names a longer chain, or another hash.
 */
export interface AuditCheckpoint {
  service: string;
  database: string;
  seq: string;
  hash: string;
  at: string;
  mac: string;
}

export type UnsignedAuditCheckpoint = Omit<AuditCheckpoint, 'mac'>;

export function checkpointMac(
  checkpoint: UnsignedAuditCheckpoint,
  key: Buffer = DEVELOPMENT_AUDIT_KEY,
): string {
  const canonical = JSON.stringify([
    'audit-checkpoint-v1',
    checkpoint.service,
    checkpoint.database,
    checkpoint.seq,
    checkpoint.hash,
    checkpoint.at,
  ]);
  return createHmac('sha256', key).update(canonical, 'utf8').digest('hex');
}

function macMatches(checkpoint: AuditCheckpoint, key: Buffer): boolean {
  const expected = checkpointMac(checkpoint, key);
  return (
    typeof checkpoint.mac === 'string' &&
    checkpoint.mac.length === expected.length &&
    timingSafeEqual(Buffer.from(checkpoint.mac), Buffer.from(expected))
  );
}

/** The database name of a PostgreSQL URL: the checkpoint file is per database. */
export function databaseNameOf(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, '')) || 'postgres';
}

/** `<dir>/<database>.jsonl`: one JSON checkpoint per line, appended. */
export function checkpointFileFor(dir: string, databaseUrl: string): string {
  return join(dir, `${databaseNameOf(databaseUrl).replace(/[^A-Za-z0-9_.-]/g, '_')}.jsonl`);
}

export type LatestCheckpoint =
  | { found: false }
  | { found: true; checkpoint: AuditCheckpoint; count: number }
  | { found: 'invalid'; line: number; reason: string };

/** The file's last checkpoint; every line's MAC is checked, so an edited file is reported too. */
export function readLatestCheckpoint(file: string, key: Buffer = DEVELOPMENT_AUDIT_KEY): LatestCheckpoint {
  if (!existsSync(file)) return { found: false };
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0);
  let latest: AuditCheckpoint | undefined;
  for (const [index, line] of lines.entries()) {
    let checkpoint: AuditCheckpoint;
    try {
      checkpoint = JSON.parse(line) as AuditCheckpoint;
    } catch {
      return { found: 'invalid', line: index + 1, reason: 'not JSON' };
    }
    if (!macMatches(checkpoint, key)) return { found: 'invalid', line: index + 1, reason: 'bad signature' };
    if (latest && BigInt(checkpoint.seq) < BigInt(latest.seq))
      return { found: 'invalid', line: index + 1, reason: 'seq goes backwards' };
    latest = checkpoint;
  }
  return latest ? { found: true, checkpoint: latest, count: lines.length } : { found: false };
}

export interface CheckpointComparison {
  ok: boolean;
  reason?: string;
  /** Where to look: the first seq the checkpoint vouches for that the chain no longer shows as it was. */
  position?: string;
}

/**
 * The verified chain against the latest checkpoint: it must reach the checkpoint's seq and have the
 * checkpoint's hash there.
 */
export function compareWithCheckpoint(
  chainHeadSeq: string,
  hashAtCheckpointSeq: string | undefined,
  checkpoint: AuditCheckpoint,
): CheckpointComparison {
  if (BigInt(chainHeadSeq) < BigInt(checkpoint.seq)) {
    return {
      ok: false,
      position: String(BigInt(chainHeadSeq) + 1n),
      reason:
        `the chain ends at seq ${chainHeadSeq} but the checkpoint of ${checkpoint.at} recorded seq ${checkpoint.seq}: ` +
        `records ${BigInt(chainHeadSeq) + 1n}..${checkpoint.seq} were removed (truncation)`,
    };
  }
  if (hashAtCheckpointSeq !== checkpoint.hash) {
    return {
      ok: false,
      position: checkpoint.seq,
      reason: `the link at seq ${checkpoint.seq} differs from the checkpoint of ${checkpoint.at}: the chain up to it was rewritten`,
    };
  }
  return { ok: true };
}

/** Called with each checkpoint, e.g. to publish `audit.checkpoint.v1` (a service provides it). */
export type AuditCheckpointPublisher = (checkpoint: AuditCheckpoint) => Promise<void>;

/** Appends signed checkpoints to the file (created with its folder) and hands each to the publisher. */
export class AuditCheckpointWriter {
  constructor(
    private readonly options: {
      file: string;
      service: string;
      database: string;
      key?: Buffer;
      publish?: AuditCheckpointPublisher;
    },
  ) {}

  get file(): string {
    return this.options.file;
  }

  async write(head: { seq: string; hash: string }, at = new Date()): Promise<AuditCheckpoint> {
    const unsigned: UnsignedAuditCheckpoint = {
      service: this.options.service,
      database: this.options.database,
      seq: head.seq,
      hash: head.hash,
      at: at.toISOString(),
    };
    const checkpoint = { ...unsigned, mac: checkpointMac(unsigned, this.options.key) };
    mkdirSync(dirname(this.options.file), { recursive: true });
    appendFileSync(this.options.file, `${JSON.stringify(checkpoint)}\n`, { mode: 0o600 });
    await this.options.publish?.(checkpoint);
    return checkpoint;
  }
}
