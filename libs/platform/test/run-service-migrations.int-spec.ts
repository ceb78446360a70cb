import { createTestDatabase, type TestDatabase } from '@backbone/testing';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { PLATFORM_MIGRATIONS, runServiceMigrations, serviceMigrations } from '../src';

class CreateWidgets1767999000000 implements MigrationInterface {
  name = 'CreateWidgets1767999000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE widgets (id uuid PRIMARY KEY)`);
  }
  async down(): Promise<void> {}
}

describe('runServiceMigrations (every service migrate.ts)', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase('platform_migrations');
  });
  afterEach(async () => {
    await database.drop();
  });

  it('applies the platform migrations before the service ones, and nothing the second time', async () => {
    const first = await runServiceMigrations({ url: database.url, migrations: [CreateWidgets1767999000000] });
    expect(first).toEqual([...PLATFORM_MIGRATIONS.map((m) => m.name), 'CreateWidgets1767999000000']);
    expect(
      await runServiceMigrations({ url: database.url, migrations: [CreateWidgets1767999000000] }),
    ).toEqual([]);
  });

  it('adds only the missing platform migrations to a database migrated without them', async () => {
    // What reporting's migrate.ts used to do: the service's list alone.
    const old = new DataSource({
      type: 'postgres',
      url: database.url,
      migrations: [CreateWidgets1767999000000],
    });
    await old.initialize();
    await old.runMigrations();
    await old.destroy();

    const applied = await runServiceMigrations({
      url: database.url,
      migrations: [CreateWidgets1767999000000],
    });
    expect(applied).toEqual(PLATFORM_MIGRATIONS.map((m) => m.name));
  });

  it('lists a migration given twice once', () => {
    expect(serviceMigrations([PLATFORM_MIGRATIONS[0], CreateWidgets1767999000000])).toEqual([
      ...PLATFORM_MIGRATIONS,
      CreateWidgets1767999000000,
    ]);
  });
});
