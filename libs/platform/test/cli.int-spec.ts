import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@backbone/testing';
import { DataSource } from 'typeorm';
import { AuditChainLinker, AuditRecord, AuditTrail, createJwtVerifier, PLATFORM_MIGRATIONS } from '../src';

const repoRoot = resolve(__dirname, '../../..');

function runCli(script: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', `libs/platform/src/cli/${script}`, ...args],
    {
      cwd: repoRoot,
      env: { ...process.env, SWC_NODE_PROJECT: 'tools/tsconfig.json', ...env },
      encoding: 'utf8',
    },
  );
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe('platform CLIs', () => {
  it('issue-token signs a token for a role and units that the platform verifier accepts', async () => {
    const keyDir = mkdtempSync(join(tmpdir(), 'dev-keys-'));
    const issued = runCli(
      'issue-token.ts',
      ['--role', 'officer', '--unit', '00070', '--unit', '00103', '--sub', 'officer-hk-1'],
      {
        DEV_KEY_DIR: keyDir,
        JWT_ISSUER: 'http://127.0.0.1:8080/realms/hanoi',
        JWT_AUDIENCE: 'backbone',
      },
    );
    expect(issued.stderr).toBe('');
    expect(issued.code).toBe(0);
    const verifier = await createJwtVerifier({
      issuer: 'http://127.0.0.1:8080/realms/hanoi',
      audience: 'backbone',
      algorithms: ['RS256', 'ES256'],
      clockToleranceSeconds: 0,
      keys: { publicKeyPem: readFileSync(join(keyDir, 'jwt-public.pem'), 'utf8') },
    });
    expect(await verifier.verify(issued.stdout)).toMatchObject({
      subject: 'officer-hk-1',
      roles: ['officer'],
      unitCodes: ['00070', '00103'],
    });

    expect(runCli('issue-token.ts', ['--role', 'officer'], { DEV_KEY_DIR: keyDir }).code).toBe(2);
  });

  describe('verify-audit-chain', () => {
    let database: TestDatabase;
    let dataSource: DataSource;

    beforeAll(async () => {
      database = await createTestDatabase('platform_cli');
      dataSource = new DataSource({
        type: 'postgres',
        url: database.url,
        entities: [AuditRecord],
        migrations: PLATFORM_MIGRATIONS,
      });
      await dataSource.initialize();
      await dataSource.runMigrations();
      trail = new AuditTrail(dataSource);
      for (const targetId of ['N-1', 'N-2', 'N-3', 'N-4']) await recordNote(targetId);
      // Outside a Nest app nothing links in the background: link as the service's linker would.
      expect(await new AuditChainLinker(dataSource).linkAll()).toBe(4);
    });

    let trail: AuditTrail;
    const recordNote = (targetId: string) =>
      trail.recordStandalone({
        action: 'note.create',
        targetType: 'note',
        targetId,
        unitCode: '00070',
        actor: { subject: 'importer', roles: ['service'], unitCodes: ['00070'] },
      });

    afterAll(async () => {
      await dataSource?.destroy();
      await database?.drop();
    });

    it('reports an intact chain with exit code 0, and names the first altered record with exit code 1', async () => {
      const intact = runCli('verify-audit-chain.ts', [], { DATABASE_URL: database.url });
      expect(intact).toMatchObject({ code: 0, stdout: 'Audit chain intact: 4 record(s) verified.' });

      await dataSource.query('ALTER TABLE platform_audit_log DISABLE TRIGGER platform_audit_log_append_only');
      await dataSource.query(
        "UPDATE platform_audit_log SET target_id = 'N-99' WHERE id = (SELECT record_id FROM platform_audit_chain WHERE seq = 3)",
      );
      const broken = runCli('verify-audit-chain.ts', ['--batch-size', '2'], { DATABASE_URL: database.url });
      expect(broken.code).toBe(1);
      expect(broken.stdout).toMatch(
        /^Audit chain BROKEN at seq 3: hash does not match the record: the record was altered/,
      );
    });

    it('reports records left unlinked beyond the bound with exit code 1', async () => {
      const db = await createTestDatabase('platform_cli_unlinked');
      const source = new DataSource({
        type: 'postgres',
        url: db.url,
        entities: [AuditRecord],
        migrations: PLATFORM_MIGRATIONS,
      });
      try {
        await source.initialize();
        await source.runMigrations();
        const unlinkedTrail = new AuditTrail(source);
        await unlinkedTrail.recordStandalone({
          action: 'note.create',
          actor: { subject: 'a', roles: [], unitCodes: [] },
        });
        await new AuditChainLinker(source).linkAll();
        await unlinkedTrail.recordStandalone({
          action: 'note.create',
          actor: { subject: 'b', roles: [], unitCodes: [] },
        });
        expect(runCli('verify-audit-chain.ts', [], { DATABASE_URL: db.url })).toMatchObject({ code: 0 });
        const late = runCli('verify-audit-chain.ts', ['--max-unlinked-seconds', '0'], {
          DATABASE_URL: db.url,
        });
        expect(late.code).toBe(1);
        expect(late.stdout).toMatch(
          /Audit chain intact: 1 record\(s\) verified\.\n1 record\(s\) left unlinked/,
        );

        // Past seq 9 → 10 (numeric, not text, order) and across several small linking batches.
        for (let i = 0; i < 12; i += 1) {
          await unlinkedTrail.recordStandalone({
            action: 'note.create',
            targetId: `N-${i}`,
            actor: { subject: 'c', roles: [], unitCodes: [] },
          });
        }
        const linker = new AuditChainLinker(source);
        while ((await linker.linkBatch(5)) > 0);
        expect(
          runCli('verify-audit-chain.ts', ['--max-unlinked-seconds', '0'], { DATABASE_URL: db.url }),
        ).toMatchObject({
          code: 0,
          stdout: 'Audit chain intact: 14 record(s) verified.',
        });
      } finally {
        await source.destroy();
        await db.drop();
      }
    });
  });
});
