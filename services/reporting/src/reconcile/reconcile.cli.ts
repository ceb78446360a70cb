// `reconcile --from 2025-07-01 --to 2025-07-15 [--unit 00070]`: compares reporting's dossier
// counts with the dossier service's own (GET /dossiers/stats) and prints every difference;
// exit code 1 when there is one. Env: DATABASE_URL, DOSSIER_API_URL, RECONCILE_TOKEN (a JWT
// with city-admin or auditor).
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createReportingDataSource } from '../database/data-source';
import { ReportingQueries } from '../queries/reporting-queries';
import { HANOI_UNIT_CODES } from '../units/units';
import { compareCounts, type SourceUnitCounts } from './reconcile';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { from: { type: 'string' }, to: { type: 'string' }, unit: { type: 'string' } },
  });
  const { DATABASE_URL: url, DOSSIER_API_URL: api, RECONCILE_TOKEN: token } = process.env;
  if (!values.from || !values.to)
    throw new Error('usage: reconcile --from YYYY-MM-DD --to YYYY-MM-DD [--unit CODE]');
  if (!url || !api) throw new Error('DATABASE_URL and DOSSIER_API_URL must be set');
  const query = new URLSearchParams({
    from: values.from,
    to: values.to,
    ...(values.unit ? { unit: values.unit } : {}),
  });
  const response = await fetch(`${api.replace(/\/$/, '')}/dossiers/stats?${query}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) throw new Error(`dossier service answered ${response.status}: ${await response.text()}`);
  const source = ((await response.json()) as { units: SourceUnitCounts[] }).units;

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
    for (const d of differences)
      console.log(`${d.unitCode} ${d.field}: dossier service ${d.source}, reporting ${d.reporting}`);
    console.log(`${differences.length} difference(s) for ${values.from}..${values.to}`);
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
