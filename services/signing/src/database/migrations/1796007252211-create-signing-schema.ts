import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSigningSchema1796007252211 implements MigrationInterface {
  name = 'CreateSigningSchema1796007252211';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE items (
        id uuid PRIMARY KEY,
        unit_code text NOT NULL,
        title text NOT NULL,
        due_on date,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX items_unit_code_recorded_at ON items (unit_code, recorded_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE items`);
  }
}
