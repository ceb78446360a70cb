import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { nextYearDecisionStatus, type NextYearDecisionStatus } from '@backbone/calendar';
import { ReadinessDetails } from '@backbone/platform';
import { Gauge, register } from 'prom-client';
import { DataSource } from 'typeorm';

/** Re-evaluated this often (and after every change in this instance): the status moves once a year. */
const CHECK_INTERVAL_MS = 60 * 60_000;
export const NEXT_YEAR_DECISION_GAUGE = 'calendar_next_year_decision_missing';

function missingGauge(): Gauge {
  const existing = register.getSingleMetric(NEXT_YEAR_DECISION_GAUGE);
  if (existing) return existing as Gauge;
  return new Gauge({
    name: NEXT_YEAR_DECISION_GAUGE,
    help: "1 from 1 November (Asia/Ho_Chi_Minh) while next year's official calendar decision is not entered, else 0",
    registers: [register],
  });
}

/**
 * Watches for next year's official decision (docs/adr/0008): from 1 November a year without it is a
 * warning on /health/ready (still ready), the gauge above and one log line per Hanoi day — not one
 * per request, since readiness only reads the state kept here.
 */
@Injectable()
export class OfficialCalendarWatch implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OfficialCalendarWatch');
  private readonly gauge = missingGauge();
  private status: NextYearDecisionStatus | undefined;
  private lastWarnedDay: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private clock: () => Date = () => new Date();

  constructor(
    private readonly dataSource: DataSource,
    readinessDetails: ReadinessDetails,
  ) {
    readinessDetails.register('official-calendar', () => this.details());
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Tests of the 1 November rule set the day instead of waiting for it. */
  useClock(clock: () => Date): void {
    this.clock = clock;
  }

  /** Reads the years with an entered decision and updates readiness, the gauge and the daily log. */
  async refresh(): Promise<NextYearDecisionStatus | undefined> {
    try {
      const rows: Array<{ year: number }> = await this.dataSource.query(
        `SELECT year FROM official_calendar_years`,
      );
      const status = nextYearDecisionStatus(
        this.clock(),
        rows.map((row) => row.year),
      );
      this.status = status;
      this.gauge.set(status.missing ? 1 : 0);
      if (status.missing && this.lastWarnedDay !== status.day) {
        this.lastWarnedDay = status.day;
        this.logger.warn(status.message);
      }
      return status;
    } catch (error) {
      this.logger.error(
        `official calendar check failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    }
  }

  private details(): Record<string, unknown> {
    const status = this.status;
    if (!status) return { nextYear: null, warning: 'not checked yet' };
    return {
      nextYear: status.year,
      nextYearDecision: status.entered ? 'entered' : status.due ? 'missing' : 'not due before 1 November',
      ...(status.message ? { warning: status.message } : {}),
    };
  }
}
