/** One outbox row as the oracle sees it. */
export interface OutboxRow {
  id: string;
  topic: string;
  service: string;
  /** The relay marked it published (Kafka acknowledged it). */
  published: boolean;
}

export interface OutboxAndTopics<R> {
  /** The outbox rows of the moment the topics were read. */
  source: OutboxRow[];
  records: R[];
  /**
   * False when the services were still writing events whenever the oracle looked (rows pending
   * or new rows during the read): then `source` and `records` are not of one moment.
   */
  settled: boolean;
  /** Rows that were pending or appeared during the last read (0 when settled). */
  unsettledRows: number;
  /** Reads it took; more than 1 when the services were still writing at first. */
  attempts: number;
  /** The rows that were pending or appeared during the reads that did not settle (for the notes). */
  lateRows: OutboxRow[];
}

/**
 * Reads the outbox rows and the topics as of one moment. Reading the outbox once and then the
 * topics is not: a row committed and published between the two reads is on the topics but not in
 * the oracle's copy of the outbox, a "record no outbox row wrote" that is only the oracle's timing
 * (a process restarted mid-scenario writes its boot audit checkpoint a moment after it answers its
 * health check, its relay publishes it at once).
 *
 * So: outbox, then topics, then outbox again. The pair is of one moment when the first read had
 * nothing pending (every row was on Kafka before the topics' ends were taken) and the second read
 * found the same rows (nothing on the topics can come from a row the first read missed). Otherwise
 * the stack is still writing: wait and read again, a bounded number of times.
 */
export async function readOutboxAndTopics<R>(
  readOutbox: () => Promise<OutboxRow[]>,
  readTopics: () => Promise<R[]>,
  options: { attempts?: number; pauseMs?: number } = {},
): Promise<OutboxAndTopics<R>> {
  const attempts = options.attempts ?? 10;
  const pauseMs = options.pauseMs ?? 1_000;
  const lateRows: OutboxRow[] = [];
  for (let attempt = 1; ; attempt += 1) {
    const before = await readOutbox();
    const records = await readTopics();
    const after = await readOutbox();
    const known = new Set(before.map((row) => row.id));
    const pending = before.filter((row) => !row.published).length;
    const appeared = after.filter((row) => !known.has(row.id)).length;
    const vanished = before.length + appeared - after.length;
    const unsettledRows = pending + appeared + vanished;
    if (unsettledRows === 0)
      return { source: after, records, settled: true, unsettledRows: 0, attempts: attempt, lateRows };
    lateRows.push(...before.filter((row) => !row.published), ...after.filter((row) => !known.has(row.id)));
    if (attempt >= attempts)
      return { source: after, records, settled: false, unsettledRows, attempts: attempt, lateRows };
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}
