import hanoiUnits from './hanoi-units-2025.json';

export interface UnitInfo {
  code: string;
  name: string;
  type: 'ward' | 'commune';
}

/** Hanoi's 126 communes and wards since 1 July 2025 (copied from the shared reference data). */
export const HANOI_UNITS: readonly UnitInfo[] = hanoiUnits.units as UnitInfo[];

export const HANOI_UNIT_CODES: readonly string[] = HANOI_UNITS.map((unit) => unit.code);

const byCode = new Map(HANOI_UNITS.map((unit) => [unit.code, unit]));

/** The unit's official name, or the code itself for a unit not in the list (e.g. a city department). */
export function unitName(code: string): string {
  return byCode.get(code)?.name ?? code;
}
