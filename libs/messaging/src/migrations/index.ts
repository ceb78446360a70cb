import { CreateOutbox1764100000000 } from './1764100000000-create-outbox';
import { CreateInbox1764100000001 } from './1764100000001-create-inbox';
import { CreateConsumerAppliedOffset1764100000002 } from './1764100000002-create-consumer-applied-offset';
import { AddOutboxTraceContext1764100000003 } from './1764100000003-add-outbox-trace-context';

export { OUTBOX_NOTIFY_CHANNEL } from './1764100000000-create-outbox';

/** Append to a service DataSource's `migrations` (order matters: keep this array's order). */
export const messagingMigrations = [
  CreateOutbox1764100000000,
  CreateInbox1764100000001,
  CreateConsumerAppliedOffset1764100000002,
  AddOutboxTraceContext1764100000003,
];
