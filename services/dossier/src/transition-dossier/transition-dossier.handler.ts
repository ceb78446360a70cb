import { HttpStatus, Injectable } from '@nestjs/common';
import { uuidv7 } from '@backbone/contracts';
import { addToOutbox } from '@backbone/messaging';
import { AuditTrail, type AuthenticatedUser, FieldCipher, TypedProblemException } from '@backbone/platform';
import { DataSource } from 'typeorm';
import { DossierConfig } from '../config';
import { Dossier, DossierHistoryEntry } from '../database/dossier.entities';
import {
  dossierNotFound,
  dossierScopeWhere,
  lifecycleRolesOf,
  staffIdForEvents,
} from '../dossier/dossier-access';
import { applyPlannedTransition, buildPendingEvents } from '../dossier/apply-transition';
import { dossierView, type DossierView } from '../dossier/dossier-view';
import { ReferenceDataService } from '../reference-data/reference-data.service';
import { planForCaller, problemForRefusal } from './plan-for-caller';
import { type TransitionDossierDto, URL_ACTIONS, type UrlAction } from './transition-dossier.dto';

/**
 * One lifecycle transition: lock the row, compare versions (409 when stale), plan it with the
 * state machine, apply its effects, then history, events and audit in the same transaction.
 * Of two concurrent transitions from the same version, the second waits for the row lock, then
 * sees the new version and gets 409.
 */
@Injectable()
export class TransitionDossierHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly referenceData: ReferenceDataService,
    private readonly cipher: FieldCipher,
    private readonly auditTrail: AuditTrail,
    private readonly config: DossierConfig,
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

    return this.dataSource.transaction(async (manager) => {
      const dossier = await manager.findOne(Dossier, {
        where: { id, ...dossierScopeWhere(user, 'write') },
        lock: { mode: 'pessimistic_write' },
      });
      if (!dossier) throw dossierNotFound();
      if (dossier.version !== expectedVersion) {
        throw new TypedProblemException(
          'urn:backbone:problem:dossier-version-conflict',
          HttpStatus.CONFLICT,
          `The dossier is at version ${dossier.version}, not ${expectedVersion}: reload it and decide again`,
        );
      }
      const plan = planForCaller(dossier.status, action, lifecycleRolesOf(user), user.subject, {
        ...(input.reason !== undefined ? { reason: input.reason } : {}),
        requiresSignature: dossier.procedureSnapshot.requiresSignature,
        signatureCompleted: dossier.signatureCompletedAt !== null,
      });
      if (!plan.ok) {
        const problem = problemForRefusal(plan.code);
        throw new TypedProblemException(problem.type, problem.status, plan.message);
      }

      const now = new Date();
      const receivedByForEvents = plan.action === 'receive' ? staffIdForEvents(user) : undefined;
      const { history, events } = applyPlannedTransition(dossier, plan, {
        at: now,
        actorSubject: user.subject,
        ...(receivedByForEvents ? { receivedByForEvents } : {}),
        ...(calendar ? { calendar } : {}),
        details: input,
      });
      await manager.save(Dossier, dossier, { reload: false });
      await manager.insert(DossierHistoryEntry, { id: uuidv7(), dossierId: dossier.id, ...history });
      await addToOutbox(manager, buildPendingEvents(dossier, events), {
        topic: this.config.DOSSIER_EVENTS_TOPIC,
      });
      await this.auditTrail.record(manager, {
        action: `dossier.${plan.action}`,
        targetType: 'dossier',
        targetId: dossier.id,
        unitCode: dossier.unitCode,
      });
      return dossierView(dossier, this.cipher, now);
    });
  }
}
