import { buildEvent, type CloudEvent, HotlineItemRecordedV1, uuidv7 } from '@backbone/contracts';
import { Item } from './item.entity';

export interface RecordItemInput {
  unitCode: string;
  title: string;
  dueOn?: string;
  recordedBy: string;
}

/**
 * The rule of the sample slice, without I/O: a new item and the event that announces it. The
 * event carries no free text (the title may name a person; nothing personal goes on Kafka).
 */
export function recordItem(
  input: RecordItemInput,
  now: Date,
): { item: Item; event: CloudEvent<HotlineItemRecordedV1> } {
  const item = Object.assign(new Item(), {
    id: uuidv7(),
    unitCode: input.unitCode,
    title: input.title.trim(),
    dueOn: input.dueOn ?? null,
    recordedBy: input.recordedBy,
    recordedAt: now,
  });
  const event = buildEvent(HotlineItemRecordedV1, {
    subject: item.id,
    unitcode: item.unitCode,
    sequence: 1,
    time: now,
    data: { itemId: item.id, recordedAt: now.toISOString() },
  });
  return { item, event };
}
