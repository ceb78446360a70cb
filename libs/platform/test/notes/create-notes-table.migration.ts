import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTestNotes1767225700000 implements MigrationInterface {
  name = 'CreateTestNotes1767225700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE test_notes (
        id uuid PRIMARY KEY,
        unit_code text NOT NULL,
        title text NOT NULL,
        national_id_cipher text NOT NULL,
        national_id_index char(64) NOT NULL,
        created_by text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX test_notes_national_id_index ON test_notes (national_id_index)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE test_notes`);
  }
}
