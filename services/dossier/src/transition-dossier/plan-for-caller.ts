import { HttpStatus } from '@nestjs/common';
import {
  type DossierRole,
  type DossierStatusOrNew,
  planTransition,
  type TransitionInput,
  type TransitionPlan,
} from '../dossier';
import type { PlannedTransition } from '../dossier/apply-transition';

export type SuccessfulPlan = PlannedTransition;
type FailedPlan = Extract<TransitionPlan, { ok: false }>;

/**
 * A token may carry several roles: the first role the rule permits decides. When none does, the
 * most telling refusal is reported: a status or reason problem applies to every role, so it wins
 * over "your role may not".
 */
export function planForCaller(
  current: DossierStatusOrNew,
  action: string,
  roles: readonly DossierRole[],
  userId: string,
  input: TransitionInput,
): SuccessfulPlan | FailedPlan {
  let refusal: FailedPlan | undefined;
  for (const role of roles) {
    const plan = planTransition(current, action, { role, userId }, input);
    if (plan.ok) return { ...plan, role };
    if (!refusal || refusal.code === 'role-not-permitted') refusal = plan;
  }
  return (
    refusal ?? {
      ok: false,
      code: 'role-not-permitted',
      message: `${action} is not permitted for a caller without a dossier role`,
    }
  );
}

/** HTTP status and problem type of a refused transition. */
export function problemForRefusal(code: FailedPlan['code']): { status: HttpStatus; type: string } {
  switch (code) {
    case 'unknown-action':
      return { status: HttpStatus.NOT_FOUND, type: 'urn:backbone:problem:dossier-unknown-action' };
    case 'not-allowed-from-status':
      return { status: HttpStatus.CONFLICT, type: 'urn:backbone:problem:dossier-transition-not-allowed' };
    case 'role-not-permitted':
      return { status: HttpStatus.FORBIDDEN, type: 'urn:backbone:problem:dossier-role-not-permitted' };
    case 'reason-required':
      return { status: HttpStatus.BAD_REQUEST, type: 'urn:backbone:problem:dossier-reason-required' };
    case 'signature-not-completed':
      return { status: HttpStatus.CONFLICT, type: 'urn:backbone:problem:dossier-signature-not-completed' };
  }
}
