import type { CloudEvent } from '@backbone/contracts';
import { laneOf } from './lanes';
import { outboxInsertStatement } from './add-to-outbox';

const event = (id: string, subject: string) =>
  ({ id, subject, type: 'test.happened.v1', data: { code: 'X-0000' } }) as unknown as CloudEvent;

describe('outboxInsertStatement', () => {
  it('inserts one row per event with scalar parameters', () => {
    const events = [event('e1', 's1'), event('e2', 's2')];
    const statement = outboxInsertStatement(events, { topic: 't' });
    expect(statement.sql).toBe(
      'INSERT INTO outbox (event_id, topic, message_key, lane, event_type, payload) VALUES ' +
        '($1::uuid, $2, $3, $4::smallint, $5, $6), ($7::uuid, $8, $9, $10::smallint, $11, $12)',
    );
    expect(statement.params).toEqual([
      'e1',
      't',
      's1',
      laneOf('s1'),
      'test.happened.v1',
      JSON.stringify(events[0]),
      'e2',
      't',
      's2',
      laneOf('s2'),
      'test.happened.v1',
      JSON.stringify(events[1]),
    ]);
  });

  it('replaces a placeholder in every payload by an SQL expression, the placeholder being $1', () => {
    const statement = outboxInsertStatement([event('e1', 's1')], {
      topic: 't',
      substitute: { placeholder: '"code":"X-0000"', sqlExpression: '(SELECT code FROM c)' },
    });
    expect(statement.sql).toContain(
      '($2::uuid, $3, $4, $5::smallint, $6, replace($7, $1, (SELECT code FROM c)))',
    );
    expect(statement.params[0]).toBe('"code":"X-0000"');
    expect(() =>
      outboxInsertStatement([event('e1', 's1')], {
        topic: 't',
        substitute: { placeholder: 'p', sqlExpression: '$1' },
      }),
    ).toThrow(/must not contain/);
  });
});
