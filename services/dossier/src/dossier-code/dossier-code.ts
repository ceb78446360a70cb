// Dossier code `<agency id>-<yyMMdd>-<NNNN>`: the receiving agency, the civil date of receipt in
// Asia/Ho_Chi_Minh, and a 4-digit sequence per agency per day (field guide §1; the same code on every
// channel). The sequence is allocated in the database, inside the intake transaction, by
// NEXT_DOSSIER_SEQUENCE_SQL below.
import { LocalDate, isLocalDate, localDate, toVietnamLocal } from '@backbone/calendar';

/** Agency ids: unit codes such as `00070` (ward/commune, 5 digits) or `SO-TP` (city department). */
const AGENCY_ID_PATTERN = /^[A-Z0-9]+(?:[.-][A-Z0-9]+)*$/;
const MAX_AGENCY_ID_LENGTH = 30;
const CODE_PATTERN = /^(.+)-(\d{2})(\d{2})(\d{2})-(\d{4})$/;
export const MAX_DAILY_SEQUENCE = 9999;

export interface DossierCodeParts {
  agencyId: string;
  /** Civil date of receipt in Vietnam. */
  receivedOn: LocalDate;
  sequence: number;
}

export function isValidAgencyId(agencyId: string): boolean {
  return agencyId.length <= MAX_AGENCY_ID_LENGTH && AGENCY_ID_PATTERN.test(agencyId);
}

/** The civil date (Asia/Ho_Chi_Minh) that a receipt instant belongs to, for the code and the counter row. */
export function dossierCodeDate(receivedAt: Date): LocalDate {
  return toVietnamLocal(receivedAt).date;
}

export function formatDossierCode(agencyId: string, receivedAt: Date, sequence: number): string {
  if (!isValidAgencyId(agencyId)) throw new RangeError(`invalid agency id: ${agencyId}`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_DAILY_SEQUENCE) {
    // 9,999 dossiers at one agency in one day is far above any desk's volume; failing loudly beats
    // silently widening the code that citizens and other systems read.
    throw new RangeError(`daily sequence must be 1–${MAX_DAILY_SEQUENCE}, got ${sequence}`);
  }
  return `${dossierCodePrefix(agencyId, receivedAt)}${String(sequence).padStart(4, '0')}`;
}

/**
 * `<agency id>-<yyMMdd>-`: the code without its daily sequence, for a statement that appends the
 * sequence it allocates itself (DOSSIER_CODE_FROM_SEQUENCE_SQL).
 */
export function dossierCodePrefix(agencyId: string, receivedAt: Date): string {
  if (!isValidAgencyId(agencyId)) throw new RangeError(`invalid agency id: ${agencyId}`);
  const [year, month, day] = dossierCodeDate(receivedAt).split('-') as [string, string, string];
  return `${agencyId}-${year.slice(2)}${month}${day}-`;
}

export type ParsedDossierCode = { ok: true; value: DossierCodeParts } | { ok: false; reason: string };

/**
 * Parses from the right, so agency ids may contain hyphens (`SO-TP-250701-0001`). Two-digit years
 * are read as 20yy: the format was introduced long after 2000 and will be replaced before 2100.
 */
export function parseDossierCode(code: string): ParsedDossierCode {
  const match = CODE_PATTERN.exec(code.trim());
  if (!match) return { ok: false, reason: 'expected <agency id>-<yyMMdd>-<4-digit sequence>' };
  const [, agencyId, yy, mm, dd, seq] = match as unknown as [string, string, string, string, string, string];
  if (!isValidAgencyId(agencyId)) return { ok: false, reason: `invalid agency id: ${agencyId}` };
  const receivedOn = localDate(2000 + Number(yy), Number(mm), Number(dd));
  if (!isLocalDate(receivedOn)) return { ok: false, reason: `not a calendar date: ${yy}${mm}${dd}` };
  const sequence = Number(seq);
  if (sequence < 1) return { ok: false, reason: 'the daily sequence starts at 0001' };
  return { ok: true, value: { agencyId, receivedOn, sequence } };
}

export function isValidDossierCode(code: string): boolean {
  return parseDossierCode(code).ok;
}

/**
 * Allocates the next daily sequence for (agency, civil date). Run it INSIDE the intake transaction,
 * after validation and just before inserting the dossier:
 * - The first intake of the day inserts the row with 1; later ones hit the unique key and increment.
 * - The row lock taken by the upsert is held until the intake transaction ends, so concurrent intakes
 *   at the same agency on the same day queue on it and receive consecutive numbers (no duplicates).
 * - If the intake fails and rolls back, the increment rolls back with it, so the next intake reuses
 *   the number (no gaps). A Postgres SEQUENCE would not do this: nextval() is never rolled back.
 * - Different agencies or days touch different rows and do not wait for each other.
 * Parameters: $1 agency id (text), $2 civil date of receipt in Asia/Ho_Chi_Minh (date).
 * Expected table (created by the service's migration):
 *   CREATE TABLE dossier_code_counter (
 *     agency_id text NOT NULL, local_date date NOT NULL, last_sequence integer NOT NULL,
 *     PRIMARY KEY (agency_id, local_date),
 *     CHECK (last_sequence BETWEEN 1 AND 9999));
 * The CHECK turns a 10,000th intake into an error instead of a 5-digit sequence.
 */
export const NEXT_DOSSIER_SEQUENCE_SQL = `
INSERT INTO dossier_code_counter (agency_id, local_date, last_sequence)
VALUES ($1, $2, 1)
ON CONFLICT (agency_id, local_date)
DO UPDATE SET last_sequence = dossier_code_counter.last_sequence + 1
RETURNING last_sequence`.trim();

/**
 * The code from the sequence NEXT_DOSSIER_SEQUENCE_SQL returns, when both run in one statement:
 * `WITH dossier_sequence AS (<NEXT_DOSSIER_SEQUENCE_SQL>), dossier_code AS (<this>) ...`
 * (`sequenceCte`: the name of the sequence's CTE). $1: dossierCodePrefix(agency, receipt). The
 * counter's CHECK keeps the sequence at 1–9999, so the result has exactly four digits, as
 * formatDossierCode's.
 */
export function dossierCodeFromSequenceSql(sequenceCte = 'dossier_sequence'): string {
  return `SELECT $1::text || lpad(last_sequence::text, 4, '0') AS code FROM ${sequenceCte}`;
}

export const DOSSIER_CODE_FROM_SEQUENCE_SQL = dossierCodeFromSequenceSql();
