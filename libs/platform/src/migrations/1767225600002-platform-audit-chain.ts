import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hash chain moves out of the request's transaction (ADR 0004): a request appends its record to
 * `platform_audit_log` and a row to `platform_audit_pending`, with no lock; the linker then gives each
 * committed record its chain position, previous hash and hash in `platform_audit_chain`. Existing
 * records keep their positions and hashes (the hash covers the same fields).
 */
export class PlatformAuditChain1767225600002 implements MigrationInterface {
  name = 'PlatformAuditChain1767225600002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE platform_audit_chain (
        seq       bigint PRIMARY KEY,
        record_id uuid NOT NULL UNIQUE,
        prev_hash char(64) NOT NULL,
        hash      char(64) NOT NULL,
        linked_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      INSERT INTO platform_audit_chain (seq, record_id, prev_hash, hash)
      SELECT seq, id, prev_hash, hash FROM platform_audit_log`);
    await queryRunner.query(`
      ALTER TABLE platform_audit_log
        DROP CONSTRAINT platform_audit_log_pkey,
        DROP CONSTRAINT platform_audit_log_id_key,
        ADD PRIMARY KEY (id),
        DROP COLUMN seq,
        DROP COLUMN prev_hash,
        DROP COLUMN hash`);
    // A work queue, not a record: the linker deletes what it has linked. Removing a row here by hand
    // leaves its record unlinked, which verify-audit-chain reports once it is older than its bound.
    await queryRunner.query(`
      CREATE TABLE platform_audit_pending (
        entry_no  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        record_id uuid NOT NULL
      )`);
    await queryRunner.query(`
      CREATE FUNCTION platform_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER platform_audit_chain_append_only BEFORE UPDATE OR DELETE ON platform_audit_chain
      FOR EACH ROW EXECUTE FUNCTION platform_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER platform_audit_chain_no_truncate BEFORE TRUNCATE ON platform_audit_chain
      FOR EACH STATEMENT EXECUTE FUNCTION platform_refuse_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE platform_audit_pending`);
    await queryRunner.query(`
      ALTER TABLE platform_audit_log
        ADD COLUMN seq bigint, ADD COLUMN prev_hash char(64), ADD COLUMN hash char(64)`);
    await queryRunner.query('ALTER TABLE platform_audit_log DISABLE TRIGGER platform_audit_log_append_only');
    await queryRunner.query(`
      UPDATE platform_audit_log l SET seq = c.seq, prev_hash = c.prev_hash, hash = c.hash
      FROM platform_audit_chain c WHERE c.record_id = l.id`);
    // Records never linked cannot go back into the old single-table chain.
    await queryRunner.query(`DELETE FROM platform_audit_log WHERE seq IS NULL`);
    await queryRunner.query('ALTER TABLE platform_audit_log ENABLE TRIGGER platform_audit_log_append_only');
    await queryRunner.query(`
      ALTER TABLE platform_audit_log
        DROP CONSTRAINT platform_audit_log_pkey,
        ADD PRIMARY KEY (seq),
        ADD CONSTRAINT platform_audit_log_id_key UNIQUE (id),
        ALTER COLUMN prev_hash SET NOT NULL,
        ALTER COLUMN hash SET NOT NULL`);
    await queryRunner.query(`DROP TABLE platform_audit_chain`);
    await queryRunner.query(`DROP FUNCTION platform_refuse_change()`);
  }
}
