import { HttpStatus, Injectable } from '@nestjs/common';
import { uuidv7 } from '@backbone/contracts';
import { addToOutbox } from '@backbone/messaging';
import {
  AuditTrail,
  type AuthenticatedUser,
  FieldCipher,
  TypedProblemException,
  ValidationProblemException,
} from '@backbone/platform';
import { DataSource } from 'typeorm';
import { dueDateFor, resumeAfterPause, snapshotWorkingCalendar, toVietnamLocal } from '../calendar';
import { DossierConfig } from '../config';
import { Dossier, DossierHistoryEntry } from '../database/dossier.entities';
import {
  dossierNotFound,
  dossierScopeWhere,
  lifecycleRolesOf,
  staffIdForEvents,
} from '../shared/dossier-access';
import { buildDossierEvents, type EventDetails } from '../shared/dossier-events.factory';
import { dossierView, type DossierView } from '../shared/dossier-view';
import { ReferenceDataService } from '../shared/reference-data.service';
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
      const from = dossier.status;
      const details: EventDetails = { at: now, ...(plan.reason ? { reason: plan.reason } : {}) };
      switch (plan.action) {
        case 'receive': {
          dossier.receivedAt = now;
          dossier.receivedBy = user.subject;
          dossier.calendarSnapshot = snapshotWorkingCalendar(calendar!, toVietnamLocal(now).date);
          dossier.dueAt = dueDateFor(
            now,
            dossier.procedureSnapshot.statutoryTime,
            dossier.calendarSnapshot,
          ).dueAt;
          const staffId = staffIdForEvents(user);
          if (staffId) details.receivedBy = staffId;
          break;
        }
        case 'request-supplement':
          dossier.pausedAt = now;
          break;
        case 'provide-supplement': {
          const outcome = resumeAfterPause(
            dossier.dueAt!,
            dossier.pausedAt ?? now,
            now,
            dossier.calendarSnapshot,
          );
          dossier.dueAt = outcome.newDueAt;
          dossier.pausedWorkingMinutes += outcome.pausedWorkingMinutes;
          dossier.pausedAt = null;
          details.pausedWorkingMinutes = outcome.pausedWorkingMinutes;
          break;
        }
        case 'request-payment':
          dossier.requestedFeeVnd = input.amountVnd ?? dossier.procedureSnapshot.feeVnd;
          details.amountVnd = dossier.requestedFeeVnd;
          break;
        case 'record-payment':
        case 'record-payment-and-resolve':
          dossier.paidAt = now;
          details.amountVnd = input.amountVnd ?? dossier.requestedFeeVnd ?? 0;
          details.paymentChannel = input.paymentChannel ?? 'cash';
          if (plan.action === 'record-payment-and-resolve') this.resolve(dossier, input, now);
          break;
        case 'resolve':
          this.resolve(dossier, input, now);
          break;
        case 'return-result':
          dossier.returnedAt = now;
          break;
        case 'refuse-at-intake':
        case 'withdraw':
        case 'stop':
          dossier.closedAt = now;
          break;
        case 'issue-apology': {
          const newDueAt = input.newDueAt ? new Date(input.newDueAt) : undefined;
          if (!newDueAt || newDueAt.getTime() <= now.getTime()) {
            throw new ValidationProblemException([
              { field: 'newDueAt', reason: 'an apology (form 04) must promise a new date in the future' },
            ]);
          }
          details.previousDueAt = dossier.promisedDueAt ?? dossier.dueAt!;
          dossier.promisedDueAt = newDueAt;
          break;
        }
        default:
          break;
      }
      const firstSequence = dossier.eventSequence + 1;
      dossier.status = plan.to;
      dossier.version += 1;
      dossier.eventSequence += plan.eventTypes.length;
      dossier.updatedAt = now;
      await manager.save(Dossier, dossier, { reload: false });
      await manager.insert(DossierHistoryEntry, {
        id: uuidv7(),
        dossierId: dossier.id,
        action: plan.action,
        fromStatus: from,
        toStatus: dossier.status,
        reason: plan.reason ?? null,
        actorSubject: user.subject,
        actorRole: plan.role,
        occurredAt: now,
        version: dossier.version,
      });
      const events = buildDossierEvents(dossier, plan.eventTypes, details, firstSequence);
      await addToOutbox(manager, events, { topic: this.config.DOSSIER_EVENTS_TOPIC });
      await this.auditTrail.record(manager, {
        action: `dossier.${plan.action}`,
        targetType: 'dossier',
        targetId: dossier.id,
        unitCode: dossier.unitCode,
      });
      return dossierView(dossier, this.cipher, now);
    });
  }

  private resolve(dossier: Dossier, input: TransitionDossierDto, now: Date): void {
    if (dossier.procedureSnapshot.requiresSignature && !input.resultDocumentSha256) {
      throw new ValidationProblemException([
        {
          field: 'resultDocumentSha256',
          reason: 'the result of this procedure must be signed: give the SHA-256 of the result document',
        },
      ]);
    }
    dossier.resolvedAt = now;
    dossier.resultDocumentSha256 = input.resultDocumentSha256 ?? null;
  }
}
