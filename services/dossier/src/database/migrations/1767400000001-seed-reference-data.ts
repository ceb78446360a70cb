import type { MigrationInterface, QueryRunner } from 'typeorm';
import { officialCalendarYears } from '@backbone/calendar';
import { seedProcedures, seedUnits } from '../../reference-data';

/** The day the two-tier organisation took effect: the seeded catalogue is valid from then. */
const CATALOGUE_VALID_FROM = '2025-07-01';

/**
 * Seeds the reference data from the checked-in files (src/reference-data, libs/calendar). Later
 * changes go through the API (city-admin), never by editing this migration.
 */
export class SeedReferenceData1767400000001 implements MigrationInterface {
  name = 'SeedReferenceData1767400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const units = seedUnits();
    await queryRunner.query(
      `INSERT INTO administrative_units (code, valid_from, valid_to, name, type)
       SELECT * FROM unnest($1::text[], $2::date[], $3::date[], $4::text[], $5::text[])`,
      [
        units.map((u) => u.code),
        units.map((u) => u.validFrom),
        units.map((u) => u.validTo),
        units.map((u) => u.name),
        units.map((u) => u.type),
      ],
    );
    for (const p of seedProcedures()) {
      await queryRunner.query(
        `INSERT INTO procedures (code, valid_from, name, field, level, statutory_time, online_level, fee_vnd, requires_signature, code_verified)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          p.code,
          CATALOGUE_VALID_FROM,
          p.name,
          p.field,
          p.level,
          JSON.stringify(p.statutoryTime),
          p.onlineLevel,
          p.feeVnd,
          p.requiresSignature,
          p.codeVerified,
        ],
      );
    }
    for (const o of officialCalendarYears().flatMap((year) => year.overrides)) {
      await queryRunner.query(
        `INSERT INTO calendar_overrides (date, kind, reason, source, updated_by) VALUES ($1, $2, $3, $4, 'seed')`,
        [o.date, o.kind, o.reason, o.source],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM calendar_overrides WHERE updated_by = 'seed'`);
    await queryRunner.query(`DELETE FROM procedures`);
    await queryRunner.query(`DELETE FROM administrative_units`);
  }
}
