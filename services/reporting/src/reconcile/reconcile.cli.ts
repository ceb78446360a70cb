// `reconcile --from 2025-07-01 --to 2025-07-15 [--unit 00070]` (Hanoi days, both inclusive):
// compares reporting's counts with each producing service's own and prints every difference;
// exit code 0 when none, 1 when any, 2 when it could not compare.
// Env: DATABASE_URL (reporting's database), RECONCILE_TOKEN (a JWT with city-admin or auditor: a
// unit-scoped token would see only its units at the source and report every other unit as a
// difference), and the API of each service to compare, any of them alone or together:
// DOSSIER_API_URL (GET /dossiers/stats), SIGNING_API_URL (reconcile-signing.ts), HOTLINE_API_URL
// (calls, reports, SLA compliance, app accounts: reconcile-hotline.ts), PARTY_FEE_API_URL (members,
// fee transactions, VND collected: reconcile-party-fee.ts).
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createReportingDataSource } from '../database/data-source';
import { ReportingQueries } from '../queries/reporting-queries';
import { HANOI_UNIT_CODES } from '../units/units';
import { compareCounts, type Difference, parseStatsResponse, statsQueryFor } from './reconcile';
import { compareHotlineCounts, hotlineStatsQueryFor, parseHotlineStats } from './reconcile-hotline';
import { comparePartyFeeCounts, fetchPartyFeeStats } from './reconcile-party-fee';
import { reconcileSigning } from './reconcile-signing';

async function fetchJson(url: string, token: string, service: string): Promise<unknown> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok)
    throw new Error(`${service} service answered ${response.status}: ${await response.text()}`);
  return response.json();
}

const base = (url: string) => url.replace(/\/+$/, '');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { from: { type: 'string' }, to: { type: 'string' }, unit: { type: 'string' } },
  });
  const {
    DATABASE_URL: url,
    RECONCILE_TOKEN: token,
    DOSSIER_API_URL: dossierApi,
    SIGNING_API_URL: signingApi,
    HOTLINE_API_URL: hotlineApi,
    PARTY_FEE_API_URL: partyFeeApi,
  } = process.env;
  if (!values.from || !values.to)
    throw new Error('usage: reconcile --from YYYY-MM-DD --to YYYY-MM-DD [--unit CODE]');
  if (!url || !token || !(dossierApi || signingApi || hotlineApi || partyFeeApi))
    throw new Error(
      'DATABASE_URL, RECONCILE_TOKEN and at least one of DOSSIER_API_URL, SIGNING_API_URL, HOTLINE_API_URL, PARTY_FEE_API_URL must be set',
    );
  const days = { from: values.from, to: values.to };
  const query = statsQueryFor(days, values.unit);
  // The sources first: a service that cannot answer stops the comparison before reporting is read.
  const dossier = dossierApi
    ? parseStatsResponse(await fetchJson(`${base(dossierApi)}/dossiers/stats?${query}`, token, 'dossier'))
    : undefined;
  const hotline = hotlineApi
    ? parseHotlineStats(
        await fetchJson(
          `${base(hotlineApi)}/stats?${hotlineStatsQueryFor(days, values.unit)}`,
          token,
          'hotline',
        ),
      )
    : undefined;
  const partyFee = partyFeeApi ? await fetchPartyFeeStats(partyFeeApi, token, query) : undefined;

  const dataSource = createReportingDataSource(url, 2);
  await dataSource.initialize();
  try {
    const queries = new ReportingQueries(dataSource);
    const schema = await queries.currentSchema();
    const units = values.unit ? [values.unit] : null;
    const reporting = await queries.figuresByUnit(schema, days, units, values.unit ? [] : HANOI_UNIT_CODES);
    const sections: { service: string; differences: Difference[] }[] = [];
    if (dossier) sections.push({ service: 'dossier', differences: compareCounts(dossier, reporting) });
    if (signingApi)
      sections.push({
        service: 'signing',
        differences: await reconcileSigning(signingApi, token, query, reporting),
      });
    if (hotline) sections.push({ service: 'hotline', differences: compareHotlineCounts(hotline, reporting) });
    if (partyFee)
      sections.push({ service: 'party-fee', differences: comparePartyFeeCounts(partyFee, reporting) });
    let total = 0;
    for (const { service, differences } of sections) {
      for (const d of differences)
        console.log(`${d.unitCode} ${d.field}: ${service} service ${d.source}, reporting ${d.reporting}`);
      total += differences.length;
    }
    console.log(
      `${total} difference(s) for ${values.from}..${values.to} (${sections.map((s) => s.service).join(', ')})`,
    );
    // Reporting is eventually consistent: name the benign cause before anyone hunts a bug.
    if (total > 0)
      console.log(
        '(events still in flight also differ: check the API freshness, consumer lag 0, and run again)',
      );
    return total === 0 ? 0 : 1;
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
