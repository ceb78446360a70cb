import type { MigrationInterface, QueryRunner } from 'typeorm';

export const OUTBOX_NOTIFY_CHANNEL = 'outbox_pending';

/**
 * The transactional outbox. `position` gives the publish order; `lane` (a hash of the key)
 * lets several relays share the work while each key's rows stay with one relay at a time.
 * A statement-level trigger wakes relays (NOTIFY is delivered only when the inserting
 * transaction commits, and one notification per transaction).
 */
export class CreateOutbox1764100000000 implements MigrationInterface {
  name = 'CreateOutbox1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox (
        position bigserial PRIMARY KEY,
        event_id uuid NOT NULL,
        topic text NOT NULL,
        message_key text NOT NULL,
        lane smallint NOT NULL,
        event_type text NOT NULL,
        payload text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX outbox_pending_by_lane ON outbox (lane, position) WHERE published_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${OUTBOX_NOTIFY_CHANNEL}', '');
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbox`);
    await queryRunner.query(`DROP FUNCTION outbox_notify()`);
  }
}
