import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { addToOutbox } from '@backbone/messaging';
import { AuditTrail } from '@backbone/platform';
import { Gauge, register } from 'prom-client';
import { Between, DataSource, IsNull, LessThanOrEqual } from 'typeorm';
import { SignerCertificate } from '../certificates/signer-certificate.entity';
import { SigningConfig } from '../config';
import { expiryWarning } from './certificate-expiry';

export const EXPIRING_GAUGE = 'signing_certificates_expiring';
/** Certificates warned about in one pass at most (the rest in the next pass). */
const BATCH = 200;

function expiringGauge(): Gauge {
  const existing = register.getSingleMetric(EXPIRING_GAUGE);
  if (existing) return existing as Gauge;
  return new Gauge({
    name: EXPIRING_GAUGE,
    help: 'Active signer certificates that expire within the warning period (SIGNING_EXPIRY_WARNING_DAYS, 30 by default)',
    labelNames: ['within_days'],
    registers: [register],
  });
}

/**
 * Looks for certificates about to expire (at start-up and every SIGNING_EXPIRY_SCAN_INTERVAL_MS):
 * each gets one certificate.expiring.v1 with its audit record (one transaction, guarded so that two
 * instances never warn twice), and the gauge shows how many expire within the period.
 */
@Injectable()
export class CertificateExpiryWatch implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CertificateExpiryWatch');
  private readonly gauge = expiringGauge();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly config: SigningConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SIGNING_EXPIRY_SCAN_INTERVAL_MS === 0) return;
    const run = () => {
      this.running ??= this.scan()
        .catch((error: unknown) => this.logger.error(`Expiry scan failed: ${(error as Error).message}`))
        .finally(() => (this.running = undefined));
    };
    run();
    this.timer = setInterval(run, this.config.SIGNING_EXPIRY_SCAN_INTERVAL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass: warns about the certificates due and sets the gauge. Returns how many were warned. */
  async scan(now = new Date()): Promise<number> {
    const days = this.config.SIGNING_EXPIRY_WARNING_DAYS;
    const horizon = new Date(now.getTime() + days * 86_400_000);
    const repository = this.dataSource.getRepository(SignerCertificate);
    const due = await repository.find({
      where: { status: 'active', expiryWarnedAt: IsNull(), notAfter: LessThanOrEqual(horizon) },
      order: { notAfter: 'ASC' },
      take: BATCH,
    });
    let warned = 0;
    for (const certificate of due) {
      const event = expiryWarning(certificate, now, days);
      if (!event) continue;
      await this.dataSource.transaction(async (manager) => {
        // Guarded by the version read: another instance's warning (or a revocation) meanwhile wins.
        const result = await manager
          .createQueryBuilder()
          .update(SignerCertificate)
          .set({ expiryWarnedAt: now, version: () => 'version + 1' })
          .where('id = :id AND version = :version AND status = :status AND expiry_warned_at IS NULL', {
            id: certificate.id,
            version: certificate.version,
            status: 'active',
          })
          .execute();
        if (result.affected !== 1) return;
        await addToOutbox(manager, [event], { topic: this.config.SIGNING_EVENTS_TOPIC });
        await this.audit.record(manager, {
          action: 'signing.certificate.warn-expiry',
          targetType: 'certificate',
          targetId: certificate.id,
          unitCode: certificate.unitCode,
          actor: { subject: 'system:certificate-expiry-watch', roles: [], unitCodes: [] },
        });
        warned += 1;
      });
    }
    const expiring = await repository.count({
      where: { status: 'active', notAfter: Between(now, horizon) },
    });
    this.gauge.set({ within_days: String(days) }, expiring);
    return warned;
  }
}
