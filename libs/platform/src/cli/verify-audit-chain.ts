// Verifies a service's audit hash chain and names the first broken link.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/dossier \
//   SWC_NODE_PROJECT=tools/tsconfig.json node -r @swc-node/register libs/platform/src/cli/verify-audit-chain.ts
//
// Checks the linked chain (platform_audit_chain over platform_audit_log), then that no record has
// stayed unlinked for longer than --max-unlinked-seconds (default 60; the linker chains records about
// a second after their commit).
// Links and record MACs are checked with AUDIT_MAC_KEY (base64; the development key when unset), and
// the chain against the latest signed checkpoint in --checkpoint-file (default
// $AUDIT_CHECKPOINT_DIR/<database>.jsonl, AUDIT_CHECKPOINT_DIR defaulting to .data/audit-checkpoints):
// a chain shorter than the checkpoint was truncated. Records in the log without a valid service MAC
// (inserted by SQL) are named.
// Exit code: 0 intact, 1 broken, truncated, forged or records left unlinked, 2 could not check.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { DEVELOPMENT_AUDIT_KEY } from '../audit/audit-chain';
import { checkpointFileFor, readLatestCheckpoint } from '../audit/audit-checkpoint';
import {
  findForgedAuditRecords,
  findUnlinkedAuditRecords,
  verifyAuditChainInDatabase,
} from '../audit/verify-audit-chain-db';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'database-url': { type: 'string' },
      'batch-size': { type: 'string' },
      'max-unlinked-seconds': { type: 'string' },
      'checkpoint-file': { type: 'string' },
    },
  });
  const url = values['database-url'] ?? process.env.DATABASE_URL;
  if (!url) {
    console.error('Give the service database with --database-url or DATABASE_URL.');
    return 2;
  }
  const key = process.env.AUDIT_MAC_KEY
    ? Buffer.from(process.env.AUDIT_MAC_KEY, 'base64')
    : DEVELOPMENT_AUDIT_KEY;
  if (!process.env.AUDIT_MAC_KEY)
    console.error('AUDIT_MAC_KEY is not set: checking with the development audit key.');
  const checkpointFile =
    values['checkpoint-file'] ??
    checkpointFileFor(resolve(process.env.AUDIT_CHECKPOINT_DIR ?? '.data/audit-checkpoints'), url);
  const latest = readLatestCheckpoint(checkpointFile, key);
  if (latest.found === 'invalid') {
    console.log(
      `Checkpoint file ${checkpointFile} is not trustworthy: line ${latest.line}, ${latest.reason}.`,
    );
    return 1;
  }
  if (latest.found === false)
    console.error(`No checkpoint in ${checkpointFile}: truncation cannot be detected.`);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const query = (sql: string, params: unknown[]) => client.query(sql, params).then((result) => result.rows);
    const report = await verifyAuditChainInDatabase(query, Number(values['batch-size'] ?? 1000), {
      key,
      ...(latest.found === true ? { checkpoint: latest.checkpoint } : {}),
    });
    const forged = report.intact ? await findForgedAuditRecords(query, key) : [];
    if (report.intact && forged.length > 0) {
      console.log(`Audit chain intact: ${report.checked} record(s) verified.`);
      console.log(
        `${forged.length} record(s) NOT written by the service (no valid MAC; refused by the linker): ` +
          forged.map((record) => `${record.id} (after seq ${record.afterSeq})`).join(', '),
      );
      return 1;
    }
    if (report.intact) {
      const maxUnlinkedSeconds = Number(values['max-unlinked-seconds'] ?? 60);
      const unlinked = await findUnlinkedAuditRecords(query, maxUnlinkedSeconds);
      console.log(`Audit chain intact: ${report.checked} record(s) verified.`);
      if (unlinked.count === 0) return 0;
      console.log(
        `${unlinked.count} record(s) left unlinked for more than ${maxUnlinkedSeconds} s ` +
          `(oldest at ${unlinked.oldestOccurredAt?.toISOString()}): the linker is not running, ` +
          'or their queue entries were removed.',
      );
      return 1;
    }
    console.log(
      `Audit chain BROKEN at seq ${report.brokenAtSeq}: ${report.reason}. ` +
        `${report.checked} record(s) before it verified; records from seq ${report.brokenAtSeq} on cannot be trusted.`,
    );
    return 1;
  } finally {
    await client.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `Could not verify the audit chain: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(2);
  },
);
