import type { MigrationInterface, QueryRunner } from 'typeorm';
import { generationDdl, generationSchemaName } from '../generation-schema';

/**
 * The generation registry, the pointer to the current generation, and generation 1's tables.
 * `reporting_current` has exactly one row: the live consumer reads it FOR SHARE in every batch
 * and a rebuild updates it, so a switch waits for running batches and later batches see it.
 */
export class CreateReportingProjections1764300000000 implements MigrationInterface {
  name = 'CreateReportingProjections1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE reporting_generation (
        generation integer PRIMARY KEY,
        schema_name text NOT NULL UNIQUE,
        state text NOT NULL CHECK (state IN ('building', 'current', 'retired', 'failed')),
        created_at timestamptz NOT NULL DEFAULT now(),
        switched_at timestamptz,
        events_applied bigint,
        events_per_second numeric
      )`);
    await queryRunner.query(`
      CREATE TABLE reporting_current (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        generation integer NOT NULL REFERENCES reporting_generation (generation)
      )`);
    const schema = generationSchemaName(1);
    for (const statement of generationDdl(schema)) await queryRunner.query(statement);
    await queryRunner.query(
      `INSERT INTO reporting_generation (generation, schema_name, state, switched_at) VALUES (1, $1, 'current', now())`,
      [schema],
    );
    await queryRunner.query(`INSERT INTO reporting_current (generation) VALUES (1)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schemas: { schema_name: string }[] = await queryRunner.query(
      `SELECT schema_name FROM reporting_generation`,
    );
    await queryRunner.query(`DROP TABLE reporting_current`);
    await queryRunner.query(`DROP TABLE reporting_generation`);
    for (const { schema_name } of schemas)
      await queryRunner.query(`DROP SCHEMA IF EXISTS "${schema_name}" CASCADE`);
  }
}
