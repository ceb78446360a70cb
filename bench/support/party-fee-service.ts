// The party-fee service as its own process for bench:party-fee: a city-admin token, and members seeded
// straight into its tables (registration is not what is measured).
import { uuidv7 } from '@backbone/contracts';
import { Client } from 'pg';
import { UNIT_CODES } from './dossier-service';
import { type BenchProcess, startBenchProcess } from './service-process';

/** `token`: a city admin's. */
export type PartyFeeBenchService = BenchProcess;

/** Starts the party-fee service (its dist when built, else its sources) on a fresh database. */
export function startPartyFeeService(options: {
  serverUrl: string;
  brokers: string;
}): Promise<PartyFeeBenchService> {
  return startBenchProcess({
    ...options,
    service: 'party-fee',
    label: 'party_fee',
    caller: { subject: 'bench-city-admin', roles: ['city-admin'], units: [] },
    runEnv: (runId) => ({ PARTY_FEE_EVENTS_TOPIC: `bench_party_fee_events_${runId}` }),
  });
}

/** `count` officials with an 8,000,000 VND basis in cells of 50 over the Hanoi units; their ids. */
export async function seedMembers(url: string, count: number, fromPeriod: string): Promise<string[]> {
  const sql = new Client({ connectionString: url });
  await sql.connect();
  try {
    const cellIds = Array.from({ length: Math.ceil(count / 50) }, () => uuidv7());
    await sql.query(
      `INSERT INTO party_cells (id, code, name, unit_code, bank_bin, bank_account, treasurer_subject, created_at)
       SELECT id, 'bench-cell-' || n, 'Bench cell ' || n, ($2::text[])[1 + (n - 1) % array_length($2::text[], 1)], '970436',
              lpad(n::text, 10, '0'), NULL, now()
         FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, n)`,
      [cellIds, UNIT_CODES],
    );
    const ids = Array.from({ length: count }, () => uuidv7());
    for (let from = 0; from < ids.length; from += 5_000) {
      const chunk = ids.slice(from, from + 5_000);
      await sql.query(
        `INSERT INTO party_members (id, card_number_cipher, card_number_index, name_cipher, name_index, cell_id, category,
                                    past_working_age, voluntary_vnd, status, fees_from_period, payment_reference, credit_vnd,
                                    event_sequence, registered_at, registered_by)
         SELECT id, 'bench', md5(id::text), 'bench', md5('n' || id::text), ($2::uuid[])[1 + ($4 + n - 1) % array_length($2::uuid[], 1)],
                'official', false, NULL, 'active', $3, 'DP' || upper(substr(md5(id::text), 1, 16)), 0, 1, now(), 'bench'
           FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, n)`,
        [chunk, cellIds, fromPeriod, from],
      );
      await sql.query(
        `INSERT INTO party_member_bases (id, member_id, from_period, kind, amount_vnd, leave, recorded_at, recorded_by)
         SELECT gen_random_uuid(), id, '2000-01', 'salary-and-allowances', 8000000, 'none', now(), 'bench' FROM unnest($1::uuid[]) AS x(id)`,
        [chunk],
      );
    }
    return ids;
  } finally {
    await sql.end();
  }
}
