import { Injectable } from '@nestjs/common';
import {
  type AuthenticatedUser,
  FieldCipher,
  type FieldProblem,
  ValidationProblemException,
} from '@backbone/platform';
import { checkNationalId } from '../dossier-code/national-id';
import type { Dossier } from '../database/dossier.entities';
import { DossierCreator, type InitialTransitions } from '../dossier/create-dossier';
import { dossierView, type DossierView } from '../dossier/dossier-view';
import { procedureDefinitionOf, ReferenceDataService } from '../reference-data/reference-data.service';
import type { ImportDossierBatchDto, ImportDossierDto } from './import-dossiers.dto';
import { checkImportTimeline, replayImportedHistory } from './replay-imported-history';

/**
 * Brings over one dossier of a dissolved district-level system (the 2025 reform removed that tier;
 * its open and closed dossiers continue at the wards and communes). The dossier gets a code of the
 * day it was originally received (or submitted online), its history is replayed through the state
 * machine at the historical times, and its events go out with those times, so the city's figures
 * count it on the days it really happened. Created like an intake (DossierCreator: code, dossier,
 * history, attachments, outbox and audit record in one statement that commits by itself); the audit
 * record is of the import itself, now, by its caller.
 */
@Injectable()
export class ImportDossiersHandler {
  constructor(
    private readonly referenceData: ReferenceDataService,
    private readonly dossierCreator: DossierCreator,
    private readonly cipher: FieldCipher,
  ) {}

  async importDossier(dto: ImportDossierDto, user: AuthenticatedUser): Promise<DossierView> {
    const now = new Date();
    const prepared = await this.prepare(dto, user, now);
    await this.dossierCreator.create(prepared.dossier, prepared.extras, prepared.transitions);
    return dossierView(prepared.dossier, this.cipher, now);
  }

  /**
   * Many dossiers in one request (the migration's batches), all or none: each is checked as by
   * importDossier (a refusal names the dossier's index, `dossiers.<i>.<field>`), then all are
   * written in one transaction (DossierCreator.createMany), each with its own audit record.
   */
  async importBatch(dto: ImportDossierBatchDto, user: AuthenticatedUser): Promise<ImportedBatchView> {
    const now = new Date();
    const problems: FieldProblem[] = [];
    const prepared: Prepared[] = [];
    for (const [index, row] of dto.dossiers.entries()) {
      try {
        prepared.push(await this.prepare(row, user, now));
      } catch (error) {
        if (!(error instanceof ValidationProblemException)) throw error;
        problems.push(...error.fieldProblems.map((p) => ({ ...p, field: `dossiers.${index}.${p.field}` })));
      }
    }
    if (problems.length > 0) throw new ValidationProblemException(problems);
    // Each history is replayed before anything is written: a refused step refuses the batch.
    await this.dossierCreator.createMany(prepared, (index) => `dossiers.${index}.`);
    return {
      imported: prepared.length,
      dossiers: prepared.map(({ dossier }) => ({
        id: dossier.id,
        code: dossier.code,
        status: dossier.status!,
        version: dossier.version,
      })),
    };
  }

  /** Checks one import and builds its dossier (nothing written); `transitions` replays its history. */
  private async prepare(dto: ImportDossierDto, user: AuthenticatedUser, now: Date): Promise<Prepared> {
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

    // The code is the one the dossier would have had: its agency, the day it first arrived.
    const dossier = this.dossierCreator.newDossier({
      unitCode: dto.unitCode,
      procedure,
      channel: dto.channel,
      applicant: dto.applicant,
      digitised: dto.digitised,
      arrivedAt: firstAt,
    });
    return {
      dossier,
      extras: { attachments: dto.attachments, auditAction: 'dossier.import' },
      transitions: () =>
        replayImportedHistory(
          dossier,
          { ...(submittedAt ? { submittedAt } : {}), receivedAt, transitions: dto.transitions },
          {
            calendar,
            provenance: `imported from ${dto.sourceSystem}: ${dto.sourceReference}`,
            importer: user.subject,
          },
        ),
    };
  }
}

interface Prepared {
  dossier: Dossier;
  extras: { attachments: ImportDossierDto['attachments']; auditAction: string };
  transitions: () => InitialTransitions;
}

/** The answer to a batch: every dossier's id, code and final state, in the order sent. */
export interface ImportedBatchView {
  imported: number;
  dossiers: { id: string; code: string; status: string; version: number }[];
}
