// The procedure catalogue entry and its rules, shared by the seed file and the CSV import.
import { StatutoryTime, validateStatutoryTime } from '@backbone/calendar';

export const PROCEDURE_LEVELS = ['commune', 'city'] as const;
export type ProcedureLevel = (typeof PROCEDURE_LEVELS)[number];

export const ONLINE_LEVELS = ['full', 'partial', 'none'] as const;
export type OnlineLevel = (typeof ONLINE_LEVELS)[number];

export interface ProcedureDefinition {
  /** National procedure code (`1.001193`), or a local placeholder (`HN-…`) while the national one is unknown. */
  code: string;
  name: string;
  /** Lĩnh vực, e.g. "Hộ tịch". */
  field: string;
  level: ProcedureLevel;
  statutoryTime: StatutoryTime;
  onlineLevel: OnlineLevel;
  feeVnd: number;
  requiresSignature: boolean;
  codeVerified: boolean;
}

export const NATIONAL_PROCEDURE_CODE = /^\d\.\d{6}$/;
export const LOCAL_PROCEDURE_CODE = /^[A-Z]{2}(?:-[A-Z0-9]+)+$/;
const MAX_NAME_LENGTH = 500;

/** Problems keyed by field name; empty when the definition is valid. */
export function validateProcedure(
  p: ProcedureDefinition,
): Array<{ field: keyof ProcedureDefinition; reason: string }> {
  const problems: Array<{ field: keyof ProcedureDefinition; reason: string }> = [];
  if (NATIONAL_PROCEDURE_CODE.test(p.code)) {
    // fine
  } else if (LOCAL_PROCEDURE_CODE.test(p.code)) {
    if (p.codeVerified)
      problems.push({ field: 'codeVerified', reason: 'a local placeholder code cannot be marked verified' });
  } else {
    problems.push({
      field: 'code',
      reason: `expected a national code like 1.001193 (or a local HN-… placeholder), got "${p.code}"`,
    });
  }
  if (!p.name.trim()) problems.push({ field: 'name', reason: 'is required' });
  else if (p.name.length > MAX_NAME_LENGTH)
    problems.push({ field: 'name', reason: `is longer than ${MAX_NAME_LENGTH} characters` });
  if (!p.field.trim()) problems.push({ field: 'field', reason: 'is required' });
  if (!PROCEDURE_LEVELS.includes(p.level))
    problems.push({ field: 'level', reason: `must be one of ${PROCEDURE_LEVELS.join(', ')}` });
  for (const reason of validateStatutoryTime(p.statutoryTime))
    problems.push({ field: 'statutoryTime', reason });
  if (!ONLINE_LEVELS.includes(p.onlineLevel)) {
    problems.push({ field: 'onlineLevel', reason: `must be one of ${ONLINE_LEVELS.join(', ')}` });
  }
  if (!Number.isSafeInteger(p.feeVnd) || p.feeVnd < 0) {
    problems.push({ field: 'feeVnd', reason: 'must be a whole number of VND, 0 or more' });
  }
  return problems;
}
