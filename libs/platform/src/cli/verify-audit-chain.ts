// Verifies a service's audit hash chain and names the first broken link.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/dossier \
//   SWC_NODE_PROJECT=tools/tsconfig.json node -r @swc-node/register libs/platform/src/cli/verify-audit-chain.ts
//
// Checks the linked chain (platform_audit_chain over platform_audit_log), then that no record has
// stayed unlinked for longer than --max-unlinked-seconds (default 60; the linker chains records about
// a second after their commit).
// Exit code: 0 intact, 1 broken or records left unlinked, 2 could not check.
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { findUnlinkedAuditRecords, verifyAuditChainInDatabase } from '../audit/verify-audit-chain-db';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'database-url': { type: 'string' },
      'batch-size': { type: 'string' },
      'max-unlinked-seconds': { type: 'string' },
    },
  });
  const url = values['database-url'] ?? process.env.DATABASE_URL;
  if (!url) {
    console.error('Give the service database with --database-url or DATABASE_URL.');
    return 2;
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const query = (sql: string, params: unknown[]) => client.query(sql, params).then((result) => result.rows);
    const report = await verifyAuditChainInDatabase(query, Number(values['batch-size'] ?? 1000));
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
