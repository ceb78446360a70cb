import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Events a consumer group has applied: the primary key makes a second application impossible. */
export class CreateInbox1764100000001 implements MigrationInterface {
  name = 'CreateInbox1764100000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE inbox (
        consumer_group text NOT NULL,
        event_id uuid NOT NULL,
        payload_hash char(64) NOT NULL,
        event_type text NOT NULL,
        topic text NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT inbox_pkey PRIMARY KEY (consumer_group, event_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE inbox`);
  }
}
