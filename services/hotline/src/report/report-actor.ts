import type { ReportActorRole } from '@backbone/contracts';
import type { AuthenticatedUser } from '@backbone/platform';
import type { StepActor } from './report-lifecycle';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Staff roles in the order a step is attributed by (a city admin who is also an officer acts as city admin). */
const STAFF_ROLES: readonly ReportActorRole[] = ['city-admin', 'unit-head', 'officer', 'hotline-agent'];

/**
 * The actor of a step taken by a request: a staff role of the token, or — for a channel's service
 * client (iHanoi, the web portal, the e-mail and Zalo gateways) — the citizen it acts for. The
 * staff id goes into events only when the subject is a UUIDv7 account id, never a name or e-mail.
 */
export function actorOf(user: AuthenticatedUser, allowed?: readonly ReportActorRole[]): StepActor {
  const staffRole = STAFF_ROLES.find(
    (role) => user.roles.includes(role as never) && (!allowed || allowed.includes(role)),
  );
  const role: ReportActorRole = staffRole ?? (user.roles.includes('service') ? 'citizen' : 'officer');
  return {
    subject: user.subject,
    role,
    ...(staffRole && UUID_V7.test(user.subject) ? { staffId: user.subject.toLowerCase() } : {}),
  };
}

/** The actor of the overdue scheduler. */
export const SYSTEM_ACTOR: StepActor = { subject: 'hotline-overdue-scheduler', role: 'system' };
