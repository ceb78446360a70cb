import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PlatformAuditLog1767225600000 implements MigrationInterface {
  name = 'PlatformAuditLog1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE platform_audit_log (
        seq            bigint PRIMARY KEY,
        id             uuid NOT NULL UNIQUE,
        occurred_at    timestamptz NOT NULL,
        actor_subject  text NOT NULL,
        actor_roles    text NOT NULL,
        actor_units    text NOT NULL,
        unit_code      text,
        action         text NOT NULL,
        target_type    text,
        target_id      text,
        request_id     text,
        correlation_id text,
        outcome        text NOT NULL,
        prev_hash      char(64) NOT NULL,
        hash           char(64) NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX platform_audit_log_target ON platform_audit_log (target_type, target_id)`,
    );
    await queryRunner.query(
      `CREATE INDEX platform_audit_log_unit_time ON platform_audit_log (unit_code, occurred_at)`,
    );
    // Append-only for everyone but a superuser who disables the trigger; the hash chain catches that case.
    await queryRunner.query(`
      CREATE FUNCTION platform_audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'platform_audit_log is append-only: % refused', TG_OP;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER platform_audit_log_append_only BEFORE UPDATE OR DELETE ON platform_audit_log
      FOR EACH ROW EXECUTE FUNCTION platform_audit_log_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER platform_audit_log_no_truncate BEFORE TRUNCATE ON platform_audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION platform_audit_log_refuse_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE platform_audit_log`);
    await queryRunner.query(`DROP FUNCTION platform_audit_log_refuse_change()`);
  }
}
