import { HttpStatus, Inject, Injectable, Optional } from '@nestjs/common';
import {
  AuditTrail,
  type AuthenticatedUser,
  FieldCipher,
  SERVICE_CLIENT_REGISTRY,
  type ServiceClientRegistry,
  TypedProblemException,
} from '@backbone/platform';
import { DataSource } from 'typeorm';
import { DossierConfig } from '../config';
import { hasSignedResult, hasSignedResultDocument } from '../dossier';
import { applyPlannedTransition, buildPendingEvents } from '../dossier/apply-transition';
import { changeDossierInOneStatement } from '../dossier/change-dossier';
import {
  dossierNotFound,
  lifecycleRolesOf,
  mayWriteDossier,
  staffIdForEvents,
} from '../dossier/dossier-access';
import { dossierView, type DossierView } from '../dossier/dossier-view';
import { ReferenceDataService } from '../reference-data/reference-data.service';
import { planForCaller, problemForRefusal } from './plan-for-caller';
import { type TransitionDossierDto, URL_ACTIONS, type UrlAction } from './transition-dossier.dto';

/**
 * One lifecycle transition, through the aggregate's write path for live requests
 * (changeDossierInOneStatement): read the dossier (claiming the Idempotency-Key in the same
 * statement), compare versions (409 when stale), plan it with the state machine, apply its effects,
 * then ONE statement writes the row — only if it is still the version read — with its history,
 * events, audit record and the stored answer.
 * Of two concurrent transitions from the same version, the second's write waits for the first's
 * row lock, then matches nothing (the row changed): it reads again, sees the new version and gets 409.
 */
@Injectable()
export class TransitionDossierHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly referenceData: ReferenceDataService,
    private readonly cipher: FieldCipher,
    private readonly auditTrail: AuditTrail,
    private readonly config: DossierConfig,
    /** SERVICE_CLIENTS allow-lists: a client limited to some units acts on their dossiers only. */
    @Optional()
    @Inject(SERVICE_CLIENT_REGISTRY)
    private readonly serviceClients?: ServiceClientRegistry,
  ) {}

  async transition(
    id: string,
    urlAction: UrlAction,
    input: TransitionDossierDto,
    expectedVersion: number | undefined,
    user: AuthenticatedUser,
  ): Promise<DossierView> {
    if (expectedVersion === undefined) {
      throw new TypedProblemException(
        'urn:backbone:problem:dossier-version-required',
        HttpStatus.PRECONDITION_REQUIRED,
        'Send the version you last saw as expectedVersion or If-Match',
      );
    }
    const action =
      urlAction === 'record-payment' && input.resolve ? 'record-payment-and-resolve' : URL_ACTIONS[urlAction];
    const calendar = action === 'receive' ? await this.referenceData.currentCalendar() : undefined;

    const now = new Date();
    const answer = await changeDossierInOneStatement(
      this.dataSource,
      id,
      (dossier) => mayWriteDossier(user, dossier, this.serviceClients),
      (dossier) => {
        if (dossier.version !== expectedVersion) {
          throw new TypedProblemException(
            'urn:backbone:problem:dossier-version-conflict',
            HttpStatus.CONFLICT,
            `The dossier is at version ${dossier.version}, not ${expectedVersion}: reload it and decide again`,
          );
        }
        if (
          action === 'return-result' &&
          dossier.status === 'resolved' &&
          hasSignedResult(dossier) &&
          !hasSignedResultDocument(dossier)
        ) {
          throw new TypedProblemException(
            'urn:backbone:problem:dossier-signed-result-missing',
            HttpStatus.CONFLICT,
            'The result is signed but the signed PDF is not stored yet: POST it to /dossiers/:id/signed-result first',
          );
        }
        const plan = planForCaller(dossier.status, action, lifecycleRolesOf(user), user.subject, {
          ...(input.reason !== undefined ? { reason: input.reason } : {}),
          requiresSignature: dossier.procedureSnapshot.requiresSignature,
          // Signed, and the signed PDF (when the signature is embedded in it) stored for the citizen.
          signatureCompleted: hasSignedResult(dossier) && hasSignedResultDocument(dossier),
        });
        if (!plan.ok) {
          const problem = problemForRefusal(plan.code);
          throw new TypedProblemException(problem.type, problem.status, plan.message);
        }
        const receivedByForEvents = plan.action === 'receive' ? staffIdForEvents(user) : undefined;
        const { history, events } = applyPlannedTransition(dossier, plan, {
          at: now,
          actorSubject: user.subject,
          ...(receivedByForEvents ? { receivedByForEvents } : {}),
          ...(calendar ? { calendar } : {}),
          details: input,
        });
        return {
          history,
          events: buildPendingEvents(dossier, events),
          audit: { action: `dossier.${plan.action}` },
        };
      },
      { answer: (dossier) => dossierView(dossier, this.cipher, now), status: HttpStatus.OK },
      { topic: this.config.DOSSIER_EVENTS_TOPIC, auditTrail: this.auditTrail },
    );
    if (!answer) throw dossierNotFound();
    return answer;
  }
}
