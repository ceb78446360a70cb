import { Injectable } from '@nestjs/common';
import { type AuthenticatedUser, FieldCipher, ValidationProblemException } from '@backbone/platform';
import { checkNationalId } from '../dossier-code/national-id';
import { planTransition } from '../dossier';
import type { DossierChannel } from '../database/dossier.entities';
import { applyPlannedTransition, buildPendingEvents } from '../dossier/apply-transition';
import { DossierCreator } from '../dossier/create-dossier';
import { dossierView, type DossierView } from '../dossier/dossier-view';
import { procedureDefinitionOf, ReferenceDataService } from '../reference-data/reference-data.service';
import { staffIdForEvents } from '../dossier/dossier-access';
import type { ReceiveDossierDto, SubmitOnlineDossierDto } from './receive-dossier.dto';

type IntakeInput =
  { kind: 'receive'; dto: ReceiveDossierDto } | { kind: 'submit-online'; dto: SubmitOnlineDossierDto };

/**
 * Creates dossiers: received at the desk (officer) or submitted online (the portal's service
 * account). Everything that must agree commits together, in one statement (DossierCreator): the
 * daily code number, the dossier, its history and attachments, its events in the outbox and the
 * audit record.
 */
@Injectable()
export class ReceiveDossierHandler {
  constructor(
    private readonly referenceData: ReferenceDataService,
    private readonly dossierCreator: DossierCreator,
    private readonly cipher: FieldCipher,
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
    const receivedByForEvents = input.kind === 'receive' ? staffIdForEvents(user) : undefined;
    const dossier = this.dossierCreator.newDossier({
      unitCode: dto.unitCode,
      procedure,
      channel,
      applicant: dto.applicant,
      digitised: input.kind === 'receive' ? input.dto.digitised : undefined,
      arrivedAt: now,
    });
    // Applied before the transaction (the due date takes a while to compute, and the code counter's
    // row stays locked until the commit); the events are built once the code is allocated.
    const first = applyPlannedTransition(
      dossier,
      { ...plan, role },
      {
        at: now,
        actorSubject: user.subject,
        ...(receivedByForEvents ? { receivedByForEvents } : {}),
        calendar,
        details: {},
      },
    );
    await this.dossierCreator.create(
      dossier,
      { attachments: dto.attachments, auditAction: `dossier.${action}` },
      () => ({ events: buildPendingEvents(dossier, first.events), history: [first.history] }),
    );
    // The applicant's values as received: what the row was just encrypted from (no decryption).
    return dossierView(dossier, this.cipher, now, dto.applicant);
  }
}
