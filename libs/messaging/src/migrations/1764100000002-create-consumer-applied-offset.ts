import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per topic-partition, the highest offset a consumer of this database has applied (or parked),
 * written in the same transaction as the inbox rows and the handler's effects. A record at or
 * below the mark is skipped before the inbox is asked, so deduplication holds after old inbox
 * rows were pruned and the group's committed offsets were lost (offset retention) or the group
 * was renamed. Keyed by `scope` (one per database unless a consumer asks for its own), not by
 * consumer group, for that last reason. `consumer_group` says which group moved it last.
 */
export class CreateConsumerAppliedOffset1764100000002 implements MigrationInterface {
  name = 'CreateConsumerAppliedOffset1764100000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE consumer_applied_offset (
        scope text NOT NULL,
        topic text NOT NULL,
        kafka_partition integer NOT NULL,
        applied_offset bigint NOT NULL,
        consumer_group text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT consumer_applied_offset_pkey PRIMARY KEY (scope, topic, kafka_partition)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE consumer_applied_offset`);
  }
}
