// Verifies a service's audit hash chain and names the first broken link.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/dossier \
//   SWC_NODE_PROJECT=tools/tsconfig.json node -r @swc-node/register libs/platform/src/cli/verify-audit-chain.ts
//
// Exit code: 0 intact, 1 broken, 2 could not check.
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { verifyAuditChainInDatabase } from '../audit/verify-audit-chain-db';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { 'database-url': { type: 'string' }, 'batch-size': { type: 'string' } },
  });
  const url = values['database-url'] ?? process.env.DATABASE_URL;
  if (!url) {
    console.error('Give the service database with --database-url or DATABASE_URL.');
    return 2;
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const report = await verifyAuditChainInDatabase(
      (sql, params) => client.query(sql, params).then((result) => result.rows),
      Number(values['batch-size'] ?? 1000),
    );
    if (report.intact) {
      console.log(`Audit chain intact: ${report.checked} record(s) verified.`);
      return 0;
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
