// CSV import of procedure definitions (format in README.md). Pure: text in, rows or located errors
// out. All-or-nothing: if any line is wrong, nothing is returned as valid, so an import never
// half-applies.
import { parse } from 'csv-parse/sync';
import { StatutoryTime } from '@backbone/calendar';
import { isPortalHeader, portalHeaderProblems, translatePortalRow } from './portal-catalogue';
import {
  ONLINE_LEVELS,
  OnlineLevel,
  PROCEDURE_LEVELS,
  ProcedureDefinition,
  ProcedureLevel,
  validateProcedure,
} from './procedure';

export const PROCEDURE_CSV_COLUMNS = [
  'code',
  'name',
  'field',
  'level',
  'time_unit',
  'time_value',
  'online_level',
  'fee_vnd',
  'requires_signature',
] as const;
const OPTIONAL_COLUMNS = ['code_verified'] as const;
type Column = (typeof PROCEDURE_CSV_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

const TIME_UNITS = ['working-days', 'working-hours', 'same-day'] as const;
const FIELD_TO_COLUMN: Record<keyof ProcedureDefinition, Column> = {
  code: 'code',
  name: 'name',
  field: 'field',
  level: 'level',
  statutoryTime: 'time_value',
  onlineLevel: 'online_level',
  feeVnd: 'fee_vnd',
  requiresSignature: 'requires_signature',
  codeVerified: 'code_verified',
};
export const MAX_IMPORT_ROWS = 5000;

export interface CsvImportError {
  line: number;
  column?: string;
  reason: string;
}

export type ProcedureCsvResult =
  | { ok: true; procedures: ProcedureDefinition[] }
  | { ok: false; errors: CsvImportError[]; messages: string[] };

export function formatCsvError(e: CsvImportError): string {
  return e.column ? `line ${e.line}, column ${e.column}: ${e.reason}` : `line ${e.line}: ${e.reason}`;
}

function fail(errors: CsvImportError[]): ProcedureCsvResult {
  return { ok: false, errors, messages: errors.map(formatCsvError) };
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

export function parseProcedureCsv(text: string): ProcedureCsvResult {
  let records: ParsedRecord[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as unknown as ParsedRecord[];
  } catch (error) {
    const e = error as { lines?: number; message: string };
    return fail([{ line: e.lines ?? 1, reason: `not valid CSV: ${e.message}` }]);
  }
  if (records.length === 0) return fail([{ line: 1, reason: 'empty file: a header line is required' }]);

  // The national portal's layout: translated into these columns first, row by row (portal-catalogue.ts).
  if (isPortalHeader(records[0]!.record)) {
    const portalHeader = records[0]!.record;
    const problems = portalHeaderProblems(portalHeader);
    if (problems.length > 0) return fail(problems.map((p) => ({ line: 1, ...p })));
    const errors: CsvImportError[] = [];
    const canonical = [...PROCEDURE_CSV_COLUMNS, ...OPTIONAL_COLUMNS];
    const translated: ParsedRecord[] = [{ record: canonical, info: { lines: 1 } }];
    for (const { record, info } of records.slice(1)) {
      if (record.length !== portalHeader.length) {
        errors.push({
          line: info.lines,
          reason: `expected ${portalHeader.length} values, found ${record.length}`,
        });
        continue;
      }
      const row = translatePortalRow(portalHeader, record);
      if (row.ok) translated.push({ record: canonical.map((column) => row.values[column] ?? ''), info });
      else errors.push(...row.problems.map((p) => ({ line: info.lines, ...p })));
    }
    if (errors.length > 0) return fail(errors);
    records = translated;
  }

  const header = records[0]!.record.map((h) => h.toLowerCase());
  const headerErrors: CsvImportError[] = [];
  const known = new Set<string>([...PROCEDURE_CSV_COLUMNS, ...OPTIONAL_COLUMNS]);
  header.forEach((h) => {
    if (!known.has(h)) headerErrors.push({ line: 1, column: h || '(blank)', reason: 'unknown column' });
  });
  for (const required of PROCEDURE_CSV_COLUMNS) {
    if (!header.includes(required))
      headerErrors.push({ line: 1, column: required, reason: 'missing column' });
  }
  if (new Set(header).size !== header.length)
    headerErrors.push({ line: 1, reason: 'a column appears twice' });
  if (headerErrors.length > 0) return fail(headerErrors);
  if (records.length - 1 > MAX_IMPORT_ROWS) {
    return fail([{ line: 1, reason: `at most ${MAX_IMPORT_ROWS} procedures per import` }]);
  }

  const errors: CsvImportError[] = [];
  const procedures: ProcedureDefinition[] = [];
  const firstLineOfCode = new Map<string, number>();
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    if (record.length !== header.length) {
      errors.push({ line, reason: `expected ${header.length} values, found ${record.length}` });
      continue;
    }
    const value = (column: Column): string => record[header.indexOf(column)] ?? '';
    const rowErrors: CsvImportError[] = [];
    const at = (column: Column, reason: string) => rowErrors.push({ line, column, reason });

    const level = value('level');
    if (!(PROCEDURE_LEVELS as readonly string[]).includes(level))
      at('level', `must be one of ${PROCEDURE_LEVELS.join(', ')}`);
    const online = value('online_level');
    if (!(ONLINE_LEVELS as readonly string[]).includes(online)) {
      at('online_level', `must be one of ${ONLINE_LEVELS.join(', ')}`);
    }
    const statutoryTime = readStatutoryTime(value('time_unit'), value('time_value'), at);
    const fee = value('fee_vnd');
    if (!/^\d+$/.test(fee)) at('fee_vnd', 'must be a whole number of VND without separators, e.g. 50000');
    const requiresSignature = readBoolean(value('requires_signature'), 'requires_signature', at);
    const codeVerified = header.includes('code_verified')
      ? readBoolean(value('code_verified'), 'code_verified', at)
      : true;
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }

    const procedure: ProcedureDefinition = {
      code: value('code'),
      name: value('name'),
      field: value('field'),
      level: level as ProcedureLevel,
      statutoryTime: statutoryTime!,
      onlineLevel: online as OnlineLevel,
      feeVnd: Number(fee),
      requiresSignature: requiresSignature!,
      codeVerified: codeVerified!,
    };
    for (const problem of validateProcedure(procedure)) {
      at(FIELD_TO_COLUMN[problem.field], problem.reason);
    }
    const seenAt = firstLineOfCode.get(procedure.code);
    if (seenAt !== undefined) at('code', `duplicate of line ${seenAt}`);
    else firstLineOfCode.set(procedure.code, line);
    if (rowErrors.length > 0) errors.push(...rowErrors);
    else procedures.push(procedure);
  }
  if (records.length === 1) errors.push({ line: 2, reason: 'no procedures after the header' });
  return errors.length > 0 ? fail(errors) : { ok: true, procedures };
}

function readStatutoryTime(
  unit: string,
  rawValue: string,
  at: (column: Column, reason: string) => void,
): StatutoryTime | undefined {
  if (!(TIME_UNITS as readonly string[]).includes(unit)) {
    at('time_unit', `must be one of ${TIME_UNITS.join(', ')}`);
    return undefined;
  }
  if (unit === 'same-day') {
    if (rawValue !== '') at('time_value', 'must be empty for same-day procedures');
    return { unit: 'same-day' };
  }
  if (!/^\d+(\.\d+)?$/.test(rawValue)) {
    at('time_value', `must be a number (e.g. 3 or 0.5) for ${unit}`);
    return undefined;
  }
  return { unit: unit as 'working-days' | 'working-hours', value: Number(rawValue) };
}

function readBoolean(
  raw: string,
  column: Column,
  at: (column: Column, reason: string) => void,
): boolean | undefined {
  const normalised = raw.toLowerCase();
  if (normalised === 'true') return true;
  if (normalised === 'false') return false;
  at(column, 'must be true or false');
  return undefined;
}
