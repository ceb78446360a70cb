import { Injectable } from '@nestjs/common';
import { uuidv7 } from '@backbone/contracts';
import { addToOutbox } from '@backbone/messaging';
import {
  AuditTrail,
  type AuthenticatedUser,
  BlindIndex,
  FieldCipher,
  Pseudonymizer,
  ValidationProblemException,
} from '@backbone/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { DossierConfig } from '../config';
import { dossierCodeDate, formatDossierCode, NEXT_DOSSIER_SEQUENCE_SQL } from '../dossier-code';
import { checkNationalId } from '../dossier-code/national-id';
import { Dossier, DossierAttachment, DossierHistoryEntry } from '../database/dossier.entities';
import { dossierView, type DossierView, PII_CONTEXT } from '../shared/dossier-view';
import { procedureDefinitionOf, ReferenceDataService } from '../shared/reference-data.service';
import type { ImportDossierDto } from './import-dossiers.dto';
import { checkImportTimeline, replayImportedHistory } from './replay-imported-history';

/**
 * Brings over one dossier of a dissolved district-level system (the 2025 reform removed that tier;
 * its open and closed dossiers continue at the wards and communes). The dossier gets a code of the
 * day it was originally received (or submitted online), its history is replayed through the state
 * machine at the historical times, and its events go out with those times, so the city's figures
 * count it on the days it really happened. One transaction, like an intake: code, dossier, history,
 * attachments, outbox, audit (the audit record is of the import itself, now, by its caller).
 */
@Injectable()
export class ImportDossiersHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly referenceData: ReferenceDataService,
    private readonly cipher: FieldCipher,
    private readonly blindIndex: BlindIndex,
    private readonly pseudonymizer: Pseudonymizer,
    private readonly auditTrail: AuditTrail,
    private readonly config: DossierConfig,
  ) {}

  async importDossier(dto: ImportDossierDto, user: AuthenticatedUser): Promise<DossierView> {
    const now = new Date();
    const timelineProblems = checkImportTimeline(dto, now);
    if (timelineProblems.length > 0) throw new ValidationProblemException(timelineProblems);
    const receivedAt = new Date(dto.receivedAt);
    const submittedAt = dto.channel === 'online' ? new Date(dto.submittedAt ?? dto.receivedAt) : undefined;
    const firstAt = submittedAt ?? receivedAt;

    const nationalId = checkNationalId(dto.applicant.nationalId, { now: receivedAt });
    if (!nationalId.ok) {
      throw new ValidationProblemException([{ field: 'applicant.nationalId', reason: nationalId.reason }]);
    }
    // Unit and procedure as they were in force when the dossier was received.
    const [unit, procedureVersion, calendar] = await Promise.all([
      this.referenceData.unitInForce(dto.unitCode, receivedAt),
      this.referenceData.procedureInForce(dto.procedureCode, receivedAt),
      this.referenceData.currentCalendar(),
    ]);
    const problems = [
      ...(unit
        ? []
        : [{ field: 'unitCode', reason: `no unit ${dto.unitCode} was in force on ${dto.receivedAt}` }]),
      ...(procedureVersion
        ? []
        : [
            {
              field: 'procedureCode',
              reason: `no procedure ${dto.procedureCode} was in the catalogue on ${dto.receivedAt}`,
            },
          ]),
    ];
    if (problems.length > 0) throw new ValidationProblemException(problems);
    const procedure = procedureDefinitionOf(procedureVersion!);
    if (dto.channel === 'online' && procedure.onlineLevel === 'none') {
      throw new ValidationProblemException([
        { field: 'channel', reason: `procedure ${procedure.code} is not offered online` },
      ]);
    }

    const applicant = dto.applicant;
    const dossier: Dossier = Object.assign(new Dossier(), {
      id: uuidv7(),
      code: '',
      unitCode: dto.unitCode,
      procedureCode: procedure.code,
      procedureSnapshot: procedure,
      calendarSnapshot: calendar,
      channel: dto.channel,
      onlineLevel: dto.channel === 'online' ? procedure.onlineLevel : 'none',
      version: 0,
      eventSequence: 0,
      applicantNameCipher: this.cipher.encrypt(applicant.fullName, PII_CONTEXT.name),
      applicantNationalIdCipher: this.cipher.encrypt(applicant.nationalId, PII_CONTEXT.nationalId),
      applicantNationalIdIndex: this.blindIndex.compute(applicant.nationalId, PII_CONTEXT.nationalId),
      applicantPhoneCipher: applicant.phone ? this.cipher.encrypt(applicant.phone, PII_CONTEXT.phone) : null,
      applicantAddressCipher: applicant.address
        ? this.cipher.encrypt(applicant.address, PII_CONTEXT.address)
        : null,
      applicantPseudonym: this.pseudonymizer.pseudonymize(applicant.nationalId),
      digitised: dto.channel === 'online' ? true : (dto.digitised ?? false),
      submittedAt: null,
      receivedAt: null,
      receivedBy: null,
      dueAt: null,
      promisedDueAt: null,
      pausedAt: null,
      pausedWorkingMinutes: 0,
      requestedFeeVnd: null,
      paidAt: null,
      resolvedAt: null,
      resultDocumentSha256: null,
      signatureId: null,
      signatureCompletedAt: null,
      returnedAt: null,
      closedAt: null,
      overdueNotifiedAt: null,
      createdAt: firstAt,
      updatedAt: firstAt,
    });

    await this.dataSource.transaction(async (manager) => {
      // The code is the one the dossier would have had: its agency, the day it first arrived.
      dossier.code = await this.allocateCode(manager, dossier.unitCode, firstAt);
      const { events, history } = replayImportedHistory(
        dossier,
        { ...(submittedAt ? { submittedAt } : {}), receivedAt, transitions: dto.transitions },
        {
          calendar,
          provenance: `imported from ${dto.sourceSystem}: ${dto.sourceReference}`,
          importer: user.subject,
        },
      );
      await manager.insert(Dossier, dossier);
      await manager.insert(
        DossierHistoryEntry,
        history.map((entry) => ({ id: uuidv7(), dossierId: dossier.id, ...entry })),
      );
      if (dto.attachments?.length) {
        await manager.insert(
          DossierAttachment,
          dto.attachments.map((a) => ({ id: uuidv7(), dossierId: dossier.id, ...a })),
        );
      }
      await addToOutbox(manager, events, { topic: this.config.DOSSIER_EVENTS_TOPIC });
      // Last statement: the audit chain's lock is held only until the commit.
      await this.auditTrail.record(manager, {
        action: 'dossier.import',
        targetType: 'dossier',
        targetId: dossier.id,
        unitCode: dossier.unitCode,
      });
    });
    return dossierView(dossier, this.cipher, now);
  }

  private async allocateCode(manager: EntityManager, agencyId: string, at: Date): Promise<string> {
    const rows: Array<{ last_sequence: number }> = await manager.query(NEXT_DOSSIER_SEQUENCE_SQL, [
      agencyId,
      dossierCodeDate(at),
    ]);
    return formatDossierCode(agencyId, at, rows[0]!.last_sequence);
  }
}
