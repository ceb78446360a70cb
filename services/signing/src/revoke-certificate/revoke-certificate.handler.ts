import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { outboxInsertStatement } from '@backbone/messaging';
import {
  assertCanActForUnit,
  canAccessUnit,
  AuditTrail,
  type AuthenticatedUser,
  eventTrace,
  readForChange,
  TypedProblemException,
  writeChange,
} from '@backbone/platform';
import { DataSource } from 'typeorm';
import { certificateSummary } from '../certificates/certificate-authority';
import { SignerCertificate } from '../certificates/signer-certificate.entity';
import { CrlPublisher } from '../certificate-revocation-list/crl-publisher';
import { SigningConfig } from '../config';
import type { CertificateSummary } from '../signer/document-signing';
import type { RevokeCertificateDto } from './revoke-certificate.dto';
import { revokeCertificate } from './revoke-certificate';

@Injectable()
export class RevokeCertificateHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly crl: CrlPublisher,
    private readonly config: SigningConfig,
  ) {}

  /**
   * The aggregate write (libs/platform readForChange/writeChange): the certificate row read with its
   * version, the rule decides, and one statement writes the row, certificate.revoked.v1 (outbox) and
   * the audit record, only if the row is still as read. Then the CRL is re-signed, so the next fetch
   * of the distribution point lists the certificate.
   */
  async revoke(
    id: string,
    input: RevokeCertificateDto,
    user: AuthenticatedUser,
  ): Promise<CertificateSummary> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const { row } = await readForChange(this.dataSource, SignerCertificate, id);
      if (!row || !canAccessUnit(user, row.entity.unitCode))
        throw new NotFoundException(`No certificate ${id}`);
      assertCanActForUnit(user, row.entity.unitCode);
      const decision = revokeCertificate(
        row.entity,
        { reason: input.reason, revokedBy: user.subject },
        new Date(),
        eventTrace(),
      );
      if (decision.kind === 'refuse')
        throw new TypedProblemException(
          'urn:backbone:problem:signing:already-revoked',
          HttpStatus.CONFLICT,
          decision.reason,
        );
      const audit = this.audit.prepareRecord({
        action: 'signing.certificate.revoke',
        targetType: 'certificate',
        targetId: row.entity.id,
        unitCode: row.entity.unitCode,
      });
      const written = await writeChange(this.dataSource, SignerCertificate, row, {
        alongside: [
          outboxInsertStatement([decision.event], { topic: this.config.SIGNING_EVENTS_TOPIC }),
          ...audit.statements,
        ],
      });
      if (written) {
        audit.committed();
        await this.crl.refresh();
        return certificateSummary(row.entity);
      }
    }
    throw new TypedProblemException(
      'urn:backbone:problem:signing:certificate-version-conflict',
      HttpStatus.CONFLICT,
      'The certificate kept changing while it was being revoked: try again',
    );
  }
}
