import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each audit record carries the service's MAC (HMAC-SHA256 with AUDIT_MAC_KEY, a key the database
 * does not hold): the linker chains only records whose MAC is right, so a record inserted by SQL is
 * never chained, and verify-audit-chain names it. Records written before this column have none.
 */
export class PlatformAuditRecordMac1767225600003 implements MigrationInterface {
  name = 'PlatformAuditRecordMac1767225600003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE platform_audit_log ADD COLUMN mac char(64)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE platform_audit_log DROP COLUMN mac`);
  }
}
