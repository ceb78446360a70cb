import hanoiUnits from './hanoi-units-2025.json';

/** Hanoi's 126 communes and wards since 1 July 2025 (shared reference data): the committees' unit codes. */
export const HANOI_UNIT_CODES: ReadonlySet<string> = new Set(hanoiUnits.units.map((unit) => unit.code));
