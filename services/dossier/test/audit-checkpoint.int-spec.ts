import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditCheckpointV1, type CloudEvent, parseEvent } from '@backbone/contracts';
import {
  type AuditCheckpoint,
  checkpointFileFor,
  checkpointMac,
  databaseNameOf,
  readLatestCheckpoint,
} from '@backbone/platform';
import { readTopicUntil } from '@backbone/testing';
import { startDossierTestApp, type DossierTestApp } from './support/dossier-test-app';

/**
 * Issue 11, audit checkpoints: every signed checkpoint the service appends to its checkpoint file
 * also leaves the host as an `audit.checkpoint.v1` event (outbox, relay, audit topic), so that
 * someone who controls the database and the host still cannot hide a truncated chain.
 */
describe('dossier audit checkpoints on the audit topic (real database and broker)', () => {
  let t: DossierTestApp;
  const checkpointDir = mkdtempSync(join(tmpdir(), 'dossier-audit-checkpoints-'));
  const auditKey = randomBytes(32);

  beforeAll(async () => {
    t = await startDossierTestApp({
      AUDIT_CHECKPOINT_DIR: checkpointDir,
      AUDIT_CHECKPOINT_INTERVAL_MS: '1000',
      AUDIT_MAC_KEY: auditKey.toString('base64'),
      SERVICE_CLIENTS: 'national-portal:dossier.submit-online',
    });
  });

  afterAll(async () => {
    await t?.close();
    rmSync(checkpointDir, { recursive: true, force: true });
  });

  it('publishes each checkpoint, signed with the service key, equal to the file’s last line', async () => {
    // An audited change, so the chain has at least one link when a later checkpoint is taken.
    const portal = await t.token('national-portal', ['service'], []);
    const submitted = await t.app.inject({
      method: 'POST',
      url: '/dossiers/online',
      headers: { authorization: `Bearer ${portal}`, 'content-type': 'application/json' },
      payload: JSON.stringify({
        unitCode: '00070',
        procedureCode: '1.001193',
        applicant: { fullName: 'Trần Thị Bích Ngọc', nationalId: '079188054321', phone: '0987654321' },
      }),
    });
    expect(submitted.statusCode).toBe(201);

    const database = databaseNameOf(t.config.DATABASE_URL);
    const file = checkpointFileFor(checkpointDir, t.config.DATABASE_URL);
    let matched:
      { event: CloudEvent<AuditCheckpointV1>; key: string | null; line: AuditCheckpoint } | undefined;
    await readTopicUntil(t.config.AUDIT_EVENTS_TOPIC, (records) => {
      // Checkpoints keep coming every second: wait until the file's latest one is on the topic.
      const latest = readLatestCheckpoint(file, auditKey);
      if (latest.found !== true)
        throw new Error(`no valid checkpoint in ${file} yet: ${JSON.stringify(latest)}`);
      if (BigInt(latest.checkpoint.seq) < 1n) throw new Error('no checkpoint after the audited change yet');
      const record = records.find((candidate) => {
        const data = JSON.parse(candidate.value?.toString('utf8') ?? '{}') as { data?: { at?: string } };
        return data.data?.at === latest.checkpoint.at;
      });
      if (!record) throw new Error(`the checkpoint of ${latest.checkpoint.at} is not on the topic yet`);
      matched = {
        event: parseEvent(record.value?.toString('utf8') ?? '') as CloudEvent<AuditCheckpointV1>,
        key: record.key,
        line: latest.checkpoint,
      };
    });

    const { event, key, line } = matched!;
    expect(event.type).toBe('audit.checkpoint.v1');
    expect(event.subject).toBe(database);
    expect(key).toBe(database);
    expect(event.unitcode).toBe('VP-UBND');
    expect(event.data).toEqual({
      service: 'dossier',
      chainId: database,
      seq: line.seq,
      hash: line.hash,
      at: line.at,
      mac: line.mac,
      macAlgorithm: 'hmac-sha256',
    });
    // The event alone proves the checkpoint: its MAC verifies with the service's audit key...
    const unsigned = {
      service: event.data.service,
      database: event.data.chainId,
      seq: event.data.seq,
      hash: event.data.hash,
      at: event.data.at,
    };
    expect(event.data.mac).toBe(checkpointMac(unsigned, auditKey));
    // ...and with no other key (not the development key nor a fresh one).
    expect(event.data.mac).not.toBe(checkpointMac(unsigned));
    expect(event.data.mac).not.toBe(checkpointMac(unsigned, randomBytes(32)));
    // The file line is what the platform wrote (unchanged contract with verify-audit-chain).
    expect(readFileSync(file, 'utf8').trim().split('\n').length).toBeGreaterThanOrEqual(2);
  });
});
