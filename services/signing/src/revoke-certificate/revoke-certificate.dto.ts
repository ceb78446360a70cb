import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { CERTIFICATE_REVOCATION_REASONS, type CertificateRevocationReason } from '@backbone/contracts';

export class RevokeCertificateDto {
  /** RFC 5280 CRLReason, e.g. keyCompromise, affiliationChanged, superseded, cessationOfOperation. */
  @ApiProperty({ enum: CERTIFICATE_REVOCATION_REASONS, example: 'keyCompromise' })
  @IsIn(CERTIFICATE_REVOCATION_REASONS)
  reason!: CertificateRevocationReason;
}
