// Typed access to the seed files. Seeds are loaded by the service's migrations; effective dating
// (validFrom/validTo) lets a later reorganisation close units without losing history.
import hanoiUnits from './hanoi-units-2025.json';
import cityDepartments from './city-departments-2025.json';
import procedureSeed from './procedures.seed.json';
import { ProcedureDefinition } from './procedure';

export const UNIT_TYPES = [
  'ward',
  'commune',
  'department',
  'inspectorate',
  'office',
  'service-centre',
] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

export interface AdministrativeUnit {
  code: string;
  name: string;
  type: UnitType;
  validFrom: string;
  validTo: string | null;
}

/** The 126 wards and communes (from 1 Jul 2025) and the city's departments (from 1 Mar 2025). */
export function seedUnits(): AdministrativeUnit[] {
  const communeLevel = hanoiUnits.units.map((u) => ({
    code: u.code,
    name: u.fullName,
    type: u.type as UnitType,
    validFrom: hanoiUnits.effectiveFrom,
    validTo: null,
  }));
  const departments = cityDepartments.units.map((u) => ({
    code: u.code,
    name: u.name,
    type: u.type as UnitType,
    validFrom: u.validFrom,
    validTo: u.validTo,
  }));
  return [...communeLevel, ...departments];
}

export interface SeedProcedure extends ProcedureDefinition {
  timeVerified: boolean;
  feeVerified: boolean;
  legalBasis: string;
  note?: string;
}

export function seedProcedures(): SeedProcedure[] {
  return procedureSeed.procedures as SeedProcedure[];
}
