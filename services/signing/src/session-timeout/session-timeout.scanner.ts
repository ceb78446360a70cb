import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { outboxInsertStatement } from '@backbone/messaging';
import { AuditTrail, readForChange, runOutsideRequestContext, writeChange } from '@backbone/platform';
import { DataSource, LessThanOrEqual } from 'typeorm';
import { SigningConfig } from '../config';
import { SigningSession } from '../signing-session/signing-session.entity';
import { timeOutSession } from '../signing-session/signing-session.rules';

/** Sessions timed out per pass at most (the next pass takes the rest). */
const BATCH = 200;

/**
 * Times out signing sessions whose signer did not confirm in SIGNING_SESSION_TIMEOUT_SECONDS:
 * `signature.timed-out.v1`, exactly once across instances and restarts. Each pass (every
 * SIGNING_SESSION_SCAN_INTERVAL_MS, and at start-up, so a restart catches up) lists pending
 * sessions past `expires_at` and changes each through the aggregate write: read with its row
 * version, `timeOutSession` decides, and one statement updates it only if it is still that version,
 * with the event and audit record. Of two instances (or a confirmation) racing on a session, one
 * write matches; the other matches nothing and, read again, finds it no longer pending: no second
 * event. The state is in the database only, so a restart loses nothing.
 */
@Injectable()
export class SessionTimeoutScanner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SessionTimeoutScanner');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly auditTrail: AuditTrail,
    private readonly config: SigningConfig,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.SIGNING_SESSION_SCAN_INTERVAL_MS;
    if (interval === 0) return;
    const tick = () => {
      this.running ??= this.scan()
        .catch((error: unknown) => {
          this.logger.error(`timeout scan failed: ${(error as Error).message}`);
          return 0;
        })
        .finally(() => {
          this.running = undefined;
        });
    };
    tick();
    this.timer = setInterval(tick, interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass: times out what is due now; returns how many this instance timed out. */
  async scan(now = new Date()): Promise<number> {
    const due = await this.dataSource.getRepository(SigningSession).find({
      select: { id: true },
      where: { status: 'pending', expiresAt: LessThanOrEqual(now) },
      order: { expiresAt: 'ASC' },
      take: BATCH,
    });
    let timedOut = 0;
    for (const { id } of due) if (await this.timeOut(id, now)) timedOut += 1;
    return timedOut;
  }

  private async timeOut(id: string, now: Date): Promise<boolean> {
    // A write that lost to another writer is read again: the rule then sees what that writer did.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const { row } = await readForChange(this.dataSource, SigningSession, id);
      if (!row) return false;
      const event = timeOutSession(row.entity, now);
      if (!event) return false;
      const audit = this.auditTrail.prepareRecord({
        action: 'signing.session.time-out',
        actor: { subject: 'signing.session-timeout', roles: ['service'], unitCodes: [] },
        targetType: 'signing-session',
        targetId: id,
        unitCode: row.entity.unitCode,
      });
      const written = await writeChange(this.dataSource, SigningSession, row, {
        alongside: [
          outboxInsertStatement([event], { topic: this.config.SIGNING_EVENTS_TOPIC }),
          ...audit.statements,
        ],
      });
      if (written) {
        runOutsideRequestContext(() => audit.committed());
        return true;
      }
    }
    return false;
  }
}
