import type { CloudEvent } from '@backbone/contracts';
import { type FieldProblem, ValidationProblemException } from '@backbone/platform';
import type { WorkingCalendarRules } from '@backbone/calendar';
import { type DossierRole, hasSignedResult, planTransition } from '../dossier';
import type { Dossier } from '../database/dossier.entities';
import {
  applyPlannedTransition,
  buildPendingEvents,
  type NewHistoryEntry,
  type PlannedTransition,
} from '../dossier/apply-transition';
import type { ImportableAction, ImportedTransitionDto } from './import-dossiers.dto';

/**
 * The roles tried, in this order, for a step of an imported history: the source systems do not say
 * which role acted, only that the step happened; the state machine still decides whether anyone
 * could have taken it from that status.
 */
const HISTORICAL_ROLES: readonly DossierRole[] = [
  'officer',
  'unit-head',
  'signer',
  'service',
  'citizen-online',
  'city-admin',
];

export interface ReplayedHistory {
  events: CloudEvent[];
  history: NewHistoryEntry[];
}

type Step = {
  action: 'submit-online' | 'receive' | ImportableAction;
  at: Date;
  field: string;
  input?: ImportedTransitionDto;
};

/**
 * Checks the timestamps of an import before anything is locked: in time order, receipt in the past,
 * nothing after `now`, submission (online only) not after receipt.
 */
export function checkImportTimeline(
  input: { channel: string; submittedAt?: string; receivedAt: string; transitions: { at: string }[] },
  now: Date,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const receivedAt = new Date(input.receivedAt);
  if (!(receivedAt.getTime() < now.getTime()))
    problems.push({ field: 'receivedAt', reason: 'an imported dossier was received in the past' });
  if (input.submittedAt !== undefined) {
    if (input.channel !== 'online')
      problems.push({ field: 'submittedAt', reason: 'only an online dossier has a submission time' });
    else if (new Date(input.submittedAt).getTime() > receivedAt.getTime())
      problems.push({ field: 'submittedAt', reason: 'the submission cannot be after the receipt' });
  }
  let previous = receivedAt.getTime();
  input.transitions.forEach((transition, index) => {
    const at = new Date(transition.at).getTime();
    if (at < previous)
      problems.push({
        field: `transitions[${index}].at`,
        reason: 'transitions must be in time order, after the receipt',
      });
    if (at > now.getTime()) problems.push({ field: `transitions[${index}].at`, reason: 'in the future' });
    previous = Math.max(previous, at);
  });
  return problems;
}

/**
 * Runs an imported dossier's history through the same state machine (`planTransition`) and the same
 * effects as live transitions, at the historical times: the due date is computed at the historical
 * receipt with the calendar in force then, supplement pauses move it by the working time that passed,
 * and every event carries the time its step happened. `dossier` arrives in the "(new)" state with
 * its code allocated, and leaves in its final state; nothing is written here.
 */
export function replayImportedHistory(
  dossier: Dossier,
  source: { submittedAt?: Date; receivedAt: Date; transitions: ImportedTransitionDto[] },
  context: { calendar: WorkingCalendarRules; provenance: string; importer: string },
): ReplayedHistory {
  const steps: Step[] = [
    ...(dossier.channel === 'online'
      ? [
          {
            action: 'submit-online' as const,
            at: source.submittedAt ?? source.receivedAt,
            field: 'submittedAt',
          },
        ]
      : []),
    { action: 'receive', at: source.receivedAt, field: 'receivedAt' },
    ...source.transitions.map((input, index) => ({
      action: input.action,
      at: new Date(input.at),
      field: `transitions[${index}]`,
      input,
    })),
  ];
  const events: CloudEvent[] = [];
  const history: NewHistoryEntry[] = [];
  const procedure = dossier.procedureSnapshot;

  for (const [index, step] of steps.entries()) {
    const input = step.input;
    const reason = input?.reason;
    const plan = planFirstPermitted(index === 0 ? null : dossier.status, step.action, {
      ...(reason !== undefined ? { reason } : {}),
      requiresSignature: procedure.requiresSignature,
      // A signature made in the source system cannot be verified here: a signed result is imported
      // as resolved, and returned once the signing service reports the signature.
      signatureCompleted: hasSignedResult(dossier),
    });
    if (!plan.ok) {
      throw new ValidationProblemException([
        { field: step.field === 'receivedAt' ? 'channel' : `${step.field}.action`, reason: plan.message },
      ]);
    }
    const applied = applyPlannedTransition(dossier, plan, {
      at: step.at,
      actorSubject: input?.actor ?? context.importer,
      calendar: context.calendar,
      details: input ?? {},
      problemField: (name) => `${step.field}.${name}`,
      apologyDateRule: 'an apology (form 04) must promise a date after it was issued',
    });
    // The first entry says where the dossier came from.
    history.push(index === 0 ? { ...applied.history, reason: context.provenance } : applied.history);
    events.push(...buildPendingEvents(dossier, applied.events));
  }
  return { events, history };
}

function planFirstPermitted(
  current: Dossier['status'] | null,
  action: string,
  input: Parameters<typeof planTransition>[3],
): PlannedTransition | Extract<ReturnType<typeof planTransition>, { ok: false }> {
  let refusal: Extract<ReturnType<typeof planTransition>, { ok: false }> | undefined;
  for (const role of HISTORICAL_ROLES) {
    const plan = planTransition(current, action, { role }, input);
    if (plan.ok) return { ...plan, role };
    if (!refusal || refusal.code === 'role-not-permitted') refusal = plan;
  }
  return refusal!;
}
