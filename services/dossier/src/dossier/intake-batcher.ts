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
export const MAX_DOSSIERS_PER_STATEMENT = 16;

/** Group commit for dossier creation: why, and what it guarantees, in docs/adr/0009-intake-group-commit.md. */
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
