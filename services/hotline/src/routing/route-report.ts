import { hanoiUnit, OTHER_PROVINCES, type NamedUnit, UNITS_BY_FOLDED_NAME } from './unit-directory';
import { splitAdministrativePart } from './vietnamese-text';

/** Where a point lies among the configured unit boundaries (GeoJSON, point-in-polygon). */
export interface UnitBoundaries {
  /** The unit whose polygon contains the point, or null when none does (outside Hanoi). */
  unitAt(lat: number, long: number): string | null;
}

/**
 * Hanoi's extent (WGS 84), a little generous: without a boundary file, coordinates outside it are
 * certainly not in Hanoi; inside it the address decides.
 */
export const HANOI_BOUNDING_BOX = { minLat: 20.53, maxLat: 21.39, minLong: 105.28, maxLong: 106.03 } as const;

export interface RoutingInput {
  address?: string | undefined;
  lat?: number | undefined;
  long?: number | undefined;
  /** The unit a hotline agent (or the reporter) chose, used when the location does not decide. */
  chosenUnitCode?: string | undefined;
}

export type RoutingMethod = 'boundary' | 'address' | 'former-name' | 'chosen';

export type RoutingOutcome =
  | { kind: 'routed'; unitCode: string; method: RoutingMethod }
  | { kind: 'outside-hanoi'; reason: string }
  | { kind: 'unresolved'; reason: string; candidates: string[] };

/**
 * The responsible commune or ward of a report, without I/O: coordinates by point-in-polygon when
 * boundaries are configured (a point in no polygon is outside Hanoi); an address naming another
 * province is outside Hanoi; else the address's ward/commune part, matched on today's names and
 * then on the former names the reference data maps, ignoring tone marks, case and the
 * "P."/"X."/"Phường"/"Xã" prefixes; else the unit the agent chose.
 */
export function routeReport(input: RoutingInput, boundaries?: UnitBoundaries): RoutingOutcome {
  const hasPoint = input.lat !== undefined && input.long !== undefined;
  if (hasPoint) {
    const { lat, long } = input as { lat: number; long: number };
    if (boundaries) {
      const unitCode = boundaries.unitAt(lat, long);
      if (unitCode) return { kind: 'routed', unitCode, method: 'boundary' };
      return { kind: 'outside-hanoi', reason: `the point ${lat},${long} lies in no unit of Hanoi` };
    }
    const box = HANOI_BOUNDING_BOX;
    if (lat < box.minLat || lat > box.maxLat || long < box.minLong || long > box.maxLong)
      return { kind: 'outside-hanoi', reason: `the point ${lat},${long} is outside Hanoi` };
  }
  let candidates: string[] = [];
  if (input.address) {
    const byAddress = routeByAddress(input.address);
    if (byAddress.kind !== 'unresolved') return byAddress;
    candidates = byAddress.candidates;
  }
  if (input.chosenUnitCode) {
    if (!hanoiUnit(input.chosenUnitCode) && !/^[A-Z]/.test(input.chosenUnitCode))
      return {
        kind: 'unresolved',
        reason: `unit ${input.chosenUnitCode} is not a unit of Hanoi`,
        candidates,
      };
    return { kind: 'routed', unitCode: input.chosenUnitCode, method: 'chosen' };
  }
  return {
    kind: 'unresolved',
    reason:
      candidates.length > 1
        ? `the address names more than one unit (${candidates.join(', ')}): choose one`
        : 'neither the address nor coordinates name a unit of Hanoi: choose one',
    candidates,
  };
}

/** The unit an address names, or why it names none (or one outside Hanoi). */
export function routeByAddress(address: string): RoutingOutcome {
  const parts = address
    .split(/[,;\n]/)
    .map((part) => splitAdministrativePart(part))
    .filter((part) => part.name !== '');
  for (const part of parts) {
    if (part.kind === 'ward' || part.kind === 'commune') continue;
    if (OTHER_PROVINCES.has(part.name))
      return { kind: 'outside-hanoi', reason: `the address is in ${part.name}, not in Hanoi` };
  }
  // Most specific first: an explicit ward/commune part, then a bare part naming a unit exactly.
  const prefixed = parts.filter((part) => part.kind === 'ward' || part.kind === 'commune');
  const bare = parts.filter((part) => part.kind === 'none');
  for (const group of [prefixed, bare]) {
    const found = new Map<string, NamedUnit>();
    for (const part of group) {
      const named = (UNITS_BY_FOLDED_NAME.get(part.name) ?? []).filter(
        (entry) => part.kind === 'none' || entry.type === part.kind,
      );
      // Today's name wins over a former one spelled the same.
      const current = named.filter((entry) => entry.source === 'current');
      for (const entry of current.length > 0 ? current : named) found.set(entry.unit.code, entry);
    }
    if (found.size === 1) {
      const [entry] = [...found.values()] as [NamedUnit];
      return {
        kind: 'routed',
        unitCode: entry.unit.code,
        method: entry.source === 'former' ? 'former-name' : 'address',
      };
    }
    if (found.size > 1)
      return { kind: 'unresolved', reason: 'ambiguous address', candidates: [...found.keys()].sort() };
  }
  return { kind: 'unresolved', reason: 'no unit named', candidates: [] };
}
