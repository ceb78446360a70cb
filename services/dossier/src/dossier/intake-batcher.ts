import { Logger } from '@nestjs/common';
import { combineStatements, type SqlStatement } from '@backbone/platform';

/** One dossier's writes: its statements with its CTEs suffixed `_<n>`, and its code counter row. */
export interface DossierWrite {
  /** `<agency>|<civil date>`: the counter row its number comes from. */
  counterKey: string;
  /**
   * The dossier's statements as the n-th of a shared statement: CTE names end in `_<n>`, and
   * `dossier_code_<n>` returns the allocated code.
   */
  statements: (n: number) => SqlStatement[];
}

export interface BatchRow {
  n: number;
  code: string;
}

interface Waiting {
  write: DossierWrite;
  resolve(code: string): void;
  reject(error: unknown): void;
}

/** Shared statements at once; more writes wait for one of them and then go together. */
const MAX_STATEMENTS_IN_FLIGHT = 4;
/** Dossiers per shared statement. */
const MAX_DOSSIERS_PER_STATEMENT = 16;

/**
 * Group commit for dossier creation. Writes that arrive while MAX_STATEMENTS_IN_FLIGHT statements
 * are running (and those of the same event-loop turn) are sent as ONE statement that commits them
 * all: one round trip, one parse/bind/execute and one commit (WAL flush) for several dossiers
 * instead of one each. Nothing is weakened:
 * - each caller's promise settles only after the statement holding its dossier has committed;
 * - a statement holds at most one dossier per counter row (agency and day), so two numbers of one
 *   row are never taken in one statement; a second one waits for the next statement;
 * - its counter rows are locked in one order (sorted by counter key, through the final SELECT), so
 *   two shared statements never deadlock on each other's rows;
 * - if a shared statement fails (any error), nothing of it was written and every dossier in it is
 *   written again on its own statement: the dossier that caused the failure gets its own error,
 *   the others are unaffected (their numbers, rolled back with the statement, are taken again).
 */
export class IntakeBatcher {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly logger = new Logger('IntakeBatcher');

  constructor(private readonly execute: (statement: SqlStatement) => Promise<BatchRow[]>) {}

  /** Resolves with the dossier's code once its statement has committed. */
  write(write: DossierWrite): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      this.waiting.push({ write, resolve, reject });
      // Sent after the current event-loop turn, so writes prepared in the same turn share it.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_STATEMENTS_IN_FLIGHT && this.waiting.length > 0) {
      const batch = this.takeBatch();
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /** The oldest waiting writes, at most one per counter row, in counter-key order. */
  private takeBatch(): Waiting[] {
    const batch: Waiting[] = [];
    const keys = new Set<string>();
    for (let i = 0; i < this.waiting.length && batch.length < MAX_DOSSIERS_PER_STATEMENT;) {
      const candidate = this.waiting[i]!;
      if (keys.has(candidate.write.counterKey)) {
        i += 1;
        continue;
      }
      keys.add(candidate.write.counterKey);
      batch.push(candidate);
      this.waiting.splice(i, 1);
    }
    return batch.sort((a, b) =>
      a.write.counterKey < b.write.counterKey ? -1 : a.write.counterKey > b.write.counterKey ? 1 : 0,
    );
  }

  private async run(batch: Waiting[]): Promise<void> {
    let rows: BatchRow[];
    try {
      rows = await this.execute(sharedStatement(batch.map((waiting) => waiting.write)));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // Nothing of the shared statement was written: each dossier again, alone.
      this.logger.warn({
        msg: 'a shared dossier statement failed; writing its dossiers one by one',
        dossiers: batch.length,
        code: (error as { driverError?: { code?: string } }).driverError?.code,
      });
      await Promise.all(batch.map((waiting) => this.run([waiting])));
      return;
    }
    const codes = new Map(rows.map((row) => [Number(row.n), row.code]));
    batch.forEach((waiting, n) => {
      const code = codes.get(n);
      if (code === undefined) waiting.reject(new Error(`no code returned for dossier ${n} of the statement`));
      else waiting.resolve(code);
    });
  }
}

/**
 * The dossiers' statements as one: their CTEs, then a SELECT of every allocated code in order (it
 * reads `dossier_code_0` first, so the counter rows are locked in the batch's order).
 */
export function sharedStatement(writes: DossierWrite[]): SqlStatement {
  const codes = writes.map((_write, n) => `SELECT ${n} AS n, code FROM dossier_code_${n}`);
  return combineStatements([
    ...writes.flatMap((write, n) => write.statements(n)),
    { sql: codes.join(' UNION ALL '), params: [] },
  ]);
}
