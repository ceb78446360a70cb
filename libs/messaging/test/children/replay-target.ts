// The replay target a service would provide for the dead-letters CLI: its DataSource and handlers.
import type { CloudEvent } from '@backbone/contracts';
import type { EntityManager } from 'typeorm';
import type { DeadLetterReplayTarget } from '../../src';
import { openDataSource, recordApplied } from '../support';

export async function createDeadLetterTarget(): Promise<DeadLetterReplayTarget> {
  const dataSource = await openDataSource(process.env.REPLAY_DATABASE_URL!);
  return {
    dataSource,
    handlers: {
      // "After the fix": the handler no longer rejects exploding orders.
      handle: (event: CloudEvent, manager: EntityManager) => recordApplied(event, manager),
    },
    close: () => dataSource.destroy(),
  };
}
