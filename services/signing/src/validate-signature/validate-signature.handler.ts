import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { uuidv7 } from '@backbone/contracts';
import {
  assertCanActForUnit,
  AuditTrail,
  type AuthenticatedUser,
  findOneInUnitScope,
} from '@backbone/platform';
import { DataSource, Repository } from 'typeorm';
import { SignatureValidator } from './signature-validator';
import type { ValidationQuery } from './validate-signature.dto';
import type { ValidationReport } from './validation-report';
import { StoredValidationReport } from './validation-report.entity';

@Injectable()
export class ValidateSignatureHandler {
  constructor(
    private readonly validator: SignatureValidator,
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    @InjectRepository(StoredValidationReport) private readonly reports: Repository<StoredValidationReport>,
  ) {}

  async validatePdf(pdf: Buffer, query: ValidationQuery, user: AuthenticatedUser): Promise<ValidationReport> {
    return this.keep(await this.validator.validatePdf(pdf), query, user);
  }

  async validateDetached(
    document: Buffer,
    signature: Buffer,
    query: ValidationQuery,
    user: AuthenticatedUser,
  ): Promise<ValidationReport> {
    return this.keep(await this.validator.validateDetached(document, signature), query, user);
  }

  async find(id: string, user: AuthenticatedUser): Promise<ValidationReport> {
    const stored = await findOneInUnitScope(
      this.reports,
      user,
      { id },
      { notFound: `No validation report ${id}` },
    );
    return { ...(stored.report as ValidationReport), reportId: stored.id };
  }

  /** With `store`, the report and its audit record commit together. */
  private async keep(
    report: ValidationReport,
    query: ValidationQuery,
    user: AuthenticatedUser,
  ): Promise<ValidationReport> {
    if (!query.store) return report;
    const unitCode = query.unitCode ?? user.unitCodes[0];
    if (unitCode) assertCanActForUnit(user, unitCode);
    const stored = Object.assign(new StoredValidationReport(), {
      id: uuidv7(),
      unitCode: unitCode ?? null,
      requestedBy: user.subject,
      documentSha256: report.documentSha256,
      indication: report.indication,
      subIndication: report.subIndication ?? null,
      report,
      validatedAt: new Date(report.validationTime),
    });
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(StoredValidationReport, stored);
      await this.audit.record(manager, {
        action: 'signing.validation.store',
        targetType: 'validation-report',
        targetId: stored.id,
        ...(unitCode ? { unitCode } : {}),
      });
    });
    return { ...report, reportId: stored.id };
  }
}
