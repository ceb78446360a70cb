import { Injectable } from '@nestjs/common';
import { type CloudEvent, uuidv7 } from '@backbone/contracts';
import { addToOutbox } from '@backbone/messaging';
import { AuditTrail, BlindIndex, FieldCipher, Pseudonymizer } from '@backbone/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { DossierConfig } from '../config';
import { dossierCodeDate, formatDossierCode, NEXT_DOSSIER_SEQUENCE_SQL } from '../dossier-code';
import {
  Dossier,
  DossierAttachment,
  type DossierChannel,
  DossierHistoryEntry,
} from '../database/dossier.entities';
import type { ProcedureDefinition } from '../reference-data';
import type { ApplicantDto, AttachmentDto } from './applicant.dto';
import type { NewHistoryEntry } from './apply-transition';
import { PII_CONTEXT } from './dossier-view';
import { insertStatements } from './insert-together';

export interface NewDossier {
  unitCode: string;
  /** The catalogue entry in force when the dossier arrived (kept as the dossier's snapshot). */
  procedure: ProcedureDefinition;
  channel: DossierChannel;
  applicant: ApplicantDto;
  attachments?: AttachmentDto[] | undefined;
  /** Desk channels: whether the documents were scanned. An online dossier is digital. */
  digitised?: boolean | undefined;
  /** When it first arrived: its creation time and the day its code is numbered in. */
  arrivedAt: Date;
  /** The audit record's action: `dossier.receive`, `dossier.submit-online`, `dossier.import`. */
  auditAction: string;
}

/** What the dossier went through on creation: its first transition, or an imported history. */
export interface InitialTransitions {
  events: CloudEvent[];
  history: NewHistoryEntry[];
}

/**
 * Creates dossiers, for the intake (desk and online) and for the import of historical dossiers.
 * newDossier builds the row with the applicant's fields encrypted (and blind-indexed, pseudonymised
 * for events); create commits everything that must agree in one transaction: the daily code
 * number, the events in the outbox, and the dossier, its history, its attachments and the audit
 * record as one statement (one round trip).
 */
@Injectable()
export class DossierCreator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly blindIndex: BlindIndex,
    private readonly pseudonymizer: Pseudonymizer,
    private readonly auditTrail: AuditTrail,
    private readonly config: DossierConfig,
  ) {}

  /**
   * Commits a dossier from newDossier: `transitions` runs inside the transaction once the code is
   * allocated (events carry the code) and returns the events and history rows of what the dossier
   * went through; it may throw to refuse the dossier, and nothing is written.
   */
  async create(
    dossier: Dossier,
    extras: Pick<NewDossier, 'attachments' | 'auditAction'>,
    transitions: () => InitialTransitions,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      dossier.code = await allocateDossierCode(manager, dossier.unitCode, dossier.createdAt);
      const { events, history } = transitions();
      await addToOutbox(manager, events, { topic: this.config.DOSSIER_EVENTS_TOPIC });
      const alongside = insertStatements(manager, [
        { target: Dossier, rows: [dossier] },
        {
          target: DossierHistoryEntry,
          rows: history.map((entry) => ({ id: uuidv7(), dossierId: dossier.id, ...entry })),
        },
        {
          target: DossierAttachment,
          rows: (extras.attachments ?? []).map((a) => ({ id: uuidv7(), dossierId: dossier.id, ...a })),
        },
      ]);
      await this.auditTrail.record(
        manager,
        {
          action: extras.auditAction,
          targetType: 'dossier',
          targetId: dossier.id,
          unitCode: dossier.unitCode,
        },
        { alongside },
      );
    });
  }

  /**
   * The dossier in its "(new)" state (version 0, no status, no code yet): its first transition sets
   * its status, calendar snapshot and dates.
   */
  newDossier(input: Omit<NewDossier, 'attachments' | 'auditAction'>): Dossier {
    const { applicant, procedure, channel } = input;
    return Object.assign(new Dossier(), {
      id: uuidv7(),
      code: '', // allocated inside the transaction
      unitCode: input.unitCode,
      procedureCode: procedure.code,
      procedureSnapshot: procedure,
      channel,
      onlineLevel: channel === 'online' ? procedure.onlineLevel : 'none',
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
      digitised: channel === 'online' ? true : (input.digitised ?? false),
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
      createdAt: input.arrivedAt,
      updatedAt: input.arrivedAt,
    });
  }
}

/** The next number of the agency's day, under the counter row's lock until this transaction ends. */
async function allocateDossierCode(manager: EntityManager, agencyId: string, at: Date): Promise<string> {
  const rows: Array<{ last_sequence: number }> = await manager.query(NEXT_DOSSIER_SEQUENCE_SQL, [
    agencyId,
    dossierCodeDate(at),
  ]);
  return formatDossierCode(agencyId, at, rows[0]!.last_sequence);
}
