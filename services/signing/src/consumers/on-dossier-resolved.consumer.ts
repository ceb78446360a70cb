import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@backbone/contracts';
import { uuidv7 } from '@backbone/contracts';
import { InboxConsumer, type InboxContext, InboxEventPattern } from '@backbone/messaging';
import { AuditTrail } from '@backbone/platform';
import { SignatureTask } from '../signature-task/signature-task.entity';

/**
 * dossier.events.v1, group `signing`: a dossier resolved with a result that must be signed becomes
 * a signature task in its unit's queue (ADR 0012). Runs in the inbox transaction (applied once per
 * event id): the task and its audit record commit with the inbox entry. No event: the saga's first
 * event is `signature.requested.v1`, when a signer starts on the task.
 */
@InboxConsumer()
export class OnDossierResolvedConsumer {
  constructor(private readonly auditTrail: AuditTrail) {}

  @InboxEventPattern('dossier.resolved.v1')
  async openSignatureTask(
    @Payload() event: EventOf<'dossier.resolved.v1'>,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    const { data } = event;
    if (!data.requiresSignature || !data.resultDocumentSha256) return;
    const manager = context.getManager();
    const task: SignatureTask = {
      id: uuidv7(),
      unitCode: event.unitcode,
      dossierId: data.dossierId,
      dossierCode: data.dossierCode,
      procedureCode: data.procedureCode,
      dueAt: new Date(data.dueAt),
      documentSha256: data.resultDocumentSha256,
      status: 'open',
      requestedAt: new Date(data.resolvedAt),
      signatureId: null,
      closedAt: null,
      sourceEventId: event.id,
    };
    await manager.insert(SignatureTask, task);
    await this.auditTrail.record(manager, {
      action: 'signing.task.open',
      actor: { subject: 'dossier.events.v1', roles: ['service'], unitCodes: [] },
      targetType: 'signature-task',
      targetId: task.id,
      unitCode: task.unitCode,
    });
  }
}
