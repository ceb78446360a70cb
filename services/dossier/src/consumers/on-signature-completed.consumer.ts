import { Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@backbone/contracts';
import { InboxConsumer, type InboxContext, InboxEventPattern } from '@backbone/messaging';
import { AuditTrail } from '@backbone/platform';
import { returningRows } from '../shared/returning-rows';

/**
 * signing.events.v1, group `dossier`: records `signature.completed.v1` for a dossier's result so
 * that `return-result` is allowed. Runs in the consumer's inbox transaction (applied once per event
 * id); the topic's other events have no handler and are only recorded in the inbox. The signed hash
 * must be the result the dossier was resolved with; a signature over another document is not this
 * dossier's result and is ignored (logged).
 */
@InboxConsumer()
export class OnSignatureCompletedConsumer {
  private readonly logger = new Logger('OnSignatureCompleted');

  constructor(private readonly auditTrail: AuditTrail) {}

  @InboxEventPattern('signature.completed.v1')
  async recordSignature(
    @Payload() event: EventOf<'signature.completed.v1'>,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    const { data } = event;
    if (data.reference.kind !== 'dossier-result') return;
    const manager = context.getManager();
    const rows = returningRows<{ id: string; unit_code: string }>(
      await manager.query(
        `UPDATE dossiers SET signature_id = $2, signature_completed_at = $3, updated_at = now()
       WHERE id = $1 AND signature_completed_at IS NULL
         AND (result_document_sha256 IS NULL OR result_document_sha256 = $4)
       RETURNING id, unit_code`,
        [data.reference.id, data.signatureId, new Date(data.signedAt), data.documentSha256],
      ),
    );
    const updated = rows[0];
    if (!updated) {
      this.logger.warn(
        `signature ${data.signatureId} for dossier ${data.reference.id} not recorded: unknown dossier, already signed, or another document`,
      );
      return;
    }
    await this.auditTrail.record(manager, {
      action: 'dossier.record-signature',
      targetType: 'dossier',
      targetId: updated.id,
      unitCode: updated.unit_code,
      actor: { subject: 'signing.events.v1', roles: ['service'], unitCodes: [] },
    });
  }
}
