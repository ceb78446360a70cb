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
import { dueDateFor, snapshotWorkingCalendar, toVietnamLocal } from '../calendar';
import { DossierConfig } from '../config';
import { dossierCodeDate, formatDossierCode, NEXT_DOSSIER_SEQUENCE_SQL } from '../dossier-code';
import { checkNationalId } from '../dossier-code/national-id';
import { type DossierEventType, planTransition } from '../dossier';
import {
  Dossier,
  DossierAttachment,
  DossierHistoryEntry,
  type DossierChannel,
} from '../database/dossier.entities';
import { buildDossierEvents } from '../shared/dossier-events.factory';
import { insertStatements } from '../shared/insert-together';
import { dossierView, type DossierView, PII_CONTEXT } from '../shared/dossier-view';
import { procedureDefinitionOf, ReferenceDataService } from '../shared/reference-data.service';
import { staffIdForEvents } from '../shared/dossier-access';
import type { ReceiveDossierDto, SubmitOnlineDossierDto } from './receive-dossier.dto';

type IntakeInput =
  { kind: 'receive'; dto: ReceiveDossierDto } | { kind: 'submit-online'; dto: SubmitOnlineDossierDto };

/**
 * Creates dossiers: received at the desk (officer) or submitted online (the portal's service
 * account). Everything that must agree commits in one transaction: the daily code number, the
 * dossier, its history and attachments, its events in the outbox and the audit record.
 */
@Injectable()
export class ReceiveDossierHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly referenceData: ReferenceDataService,
    private readonly cipher: FieldCipher,
    private readonly blindIndex: BlindIndex,
    private readonly pseudonymizer: Pseudonymizer,
    private readonly auditTrail: AuditTrail,
    private readonly config: DossierConfig,
  ) {}

  receive(dto: ReceiveDossierDto, user: AuthenticatedUser): Promise<DossierView> {
    return this.intake({ kind: 'receive', dto }, user);
  }

  submitOnline(dto: SubmitOnlineDossierDto, user: AuthenticatedUser): Promise<DossierView> {
    return this.intake({ kind: 'submit-online', dto }, user);
  }

  private async intake(input: IntakeInput, user: AuthenticatedUser): Promise<DossierView> {
    const { dto } = input;
    const now = new Date();
    const nationalId = checkNationalId(dto.applicant.nationalId, { now });
    if (!nationalId.ok) {
      throw new ValidationProblemException([{ field: 'applicant.nationalId', reason: nationalId.reason }]);
    }
    const [unit, procedureVersion, calendar] = await Promise.all([
      this.referenceData.unitInForce(dto.unitCode, now),
      this.referenceData.procedureInForce(dto.procedureCode, now),
      this.referenceData.currentCalendar(),
    ]);
    const problems = [
      ...(unit ? [] : [{ field: 'unitCode', reason: `no unit ${dto.unitCode} is in force today` }]),
      ...(procedureVersion
        ? []
        : [
            { field: 'procedureCode', reason: `no procedure ${dto.procedureCode} is in the catalogue today` },
          ]),
    ];
    if (problems.length > 0) throw new ValidationProblemException(problems);
    const procedure = procedureDefinitionOf(procedureVersion!);
    if (input.kind === 'submit-online' && procedure.onlineLevel === 'none') {
      throw new ValidationProblemException([
        { field: 'procedureCode', reason: `procedure ${procedure.code} is not offered online` },
      ]);
    }

    const action = input.kind === 'receive' ? 'receive' : 'submit-online';
    const role = input.kind === 'receive' ? 'officer' : 'service';
    const plan = planTransition(null, action, { role, userId: user.subject });
    if (!plan.ok) throw new Error(`intake plan refused: ${plan.message}`); // roles are checked by the route

    const channel: DossierChannel = input.kind === 'receive' ? input.dto.channel : 'online';
    const snapshot = snapshotWorkingCalendar(calendar, toVietnamLocal(now).date);
    const due = input.kind === 'receive' ? dueDateFor(now, procedure.statutoryTime, snapshot) : undefined;
    const applicant = dto.applicant;
    const receivedBy = input.kind === 'receive' ? staffIdForEvents(user) : undefined;

    const dossier: Dossier = Object.assign(new Dossier(), {
      id: uuidv7(),
      code: '', // allocated inside the transaction
      unitCode: dto.unitCode,
      procedureCode: procedure.code,
      procedureSnapshot: procedure,
      calendarSnapshot: snapshot,
      channel,
      onlineLevel: channel === 'online' ? procedure.onlineLevel : 'none',
      status: plan.to,
      version: 1,
      eventSequence: plan.eventTypes.length,
      applicantNameCipher: this.cipher.encrypt(applicant.fullName, PII_CONTEXT.name),
      applicantNationalIdCipher: this.cipher.encrypt(applicant.nationalId, PII_CONTEXT.nationalId),
      applicantNationalIdIndex: this.blindIndex.compute(applicant.nationalId, PII_CONTEXT.nationalId),
      applicantPhoneCipher: applicant.phone ? this.cipher.encrypt(applicant.phone, PII_CONTEXT.phone) : null,
      applicantAddressCipher: applicant.address
        ? this.cipher.encrypt(applicant.address, PII_CONTEXT.address)
        : null,
      applicantPseudonym: this.pseudonymizer.pseudonymize(applicant.nationalId),
      digitised: input.kind === 'receive' ? (input.dto.digitised ?? false) : true,
      submittedAt: input.kind === 'submit-online' ? now : null,
      receivedAt: input.kind === 'receive' ? now : null,
      receivedBy: input.kind === 'receive' ? user.subject : null,
      dueAt: due?.dueAt ?? null,
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
      createdAt: now,
      updatedAt: now,
    });

    await this.dataSource.transaction(async (manager) => {
      dossier.code = await this.allocateCode(manager, dossier.unitCode, now);
      const events = buildDossierEvents(
        dossier,
        plan.eventTypes as DossierEventType[],
        { at: now, receivedBy },
        1,
      );
      await addToOutbox(manager, events, { topic: this.config.DOSSIER_EVENTS_TOPIC });
      // The dossier, its history, its attachments and the audit record: one statement, one round trip.
      const alongside = insertStatements(manager, [
        { target: Dossier, rows: [dossier] },
        {
          target: DossierHistoryEntry,
          rows: [
            {
              id: uuidv7(),
              dossierId: dossier.id,
              action,
              fromStatus: null,
              toStatus: dossier.status,
              reason: null,
              actorSubject: user.subject,
              actorRole: role,
              occurredAt: now,
              version: dossier.version,
            },
          ],
        },
        {
          target: DossierAttachment,
          rows: (dto.attachments ?? []).map((a) => ({ id: uuidv7(), dossierId: dossier.id, ...a })),
        },
      ]);
      await this.auditTrail.record(
        manager,
        {
          action: `dossier.${action}`,
          targetType: 'dossier',
          targetId: dossier.id,
          unitCode: dossier.unitCode,
        },
        { alongside },
      );
    });
    return dossierView(dossier, this.cipher, now);
  }

  /** The next number of the agency's day, under the counter row's lock until this transaction ends. */
  private async allocateCode(manager: EntityManager, agencyId: string, at: Date): Promise<string> {
    const rows: Array<{ last_sequence: number }> = await manager.query(NEXT_DOSSIER_SEQUENCE_SQL, [
      agencyId,
      dossierCodeDate(at),
    ]);
    return formatDossierCode(agencyId, at, rows[0]!.last_sequence);
  }
}
