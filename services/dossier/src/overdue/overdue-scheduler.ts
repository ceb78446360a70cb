import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AuditTrail } from '@backbone/platform';
import { DataSource } from 'typeorm';
import { DossierConfig } from '../config';
import { scanOverdueOnce } from './overdue-scanner';

/** Runs the overdue scan every OVERDUE_SCAN_INTERVAL_MS in each instance (safe: see scanOverdueOnce). */
@Injectable()
export class OverdueScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OverdueScheduler');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

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
    try {
      const reported = await scanOverdueOnce(this.dataSource, {
        topic: this.config.DOSSIER_EVENTS_TOPIC,
        auditTrail: this.auditTrail,
      });
      if (reported > 0) this.logger.log(`reported ${reported} overdue dossier(s)`);
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
