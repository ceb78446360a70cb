import type { MigrationInterface, QueryRunner } from 'typeorm';
import { officialCalendarYears } from '@backbone/calendar';
import { uuidv7 } from '@backbone/contracts';

/**
 * The official calendar as versioned years (docs/adr/0008-official-calendar.md): one row per year
 * with an entered decision (its number and version), and the history of every change (who, when,
 * old and new). `calendar_overrides` stays the per-date view the deadline computation reads; a
 * change of a year rewrites that year's rows in the same transaction. The years seeded from
 * libs/calendar's official-calendars.json become version 1 of their year.
 */
export class OfficialCalendarYears1767400000002 implements MigrationInterface {
  name = 'OfficialCalendarYears1767400000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE official_calendar_years (
        year integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
        version integer NOT NULL CHECK (version >= 1),
        decision_number text NOT NULL,
        days jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE official_calendar_changes (
        id uuid PRIMARY KEY,
        year integer NOT NULL,
        version integer NOT NULL,
        change text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        changed_by text NOT NULL,
        old_value jsonb,
        new_value jsonb NOT NULL,
        UNIQUE (year, version)
      )`);
    for (const year of officialCalendarYears()) {
      const value = { version: 1, decisionNumber: year.decisionNumber, days: year.overrides };
      await queryRunner.query(
        `INSERT INTO official_calendar_years (year, version, decision_number, days, updated_by)
         VALUES ($1, 1, $2, $3, 'seed')`,
        [year.year, year.decisionNumber, JSON.stringify(year.overrides)],
      );
      await queryRunner.query(
        `INSERT INTO official_calendar_changes (id, year, version, change, changed_by, old_value, new_value)
         VALUES ($1, $2, 1, 'seed', 'seed', NULL, $3)`,
        [uuidv7(), year.year, JSON.stringify(value)],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE official_calendar_changes`);
    await queryRunner.query(`DROP TABLE official_calendar_years`);
  }
}
