import { Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@backbone/contracts';
import { InboxConsumer, type InboxContext, InboxEventPattern } from '@backbone/messaging';
import { AuditTrail } from '@backbone/platform';
import { DossierConfig } from '../config';
import { applyPlannedTransition, buildPendingEvents } from '../dossier/apply-transition';
import { changeDossier } from '../dossier/change-dossier';
import { planTransition } from '../dossier/dossier-lifecycle';

/** Who acts when a signing outcome changes a dossier: the signing service's event, not a person. */
const SIGNING_OUTCOME_ACTOR = {
  subject: 'signing.events.v1',
  roles: ['service' as const],
  unitCodes: [] as string[],
};

/**
 * signing.events.v1, group `dossier`: `signature.rejected.v1` over a dossier's result sends the
 * dossier back to processing with the signer's reason (`reject-result`, publishing
 * `dossier.result-rejected.v1`), ADR 0012. Runs in the inbox transaction (once per event id),
 * through the aggregate's write path (changeDossier). A rejection of another document than the
 * dossier's current result, or of a dossier no longer resolved (already signed and returned, or
 * already sent back), changes nothing (logged).
 */
@InboxConsumer()
export class OnSignatureRejectedConsumer {
  private readonly logger = new Logger('OnSignatureRejected');

  constructor(
    private readonly auditTrail: AuditTrail,
    private readonly config: DossierConfig,
  ) {}

  @InboxEventPattern('signature.rejected.v1')
  async sendBackToProcessing(
    @Payload() event: EventOf<'signature.rejected.v1'>,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    const { data } = event;
    if (data.reference.kind !== 'dossier-result') return;
    let ignored = 'unknown dossier';
    const at = new Date(data.rejectedAt);
    const changed = await changeDossier(
      context.getManager(),
      { id: data.reference.id },
      (dossier) => {
        if (data.documentSha256 && data.documentSha256 !== dossier.resultDocumentSha256) {
          ignored = 'the rejected document is not the result the dossier was resolved with';
          return null;
        }
        if (dossier.signatureId !== null) {
          ignored = `the result is already signed (${dossier.signatureId})`;
          return null;
        }
        const plan = planTransition(
          dossier.status,
          'reject-result',
          { role: 'service' },
          { reason: data.reason },
        );
        if (!plan.ok) {
          ignored = plan.message;
          return null;
        }
        const { history, events } = applyPlannedTransition(
          dossier,
          { ...plan, role: 'service' },
          {
            // The dossier's clock is ours: never before its resolution, even if the signing service's is behind.
            at: dossier.resolvedAt && at < dossier.resolvedAt ? new Date() : at,
            actorSubject: SIGNING_OUTCOME_ACTOR.subject,
            details: { reason: data.reason, signatureId: data.signatureId },
          },
        );
        return {
          history,
          events: buildPendingEvents(dossier, events),
          audit: { action: 'dossier.reject-result', actor: SIGNING_OUTCOME_ACTOR },
        };
      },
      { topic: this.config.DOSSIER_EVENTS_TOPIC, auditTrail: this.auditTrail },
    );
    if (!changed) {
      this.logger.warn(
        `rejection ${data.signatureId} of dossier ${data.reference.id}'s result not applied: ${ignored}`,
      );
    }
  }
}
