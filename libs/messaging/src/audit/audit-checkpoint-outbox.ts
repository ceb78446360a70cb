import { AUDIT_EVENTS_TOPIC, AuditCheckpointV1, buildEvent, CITY_UNIT_CODE } from '@backbone/contracts';
import type { DataSource } from 'typeorm';
import { transactionOnHealthyConnection } from '../database-transaction';
import { addToOutbox } from '../outbox/add-to-outbox';

/**
 * A signed checkpoint as libs/platform's AuditCheckpointWriter hands it on (structurally: this lib
 * does not depend on the platform).
 */
export interface SignedAuditCheckpoint {
  service: string;
  /** The service database's name: the chain's id. */
  database: string;
  seq: string;
  hash: string;
  at: string;
  mac: string;
}

/**
 * The unit code of every checkpoint event. The chain belongs to the service, not to a unit (the
 * contract accepts any unit the service serves), and the envelope needs a valid one: the city office
 * (VP-UBND), as for other city-wide events (calendar.official-year-set.v1), is a unit every service
 * of the city serves, so consumers filtering by unit never mistake it for one ward's record.
 */
export const AUDIT_CHECKPOINT_UNIT_CODE = CITY_UNIT_CODE;

/** The `audit.checkpoint.v1` event of a checkpoint; subject and Kafka key = the chain (database name). */
export function auditCheckpointEvent(checkpoint: SignedAuditCheckpoint) {
  const at = new Date(checkpoint.at);
  return buildEvent(AuditCheckpointV1, {
    subject: checkpoint.database,
    unitcode: AUDIT_CHECKPOINT_UNIT_CODE,
    // The per-aggregate version: the checkpoint's time in ms, which grows with every checkpoint of
    // the chain even when its seq does not (no new records since the last one).
    sequence: at.getTime(),
    time: at,
    data: {
      service: checkpoint.service,
      chainId: checkpoint.database,
      seq: checkpoint.seq,
      hash: checkpoint.hash,
      at: checkpoint.at,
      mac: checkpoint.mac,
      macAlgorithm: 'hmac-sha256',
    },
  });
}

/**
 * PlatformModule's `auditCheckpointPublisher`: each checkpoint becomes an `audit.checkpoint.v1` row of
 * the service's outbox (its own transaction on the service's DataSource), and the outbox relay
 * publishes it to `topic` like any other event: at least once, after a Kafka outage too. The service
 * must list `topic` in MessagingModule's `publishes` so that it exists and the relay runs.
 */
export function auditCheckpointsToOutbox(
  topic: string = AUDIT_EVENTS_TOPIC,
): (dataSource: DataSource) => (checkpoint: SignedAuditCheckpoint) => Promise<void> {
  return (dataSource) => async (checkpoint) => {
    const event = auditCheckpointEvent(checkpoint);
    await transactionOnHealthyConnection(dataSource, (manager) => addToOutbox(manager, [event], { topic }));
  };
}
