import { Injectable } from '@nestjs/common';
import { type AuthenticatedUser, FieldCipher, ValidationProblemException } from '@backbone/platform';
import { checkNationalId } from '../dossier-code/national-id';
import { DossierCreator } from '../dossier/create-dossier';
import { dossierView, type DossierView } from '../dossier/dossier-view';
import { procedureDefinitionOf, ReferenceDataService } from '../reference-data/reference-data.service';
import type { ImportDossierDto } from './import-dossiers.dto';
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
    await this.dossierCreator.create(
      dossier,
      { attachments: dto.attachments, auditAction: 'dossier.import' },
      () =>
        replayImportedHistory(
          dossier,
          { ...(submittedAt ? { submittedAt } : {}), receivedAt, transitions: dto.transitions },
          {
            calendar,
            provenance: `imported from ${dto.sourceSystem}: ${dto.sourceReference}`,
            importer: user.subject,
          },
        ),
    );
    return dossierView(dossier, this.cipher, now);
  }
}
