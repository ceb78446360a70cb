import { Injectable, Logger } from '@nestjs/common';
import type { CloudEvent, SignatureCompletedV1 } from '@backbone/contracts';
import type { ConsumerHandlers } from '@backbone/messaging';
import { AuditTrail } from '@backbone/platform';
import type { EntityManager } from 'typeorm';
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
@Injectable()
export class OnSignatureCompletedConsumer implements ConsumerHandlers {
  private readonly logger = new Logger('OnSignatureCompleted');

  constructor(
    private readonly auditTrail: AuditTrail,
    private readonly config: DossierConfig,
  ) {}

  async handle(event: CloudEvent, manager: EntityManager): Promise<void> {
    if (event.type !== 'signature.completed.v1') return;
    const data = event.data as SignatureCompletedV1;
    if (data.reference.kind !== 'dossier-result') return;
    let refused = 'unknown dossier';
    const recorded = await changeDossier(
      manager,
      { id: data.reference.id },
      (dossier) => {
        const outcome = recordSignature(dossier, {
          signatureId: data.signatureId,
          signedAt: new Date(data.signedAt),
          documentSha256: data.documentSha256,
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
