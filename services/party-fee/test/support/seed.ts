import { uuidv7 } from '@backbone/contracts';
import type { Client } from 'pg';

/**
 * Many members at once, straight into the tables (the registration API is tested elsewhere):
 * `cells` cells over the first units, `perCell` members each, officials with an 8,000,000 VND
 * basis from `fromPeriod`. Names and card numbers are opaque placeholders (never decrypted here).
 */
export async function seedMembers(
  sql: Client,
  options: {
    cells: number;
    perCell: number;
    unitCodes: string[];
    fromPeriod: string;
    basisFromPeriod: string;
  },
): Promise<{ cellIds: string[]; memberIds: string[] }> {
  const cellIds = Array.from({ length: options.cells }, () => uuidv7());
  await sql.query(
    `INSERT INTO party_cells (id, code, name, unit_code, bank_bin, bank_account, treasurer_subject, created_at)
     SELECT id, 'seed-cell-' || n, 'Seed cell ' || n, ($2::text[])[1 + (n - 1) % array_length($2::text[], 1)], '970436',
            lpad(n::text, 10, '0'), 'seed-treasurer-' || n, now()
       FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, n)`,
    [cellIds, options.unitCodes],
  );
  const memberIds: string[] = [];
  for (let i = 0; i < options.cells * options.perCell; i += 1) memberIds.push(uuidv7());
  const chunk = 5_000;
  for (let from = 0; from < memberIds.length; from += chunk) {
    const ids = memberIds.slice(from, from + chunk);
    await sql.query(
      `INSERT INTO party_members (id, card_number_cipher, card_number_index, name_cipher, name_index, cell_id, category,
                                  past_working_age, voluntary_vnd, status, fees_from_period, payment_reference, credit_vnd,
                                  event_sequence, registered_at, registered_by)
       SELECT id, 'seed', md5(id::text), 'seed', md5('n' || id::text), ($2::uuid[])[1 + ($4 + n - 1) % array_length($2::uuid[], 1)],
              'official', false, NULL, 'active', $3, 'DP' || upper(substr(md5(id::text), 1, 16)), 0, 1, now(), 'seed'
         FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, n)`,
      [ids, cellIds, options.fromPeriod, from],
    );
    await sql.query(
      `INSERT INTO party_member_bases (id, member_id, from_period, kind, amount_vnd, leave, recorded_at, recorded_by)
       SELECT gen_random_uuid(), id, $2, 'salary-and-allowances', 8000000, 'none', now(), 'seed' FROM unnest($1::uuid[]) AS x(id)`,
      [ids, options.basisFromPeriod],
    );
  }
  return { cellIds, memberIds };
}
