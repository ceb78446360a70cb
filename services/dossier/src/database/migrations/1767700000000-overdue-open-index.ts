import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The open overdue dossiers (reported overdue, still in an open status): the overdue scheduler counts
 * them for the `dossiers_overdue_open` gauge (alert OverdueDossiersRising) after each scan. A partial
 * index holds only those rows, so the count stays cheap however many dossiers the service keeps.
 */
export class OverdueOpenIndex1767700000000 implements MigrationInterface {
  name = 'OverdueOpenIndex1767700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX dossiers_overdue_open ON dossiers (unit_code)
       WHERE overdue_notified_at IS NOT NULL
         AND status IN ('received','processing','supplement-requested','awaiting-payment')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX dossiers_overdue_open`);
  }
}
