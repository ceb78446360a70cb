import {
  allowedActions,
  DOSSIER_ACTIONS,
  DOSSIER_ROLES,
  DOSSIER_STATUSES,
  DOSSIER_TRANSITIONS,
  DossierAction,
  DossierRole,
  DossierStatusOrNew,
  isOverdue,
  planTransition,
} from './dossier-lifecycle';
import { DOSSIER_EVENT_TYPES } from './dossier-events';

// The expected state machine, written out independently of the implementation's table so that the
// matrix below checks one against the other: [from, action, to, roles, reason required, events].
type Row = [DossierStatusOrNew, DossierAction, string, DossierRole[], boolean, string[]];
const OPEN = ['received', 'processing', 'supplement-requested', 'awaiting-payment'] as const;
const EXPECTED: Row[] = [
  [
    null,
    'submit-online',
    'submitted-online',
    ['citizen-online', 'service'],
    false,
    ['dossier.submitted-online.v1'],
  ],
  [null, 'receive', 'received', ['officer'], false, ['dossier.received.v1']],
  ['submitted-online', 'receive', 'received', ['officer'], false, ['dossier.received.v1']],
  [null, 'refuse-at-intake', 'refused-at-intake', ['officer'], true, ['dossier.refused-at-intake.v1']],
  [
    'submitted-online',
    'refuse-at-intake',
    'refused-at-intake',
    ['officer'],
    true,
    ['dossier.refused-at-intake.v1'],
  ],
  [
    'received',
    'start-processing',
    'processing',
    ['officer', 'unit-head'],
    false,
    ['dossier.processing-started.v1'],
  ],
  [
    'processing',
    'request-supplement',
    'supplement-requested',
    ['officer', 'unit-head'],
    true,
    ['dossier.supplement-requested.v1'],
  ],
  [
    'supplement-requested',
    'provide-supplement',
    'processing',
    ['officer', 'citizen-online'],
    false,
    ['dossier.supplement-provided.v1'],
  ],
  [
    'processing',
    'request-payment',
    'awaiting-payment',
    ['officer', 'unit-head'],
    false,
    ['dossier.payment-requested.v1'],
  ],
  [
    'awaiting-payment',
    'record-payment',
    'processing',
    ['officer', 'service'],
    false,
    ['dossier.fee-paid.v1'],
  ],
  [
    'awaiting-payment',
    'record-payment-and-resolve',
    'resolved',
    ['officer', 'service'],
    false,
    ['dossier.fee-paid.v1', 'dossier.resolved.v1'],
  ],
  ['processing', 'resolve', 'resolved', ['officer', 'unit-head', 'signer'], false, ['dossier.resolved.v1']],
  [
    'resolved',
    'return-result',
    'result-returned',
    ['officer', 'service'],
    false,
    ['dossier.result-returned.v1'],
  ],
  ...(['submitted-online', ...OPEN] as const).map((from): Row => [
    from,
    'withdraw',
    'withdrawn',
    ['citizen-online', 'officer'],
    true,
    ['dossier.withdrawn.v1'],
  ]),
  ...OPEN.map((from): Row => [
    from,
    'stop',
    'stopped',
    ['unit-head', 'city-admin'],
    true,
    ['dossier.stopped.v1'],
  ]),
  ...OPEN.map((from): Row => [
    from,
    'issue-apology',
    from,
    ['officer', 'unit-head'],
    true,
    ['dossier.apology-issued.v1'],
  ]),
  ...OPEN.map((from): Row => [from, 'report-overdue', from, ['service'], false, ['dossier.overdue.v1']]),
  // The signer refused to sign the result (signature.rejected.v1, consumed): back to processing (issue 13).
  ['resolved', 'reject-result', 'processing', ['service'], true, ['dossier.result-rejected.v1']],
];

const ALL_FROM: DossierStatusOrNew[] = [null, ...DOSSIER_STATUSES];
const expectedRow = (from: DossierStatusOrNew, action: DossierAction) =>
  EXPECTED.find(([f, a]) => f === from && a === action);
const label = (s: DossierStatusOrNew) => s ?? '(new)';

const allowedCases = EXPECTED.flatMap(([from, action, to, roles, reasonRequired, events]) =>
  roles.map((role) => [label(from), action, role, from, to, reasonRequired, events] as const),
);
const forbiddenCases = ALL_FROM.flatMap((from) =>
  DOSSIER_ACTIONS.filter((action) => !expectedRow(from, action)).map(
    (action) => [label(from), action, from] as const,
  ),
);
const wrongRoleCases = EXPECTED.flatMap(([from, action, , roles]) =>
  DOSSIER_ROLES.filter((role) => !roles.includes(role)).map(
    (role) => [label(from), action, role, from] as const,
  ),
);

describe('dossier lifecycle state machine', () => {
  it('covers every (status, action) pair: allowed pairs plus forbidden pairs = the whole matrix', () => {
    expect(EXPECTED.length + forbiddenCases.length).toBe(ALL_FROM.length * DOSSIER_ACTIONS.length);
    // The implementation has exactly the expected allowed pairs, no more.
    const implemented = DOSSIER_TRANSITIONS.flatMap((rule) =>
      rule.from.map((from) => `${label(from)} ${rule.action}`),
    ).sort();
    expect(implemented).toEqual(EXPECTED.map(([from, action]) => `${label(from)} ${action}`).sort());
  });

  it.each(allowedCases)('%s --%s--> allowed for %s', (_l, action, role, from, to, reasonRequired, events) => {
    const plan = planTransition(from, action, { role }, { reason: 'the citizen asked for it' });
    expect(plan).toEqual({
      ok: true,
      action,
      from,
      to,
      statusChanged: to !== from,
      eventTypes: events,
      reason: 'the citizen asked for it',
    });
    if (reasonRequired) {
      expect(planTransition(from, action, { role }, {})).toMatchObject({
        ok: false,
        code: 'reason-required',
      });
      expect(planTransition(from, action, { role }, { reason: '   ' })).toMatchObject({
        ok: false,
        code: 'reason-required',
      });
    } else {
      expect(planTransition(from, action, { role }, {})).toMatchObject({ ok: true, to });
    }
  });

  it.each(forbiddenCases)(
    '%s --%s--> is not allowed from that status, for every role',
    (_l, action, from) => {
      for (const role of DOSSIER_ROLES) {
        expect(planTransition(from, action, { role }, { reason: 'x', signatureCompleted: true })).toEqual({
          ok: false,
          code: 'not-allowed-from-status',
          message: `${action} is not allowed from status ${label(from)}`,
        });
      }
    },
  );

  it.each(wrongRoleCases)('%s --%s--> is refused for role %s', (_l, action, role, from) => {
    expect(planTransition(from, action, { role }, { reason: 'x', signatureCompleted: true })).toMatchObject({
      ok: false,
      code: 'role-not-permitted',
    });
  });

  it('publishes only event types of the agreed catalogue, and every catalogue type is published somewhere', () => {
    const published = new Set(DOSSIER_TRANSITIONS.flatMap((rule) => rule.events));
    expect([...published].sort()).toEqual([...DOSSIER_EVENT_TYPES].sort());
  });

  it('returns a result that must be signed only after signature.completed', () => {
    const officer = { role: 'officer' as const };
    expect(planTransition('resolved', 'return-result', officer, { requiresSignature: true })).toMatchObject({
      ok: false,
      code: 'signature-not-completed',
    });
    expect(
      planTransition('resolved', 'return-result', officer, {
        requiresSignature: true,
        signatureCompleted: true,
      }),
    ).toMatchObject({ ok: true, to: 'result-returned' });
    expect(planTransition('resolved', 'return-result', officer, { requiresSignature: false })).toMatchObject({
      ok: true,
    });
  });

  it('checks status before role, and role before reason', () => {
    expect(planTransition('withdrawn', 'stop', { role: 'citizen-online' })).toMatchObject({
      code: 'not-allowed-from-status',
    });
    expect(planTransition('processing', 'stop', { role: 'citizen-online' })).toMatchObject({
      code: 'role-not-permitted',
    });
    expect(planTransition('processing', 'stop', { role: 'unit-head' })).toMatchObject({
      code: 'reason-required',
    });
  });

  it('rejects an unknown action and trims the reason it keeps', () => {
    expect(planTransition('processing', 'approve', { role: 'officer' })).toMatchObject({
      ok: false,
      code: 'unknown-action',
    });
    expect(
      planTransition(
        'processing',
        'request-supplement',
        { role: 'officer' },
        { reason: '  missing form TK1-TS  ' },
      ),
    ).toMatchObject({
      reason: 'missing form TK1-TS',
    });
  });

  it('lists the actions open to a role', () => {
    expect(allowedActions('processing', 'officer')).toEqual([
      'request-supplement',
      'request-payment',
      'resolve',
      'withdraw',
      'issue-apology',
    ]);
    expect(allowedActions(null, 'citizen-online')).toEqual(['submit-online']);
    expect(allowedActions('result-returned', 'city-admin')).toEqual([]);
  });
});

describe('isOverdue (derived, not a status)', () => {
  const dueAt = new Date('2026-03-05T10:00:00+07:00');
  const after = new Date('2026-03-05T10:01:00+07:00');
  const before = new Date('2026-03-05T09:59:00+07:00');

  it('is true only for open dossiers past their due date', () => {
    for (const status of DOSSIER_STATUSES) {
      const open = ['received', 'processing', 'supplement-requested', 'awaiting-payment'].includes(status);
      expect(isOverdue({ status, dueAt }, after)).toBe(open);
      expect(isOverdue({ status, dueAt }, before)).toBe(false);
    }
    expect(isOverdue({ status: 'processing', dueAt }, dueAt)).toBe(false); // due at 10:00 is on time at 10:00
    expect(isOverdue({ status: 'submitted-online', dueAt: null }, after)).toBe(false);
  });

  it('stops the clock while a supplement is awaited', () => {
    const pausedAt = new Date('2026-03-04T16:00:00+07:00');
    expect(
      isOverdue({ status: 'supplement-requested', dueAt, pausedAt }, new Date('2026-04-01T10:00:00+07:00')),
    ).toBe(false);
    const pausedLate = new Date('2026-03-05T11:00:00+07:00');
    expect(
      isOverdue(
        { status: 'supplement-requested', dueAt, pausedAt: pausedLate },
        new Date('2026-04-01T10:00:00+07:00'),
      ),
    ).toBe(true);
  });
});
