// `reconcile --from 2025-07-01 --to 2025-07-15 [--unit 00070]` (Hanoi days, both inclusive):
// compares reporting's dossier counts with the dossier service's own (GET /dossiers/stats) and
// prints every difference; exit code 0 when none, 1 when any, 2 when it could not compare.
// Env: DATABASE_URL (reporting's database), DOSSIER_API_URL, SIGNING_API_URL (optional: the signing
// service's counts too, reconcile-signing.ts), RECONCILE_TOKEN (a JWT with
// city-admin or auditor: a unit-scoped token would see only its units at the source and report
// every other unit as a difference).
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createReportingDataSource } from '../database/data-source';
import { ReportingQueries } from '../queries/reporting-queries';
import { HANOI_UNIT_CODES } from '../units/units';
import { compareCounts, parseStatsResponse, statsQueryFor } from './reconcile';
import { reconcileSigning } from './reconcile-signing';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { from: { type: 'string' }, to: { type: 'string' }, unit: { type: 'string' } },
  });
  const { DATABASE_URL: url, DOSSIER_API_URL: api, RECONCILE_TOKEN: token } = process.env;
  if (!values.from || !values.to)
    throw new Error('usage: reconcile --from YYYY-MM-DD --to YYYY-MM-DD [--unit CODE]');
  if (!url || !api || !token)
    throw new Error('DATABASE_URL, DOSSIER_API_URL and RECONCILE_TOKEN must be set');
  const query = statsQueryFor({ from: values.from, to: values.to }, values.unit);
  const response = await fetch(`${api.replace(/\/+$/, '')}/dossiers/stats?${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`dossier service answered ${response.status}: ${await response.text()}`);
  const source = parseStatsResponse(await response.json());

  const dataSource = createReportingDataSource(url, 2);
  await dataSource.initialize();
  try {
    const queries = new ReportingQueries(dataSource);
    const schema = await queries.currentSchema();
    const units = values.unit ? [values.unit] : null;
    const reporting = await queries.figuresByUnit(
      schema,
      { from: values.from, to: values.to },
      units,
      values.unit ? [] : HANOI_UNIT_CODES,
    );
    const differences = compareCounts(source, reporting);
    // The signing service's own counts too, when its API is given (issue 13).
    if (process.env.SIGNING_API_URL)
      differences.push(...(await reconcileSigning(process.env.SIGNING_API_URL, token, query, reporting)));
    for (const d of differences)
      console.log(
        `${d.unitCode} ${d.field}: ${d.field.startsWith('signatures') ? 'signing' : 'dossier'} service ${d.source}, reporting ${d.reporting}`,
      );
    console.log(`${differences.length} difference(s) for ${values.from}..${values.to}`);
    // Reporting is eventually consistent: name the benign cause before anyone hunts a bug.
    if (differences.length > 0)
      console.log(
        '(events still in flight also differ: check the API freshness, consumer lag 0, and run again)',
      );
    return differences.length === 0 ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`reconcile failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
