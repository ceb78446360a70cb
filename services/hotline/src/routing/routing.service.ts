import { Injectable, Logger } from '@nestjs/common';
import { HotlineConfig } from '../config';
import { routeReport, type RoutingInput, type RoutingOutcome, type UnitBoundaries } from './route-report';
import { GeoJsonUnitBoundaries } from './unit-boundaries';

/** routeReport with the boundary file of HOTLINE_UNIT_BOUNDARIES_FILE, read once at start-up. */
@Injectable()
export class RoutingService {
  private readonly boundaries: UnitBoundaries | undefined;

  constructor(config: HotlineConfig) {
    if (config.HOTLINE_UNIT_BOUNDARIES_FILE) {
      this.boundaries = GeoJsonUnitBoundaries.fromFile(config.HOTLINE_UNIT_BOUNDARIES_FILE);
      new Logger('Routing').log(`unit boundaries from ${config.HOTLINE_UNIT_BOUNDARIES_FILE}`);
    }
  }

  route(input: RoutingInput): RoutingOutcome {
    return routeReport(input, this.boundaries);
  }
}
