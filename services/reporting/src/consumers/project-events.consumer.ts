import { Ctx, Payload } from '@nestjs/microservices';
import type { BackboneEvent } from '@backbone/contracts';
import { InboxBatch, type InboxBatchContext, InboxConsumer } from '@backbone/messaging';
import { applyLiveBatch } from '../projections/projection-writer';

/**
 * The `reporting` group's batch handler: the inbox transport calls it inside the batch's
 * transaction with only the events not applied before (recorded in its inbox in the same
 * transaction), of every type, and the Kafka position of each, so freshness is kept per
 * topic-partition. The fold ignores the types it does not count.
 */
@InboxConsumer()
export class ProjectEventsConsumer {
  @InboxBatch()
  async project(@Payload() events: BackboneEvent[], @Ctx() context: InboxBatchContext): Promise<void> {
    await applyLiveBatch(context.getManager(), events, context.getPositions());
  }
}
