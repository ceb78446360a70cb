import formerNames from '../reference-data/former-unit-names.json';
import hanoiUnits from '../reference-data/hanoi-units-2025.json';
import provinces from '../reference-data/vn-provinces-2025.json';
import { foldVietnamese } from './vietnamese-text';

export interface HanoiUnit {
  code: string;
  name: string;
  fullName: string;
  type: 'ward' | 'commune';
}

/** Hanoi's 126 communes and wards since 1 July 2025 (shared reference data). */
export const HANOI_UNITS: readonly HanoiUnit[] = hanoiUnits.units.map((unit) => ({
  code: unit.code,
  name: unit.name,
  fullName: unit.fullName,
  type: unit.type as HanoiUnit['type'],
}));

const byCode = new Map(HANOI_UNITS.map((unit) => [unit.code, unit]));

export function hanoiUnit(code: string): HanoiUnit | undefined {
  return byCode.get(code);
}

/** Every unit (today's, then former names merged whole into one) by its folded name. */
export interface NamedUnit {
  unit: HanoiUnit;
  /** 'current' for today's name; 'former' for a pre-reform name the reference data maps. */
  source: 'current' | 'former';
  /** The type the name had (a former ward may now be part of a commune). */
  type: 'ward' | 'commune';
}

function index(): Map<string, NamedUnit[]> {
  const names = new Map<string, NamedUnit[]>();
  const add = (name: string, entry: NamedUnit) => {
    const key = foldVietnamese(name);
    names.set(key, [...(names.get(key) ?? []), entry]);
  };
  for (const unit of HANOI_UNITS) add(unit.name, { unit, source: 'current', type: unit.type });
  for (const former of formerNames.units) {
    const unit = byCode.get(former.code);
    if (!unit)
      throw new Error(`former-unit-names.json: ${former.formerName} maps to unknown unit ${former.code}`);
    add(former.formerName, { unit, source: 'former', type: former.formerType as NamedUnit['type'] });
  }
  return names;
}

/** Folded name → the units it can mean (a name may be a ward's today and a former commune's). */
export const UNITS_BY_FOLDED_NAME: ReadonlyMap<string, readonly NamedUnit[]> = index();

/** Folded names of the other 33 provinces and municipalities: an address naming one is outside Hanoi. */
export const OTHER_PROVINCES: ReadonlySet<string> = new Set(
  provinces.provinces
    .filter((province) => province.code !== '01')
    .map((province) => foldVietnamese(province.name)),
);
