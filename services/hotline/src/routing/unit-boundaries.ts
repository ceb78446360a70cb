import { readFileSync } from 'node:fs';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { point } from '@turf/helpers';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { UnitBoundaries } from './route-report';

/** A polygon per unit, with its bounding box checked first (most points are in few boxes). */
interface UnitPolygon {
  unitCode: string;
  feature: Feature<Polygon | MultiPolygon>;
  box: [number, number, number, number];
}

/** At most this many features: Hanoi has 126 units, a file with thousands is not a unit map. */
const MAX_FEATURES = 2_000;

/**
 * Unit boundaries from a GeoJSON FeatureCollection whose Polygon/MultiPolygon features carry the
 * unit code in `properties.code` (or `properties.unitCode`, `properties.ma`): point-in-polygon by
 * @turf/boolean-point-in-polygon. Loaded once at start-up (HOTLINE_UNIT_BOUNDARIES_FILE).
 */
export class GeoJsonUnitBoundaries implements UnitBoundaries {
  private readonly polygons: UnitPolygon[];

  constructor(collection: FeatureCollection) {
    if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features))
      throw new Error('unit boundaries: not a GeoJSON FeatureCollection');
    if (collection.features.length > MAX_FEATURES)
      throw new Error(`unit boundaries: more than ${MAX_FEATURES} features`);
    this.polygons = collection.features.map((feature, index) => {
      const properties = (feature.properties ?? {}) as Record<string, unknown>;
      const unitCode = [properties.code, properties.unitCode, properties.ma].find(
        (value): value is string => typeof value === 'string' && value !== '',
      );
      if (!unitCode) throw new Error(`unit boundaries: feature ${index} has no properties.code`);
      const geometry = feature.geometry;
      if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon'))
        throw new Error(`unit boundaries: feature ${index} (${unitCode}) is not a Polygon or MultiPolygon`);
      return { unitCode, feature: feature as Feature<Polygon | MultiPolygon>, box: boundingBox(geometry) };
    });
  }

  static fromFile(path: string): GeoJsonUnitBoundaries {
    return new GeoJsonUnitBoundaries(JSON.parse(readFileSync(path, 'utf8')) as FeatureCollection);
  }

  unitAt(lat: number, long: number): string | null {
    const at = point([long, lat]);
    for (const polygon of this.polygons) {
      const [minLong, minLat, maxLong, maxLat] = polygon.box;
      if (long < minLong || long > maxLong || lat < minLat || lat > maxLat) continue;
      if (booleanPointInPolygon(at, polygon.feature)) return polygon.unitCode;
    }
    return null;
  }
}

function boundingBox(geometry: Polygon | MultiPolygon): [number, number, number, number] {
  const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
  let box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of rings)
    for (const [long, lat] of ring)
      box = [
        Math.min(box[0], long!),
        Math.min(box[1], lat!),
        Math.max(box[2], long!),
        Math.max(box[3], lat!),
      ];
  return box;
}
