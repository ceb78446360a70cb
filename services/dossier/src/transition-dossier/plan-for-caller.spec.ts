import { planForCaller, problemForRefusal } from './plan-for-caller';

describe('planForCaller', () => {
  it('uses the first permitted role of a token with several', () => {
    const plan = planForCaller('received', 'stop', ['officer', 'unit-head'], 'u1', {
      reason: 'forged documents',
    });
    expect(plan).toMatchObject({ ok: true, to: 'stopped', role: 'unit-head' });
  });

  it('reports a status refusal rather than a role refusal', () => {
    const plan = planForCaller('resolved', 'start-processing', ['signer', 'officer'], 'u1', {});
    expect(plan).toMatchObject({ ok: false, code: 'not-allowed-from-status' });
    expect(problemForRefusal('not-allowed-from-status').status).toBe(409);
  });

  it('reports a missing reason (400) for a permitted role', () => {
    const plan = planForCaller('processing', 'request-supplement', ['signer', 'officer'], 'u1', {});
    expect(plan).toMatchObject({ ok: false, code: 'reason-required' });
    expect(problemForRefusal('reason-required').status).toBe(400);
  });

  it('answers 403 when no role of the caller may make the transition', () => {
    const plan = planForCaller('received', 'stop', ['officer'], 'u1', { reason: 'x' });
    expect(plan).toMatchObject({ ok: false, code: 'role-not-permitted' });
    expect(planForCaller('received', 'stop', [], 'u1', {})).toMatchObject({ ok: false });
    expect(problemForRefusal('role-not-permitted').status).toBe(403);
  });

  it('refuses to return a signed result before signature.completed (409)', () => {
    const plan = planForCaller('resolved', 'return-result', ['officer'], 'u1', {
      requiresSignature: true,
      signatureCompleted: false,
    });
    expect(plan).toMatchObject({ ok: false, code: 'signature-not-completed' });
    expect(problemForRefusal('signature-not-completed').status).toBe(409);
  });
});
