import { type OutboxRow, readOutboxAndTopics } from './outbox-snapshot';

const row = (id: string, published = true): OutboxRow => ({
  id,
  topic: 'audit.events.v1',
  service: 'dossier',
  published,
});

/** Answers each call with the next value, then keeps answering the last one. */
function sequence<T>(...values: T[]): () => Promise<T> {
  let call = 0;
  return () => Promise.resolve(values[Math.min(call++, values.length - 1)]!);
}

describe('readOutboxAndTopics: the outbox and the topics as of one moment', () => {
  it('does not take a row committed and published between its reads for a record no outbox row wrote', async () => {
    // The rebalance scenario's first run: a restarted process wrote its boot audit checkpoint (c)
    // after the oracle had read the outbox, and its relay published it before the oracle read the topics.
    const readOutbox = sequence([row('a'), row('b')], [row('a'), row('b'), row('c')]);
    const readTopics = sequence(['a', 'b', 'c']);

    const read = await readOutboxAndTopics(readOutbox, readTopics, { pauseMs: 0 });

    expect(read).toMatchObject({ settled: true, attempts: 2, lateRows: [row('c')] });
    expect(read.source.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    const sourceIds = new Set(read.source.map((r) => r.id));
    expect(read.records.filter((id) => !sourceIds.has(id))).toEqual([]);
  });

  it('reads again while a row is still pending: it may reach the topics after they were read', async () => {
    const readOutbox = sequence([row('a'), row('b', false)], [row('a'), row('b')]);
    const readTopics = sequence(['a'], ['a', 'b']);

    const read = await readOutboxAndTopics(readOutbox, readTopics, { pauseMs: 0 });

    expect(read).toEqual({
      source: [row('a'), row('b')],
      records: ['a', 'b'],
      settled: true,
      unsettledRows: 0,
      attempts: 2,
      lateRows: [row('b', false)],
    });
  });

  it('still finds a record that no outbox row wrote once the outbox holds still', async () => {
    const read = await readOutboxAndTopics(sequence([row('a')]), sequence(['a', 'stranger']), { pauseMs: 0 });

    expect(read.settled).toBe(true);
    expect(read.records).toContain('stranger');
    expect(read.source.map((r) => r.id)).toEqual(['a']);
  });

  it('says so when the services never stop writing, instead of comparing two moments', async () => {
    let n = 0;
    const readOutbox = () => {
      n += 1;
      return Promise.resolve(Array.from({ length: n }, (_, i) => row(`e${i}`)));
    };

    const read = await readOutboxAndTopics(readOutbox, sequence([] as string[]), { attempts: 3, pauseMs: 0 });

    expect(read.settled).toBe(false);
    expect(read.unsettledRows).toBe(1);
  });

  it('counts rows deleted between its reads as unsettled too', async () => {
    const readOutbox = sequence([row('a'), row('b')], [row('a')]);

    const read = await readOutboxAndTopics(readOutbox, sequence(['a', 'b']), { attempts: 1, pauseMs: 0 });

    expect(read).toMatchObject({ settled: false, unsettledRows: 1 });
  });
});
