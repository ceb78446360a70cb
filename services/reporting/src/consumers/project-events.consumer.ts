import type { CloudEvent } from '@backbone/contracts';
import type { ConsumerHandlers } from '@backbone/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { applyLiveBatch, type EventPosition } from '../projections/projection-writer';

/**
 * The `reporting` group's batch handler: the idempotent consumer calls it inside the batch's
 * transaction with only the events not applied before (recorded in its inbox in the same
 * transaction), and the Kafka position of each, so freshness is kept per topic-partition.
 */
@Injectable()
export class ProjectEventsConsumer implements ConsumerHandlers {
  async handleBatch(
    events: CloudEvent[],
    manager: EntityManager,
    positions?: readonly EventPosition[],
  ): Promise<void> {
    await applyLiveBatch(manager, events, positions);
  }
}
