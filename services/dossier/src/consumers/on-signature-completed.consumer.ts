import { Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@backbone/contracts';
import { InboxConsumer, type InboxContext, InboxEventPattern } from '@backbone/messaging';
import { AuditTrail } from '@backbone/platform';
import { DossierConfig } from '../config';
import { changeDossier } from '../dossier/change-dossier';
import { recordSignature } from '../dossier/record-signature';

/**
 * signing.events.v1, group `dossier`: records `signature.completed.v1` for a dossier's result so
 * that `return-result` is allowed. Runs in the consumer's inbox transaction (applied once per event
 * id), through the aggregate's write path (changeDossier). Only the result the dossier was resolved
 * with is recorded (recordSignature); a signature before the result exists, or over another
 * document, is not this dossier's result and is ignored (logged).
 */
@InboxConsumer()
export class OnSignatureCompletedConsumer {
  private readonly logger = new Logger('OnSignatureCompleted');

  constructor(
    private readonly auditTrail: AuditTrail,
    private readonly config: DossierConfig,
  ) {}

  @InboxEventPattern('signature.completed.v1')
  async recordSignature(
    @Payload() event: EventOf<'signature.completed.v1'>,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    const { data } = event;
    if (data.reference.kind !== 'dossier-result') return;
    const manager = context.getManager();
    let refused = 'unknown dossier';
    const recorded = await changeDossier(
      manager,
      { id: data.reference.id },
      (dossier) => {
        const outcome = recordSignature(dossier, {
          signatureId: data.signatureId,
          signedAt: new Date(data.signedAt),
          documentSha256: data.documentSha256,
          ...(data.producedDocumentSha256 ? { producedDocumentSha256: data.producedDocumentSha256 } : {}),
        });
        if ('refused' in outcome) {
          refused = outcome.refused;
          return null;
        }
        return outcome.change;
      },
      { topic: this.config.DOSSIER_EVENTS_TOPIC, auditTrail: this.auditTrail },
    );
    if (!recorded) {
      this.logger.warn(
        `signature ${data.signatureId} for dossier ${data.reference.id} not recorded: ${refused}`,
      );
    }
  }
}
