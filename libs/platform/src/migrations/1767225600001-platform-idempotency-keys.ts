import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PlatformIdempotencyKeys1767225600001 implements MigrationInterface {
  name = 'PlatformIdempotencyKeys1767225600001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE platform_idempotency_keys (
        scope           text NOT NULL,
        idempotency_key text NOT NULL,
        request_hash    char(64) NOT NULL,
        state           text NOT NULL CHECK (state IN ('in-progress', 'completed')),
        response_status integer,
        response_body   text,
        response_type   text,
        created_at      timestamptz NOT NULL DEFAULT now(),
        expires_at      timestamptz NOT NULL,
        PRIMARY KEY (scope, idempotency_key)
      )`);
    await queryRunner.query(
      `CREATE INDEX platform_idempotency_keys_expiry ON platform_idempotency_keys (expires_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE platform_idempotency_keys`);
  }
}
