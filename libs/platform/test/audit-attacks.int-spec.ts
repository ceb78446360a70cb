import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@backbone/testing';
import { DataSource } from 'typeorm';
import {
  AuditChainLinker,
  AuditCheckpointWriter,
  AuditRecord,
  AuditTrail,
  PLATFORM_MIGRATIONS,
} from '../src';

const repoRoot = resolve(__dirname, '../../..');

/**
 * Issue 11, finding 3: the database owner attacks the audit log by SQL (triggers off where needed),
 * and `npm run audit:verify` (the CLI) must report each attack with its position. Before record MACs,
 * keyed links and checkpoints, all three verified as intact.
 */
describe('audit chain against its database owner (SQL attacks, verify CLI)', () => {
  const key = randomBytes(32);
  const databases: TestDatabase[] = [];
  const sources: DataSource[] = [];

  afterAll(async () => {
    for (const source of sources) await source.destroy();
    for (const database of databases) await database.drop();
  });

  /** A service's audit trail on a fresh database: `count` records, linked, and a checkpoint. */
  async function auditedDatabase(count: number) {
    const database = await createTestDatabase('audit_attack');
    databases.push(database);
    const source = new DataSource({
      type: 'postgres',
      url: database.url,
      entities: [AuditRecord],
      migrations: PLATFORM_MIGRATIONS,
    });
    sources.push(source);
    await source.initialize();
    await source.runMigrations();
    const checkpointFile = join(mkdtempSync(join(tmpdir(), 'audit-checkpoints-')), 'db.jsonl');
    const checkpoints = new AuditCheckpointWriter({
      file: checkpointFile,
      service: 'notes',
      database: 'db',
      key,
    });
    const options = { key, checkpoints, checkpointIntervalMs: 60_000 };
    const trail = new AuditTrail(source, undefined, options);
    const linker = new AuditChainLinker(source, options);
    for (let i = 1; i <= count; i += 1) {
      await trail.recordStandalone({
        action: 'note.create',
        targetType: 'note',
        targetId: `N-${i}`,
        unitCode: '00070',
        actor: { subject: 'officer-1', roles: ['officer'], unitCodes: ['00070'] },
      });
    }
    expect(await linker.linkAll()).toBe(count);
    await linker.writeCheckpoint();
    const verify = () => {
      const result = spawnSync(
        process.execPath,
        [
          '-r',
          '@swc-node/register',
          'libs/platform/src/cli/verify-audit-chain.ts',
          '--checkpoint-file',
          checkpointFile,
        ],
        {
          cwd: repoRoot,
          env: {
            ...process.env,
            SWC_NODE_PROJECT: 'tools/tsconfig.json',
            DATABASE_URL: database.url,
            AUDIT_MAC_KEY: key.toString('base64'),
          },
          encoding: 'utf8',
        },
      );
      return { code: result.status, stdout: result.stdout.trim() };
    };
    return { source, linker, verify };
  }

  it('reports the deletion of the last records (truncation) with the first missing seq', async () => {
    const { source, verify } = await auditedDatabase(6);
    expect(verify()).toMatchObject({ code: 0, stdout: 'Audit chain intact: 6 record(s) verified.' });

    await source.query('ALTER TABLE platform_audit_log DISABLE TRIGGER ALL');
    await source.query('ALTER TABLE platform_audit_chain DISABLE TRIGGER ALL');
    await source.query(
      'DELETE FROM platform_audit_log WHERE id IN (SELECT record_id FROM platform_audit_chain WHERE seq > 4)',
    );
    await source.query('DELETE FROM platform_audit_chain WHERE seq > 4');
    await source.query('ALTER TABLE platform_audit_log ENABLE TRIGGER ALL');
    await source.query('ALTER TABLE platform_audit_chain ENABLE TRIGGER ALL');

    const report = verify();
    expect(report.code).toBe(1);
    expect(report.stdout).toMatch(
      /^Audit chain BROKEN at seq 5: .*records 5\.\.6 were removed \(truncation\)/,
    );
  });

  it('reports a rewritten record whose later links were re-hashed, at its seq', async () => {
    const { source, verify } = await auditedDatabase(5);
    await source.query('ALTER TABLE platform_audit_log DISABLE TRIGGER ALL');
    await source.query('ALTER TABLE platform_audit_chain DISABLE TRIGGER ALL');
    await source.query(
      "UPDATE platform_audit_log SET actor_subject = 'nobody' WHERE id = (SELECT record_id FROM platform_audit_chain WHERE seq = 3)",
    );
    // Re-hash seq 3..5 as the attacker can: the published algorithm, without the service's key.
    const rows: Record<string, unknown>[] = await source.query(
      `SELECT c.seq::text AS seq, c.prev_hash, l.* FROM platform_audit_chain c
       JOIN platform_audit_log l ON l.id = c.record_id ORDER BY c.seq`,
    );
    let prevHash = (await source.query('SELECT hash FROM platform_audit_chain WHERE seq = 2'))[0]
      .hash as string;
    for (const row of rows.slice(2)) {
      const hash = createHash('sha256')
        .update(
          JSON.stringify([
            prevHash,
            String(row.seq),
            row.id,
            (row.occurred_at as Date).toISOString(),
            row.actor_subject,
            row.actor_roles,
            row.actor_units,
            row.unit_code,
            row.action,
            row.target_type,
            row.target_id,
            row.request_id,
            row.correlation_id,
            row.outcome,
          ]),
        )
        .digest('hex');
      await source.query('UPDATE platform_audit_chain SET prev_hash = $1, hash = $2 WHERE seq = $3', [
        prevHash,
        hash,
        row.seq,
      ]);
      prevHash = hash;
    }
    await source.query('ALTER TABLE platform_audit_log ENABLE TRIGGER ALL');
    await source.query('ALTER TABLE platform_audit_chain ENABLE TRIGGER ALL');

    const report = verify();
    expect(report.code).toBe(1);
    expect(report.stdout).toMatch(/^Audit chain BROKEN at seq 3: hash does not match the record/);
  });

  it('never chains a record inserted by SQL, and names it with the seq it follows', async () => {
    const { source, linker, verify } = await auditedDatabase(3);
    const forgedId = '0198a000-0000-7000-8000-00000000f0f0';
    // Triggers on: the append-only rules allow an INSERT, and the linker's queue is a plain table.
    await source.query(
      `INSERT INTO platform_audit_log (id, occurred_at, actor_subject, actor_roles, actor_units, unit_code, action, outcome, mac)
       VALUES ($1, now(), 'city-admin-1', 'city-admin', '', '00070', 'dossier.resolve', 'succeeded', $2)`,
      [forgedId, 'f'.repeat(64)],
    );
    await source.query('INSERT INTO platform_audit_pending (record_id) VALUES ($1)', [forgedId]);
    await linker.linkAll();

    const chained = await source.query('SELECT 1 FROM platform_audit_chain WHERE record_id = $1', [forgedId]);
    expect(chained).toHaveLength(0);
    const report = verify();
    expect(report.code).toBe(1);
    expect(report.stdout).toContain(`1 record(s) NOT written by the service`);
    expect(report.stdout).toContain(`${forgedId} (after seq 3)`);
  });
});
