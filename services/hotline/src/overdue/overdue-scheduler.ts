import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AuditTrail } from '@backbone/platform';
import { DataSource } from 'typeorm';
import { HotlineConfig } from '../config';
import { TaxonomyService } from '../taxonomy/taxonomy.service';
import { WorkingCalendarService } from '../working-calendar/working-calendar.service';
import { scanOverdueReports } from './overdue-scanner';

/** Runs the overdue scan every OVERDUE_SCAN_INTERVAL_MS in each instance (safe: see scanOverdueReports). */
@Injectable()
export class OverdueScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OverdueScheduler');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly auditTrail: AuditTrail,
    private readonly calendar: WorkingCalendarService,
    private readonly taxonomy: TaxonomyService,
    private readonly config: HotlineConfig,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.OVERDUE_SCAN_INTERVAL_MS;
    if (interval === 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.scan().finally(() => (this.running = undefined));
    }, interval);
    this.timer.unref();
  }

  async scan(now?: Date): Promise<number> {
    try {
      const [rules, limits] = await Promise.all([this.calendar.rules(), this.taxonomy.handlingLimits()]);
      const reported = await scanOverdueReports(this.dataSource, {
        topic: this.config.HOTLINE_EVENTS_TOPIC,
        auditTrail: this.auditTrail,
        rules,
        limits,
        cityUnitCode: this.config.HOTLINE_CITY_UNIT_CODE,
        ...(now ? { now } : {}),
      });
      if (reported > 0) this.logger.log(`reported ${reported} overdue deadline(s)`);
      return reported;
    } catch (error) {
      this.logger.error(`overdue scan failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
