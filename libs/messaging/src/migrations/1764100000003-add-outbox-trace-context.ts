import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The W3C trace context of each outbox row's event (the CloudEvents distributed-tracing extension,
 * also inside the payload): the relay opens its publish span as a child of it without parsing the
 * payload. Null when the producer did not trace. Nullable columns without a default: adding them
 * rewrites nothing, so the migration is instant on a large outbox.
 */
export class AddOutboxTraceContext1764100000003 implements MigrationInterface {
  name = 'AddOutboxTraceContext1764100000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox ADD COLUMN traceparent text, ADD COLUMN tracestate text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN traceparent, DROP COLUMN tracestate`);
  }
}
