import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AuditTrail } from '@backbone/platform';
import { DataSource } from 'typeorm';
import { DossierConfig } from '../config';
import { countOpenOverdue, overdueOpenGauge } from './overdue-gauge';
import { scanOverdueOnce } from './overdue-scanner';

/**
 * Runs the overdue scan every OVERDUE_SCAN_INTERVAL_MS in each instance (safe: see scanOverdueOnce),
 * then counts the open overdue dossiers for the `dossiers_overdue_open` gauge.
 */
@Injectable()
export class OverdueScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OverdueScheduler');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly overdueOpen = overdueOpenGauge();

  constructor(
    private readonly dataSource: DataSource,
    private readonly auditTrail: AuditTrail,
    private readonly config: DossierConfig,
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

  async scan(): Promise<number> {
    let reported = 0;
    try {
      reported = await scanOverdueOnce(this.dataSource, {
        topic: this.config.DOSSIER_EVENTS_TOPIC,
        auditTrail: this.auditTrail,
      });
      if (reported > 0) this.logger.log(`reported ${reported} overdue dossier(s)`);
    } catch (error) {
      this.logger.error(`overdue scan failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      this.overdueOpen.set(await countOpenOverdue(this.dataSource));
    } catch (error) {
      this.logger.error(
        `counting open overdue dossiers failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return reported;
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
