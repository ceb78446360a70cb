import { PartyFeeItemRecordedV1, eventTypeOf, parseEvent } from '@backbone/contracts';
import { recordItem } from './record-item';

describe('recordItem', () => {
  const now = new Date('2026-07-01T02:00:00.000Z');

  it('makes the item and its party-fee-item.recorded.v1 event, keyed by the item id', () => {
    const { item, event } = recordItem(
      { unitCode: '00070', title: '  First item ', recordedBy: 'officer-1' },
      now,
    );
    expect(item).toMatchObject({
      unitCode: '00070',
      title: 'First item',
      dueOn: null,
      recordedBy: 'officer-1',
      recordedAt: now,
    });
    expect(event).toMatchObject({
      type: 'party-fee-item.recorded.v1',
      subject: item.id,
      unitcode: '00070',
      sequence: 1,
      data: { itemId: item.id, recordedAt: '2026-07-01T02:00:00.000Z' },
    });
    expect(eventTypeOf(PartyFeeItemRecordedV1).topic).toBe('party-fee.events.v1');
  });

  it('builds an event every consumer can parse, and no free text on Kafka', () => {
    const { event } = recordItem({ unitCode: '00103', title: 'Nguyễn Văn A', recordedBy: 'officer-2' }, now);
    expect(parseEvent(JSON.stringify(event))).toEqual(event);
    expect(JSON.stringify(event)).not.toContain('Nguyễn');
  });
});
