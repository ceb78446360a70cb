import { backoffMs, isTransientError, mustDiscardConnection, TransientError } from './transient-error';

describe('isTransientError', () => {
  it.each([
    ['serialisation failure', { code: '40001' }],
    ['deadlock', { code: '40P01' }],
    ['connection exception', { code: '08006' }],
    ['admin shutdown', { code: '57P01' }],
    ['TypeORM wrapping a pg error', { driverError: { code: '40P01' } }],
    ['refused connection', { code: 'ECONNREFUSED' }],
    ['pg pool losing its connection', new Error('Connection terminated unexpectedly')],
    ['kafkajs retriable', Object.assign(new Error('x'), { name: 'KafkaJSConnectionError', retriable: true })],
    ['explicit', new TransientError('later')],
    ['statement timeout', { code: '57014' }],
    ['a read-only standby after a failover', { driverError: { code: '25006' } }],
    ['too many connections', { code: '53300' }],
    ['disk full', { code: '53100' }],
    ['idle-session timeout', { code: '57P05' }],
    ['the driver read timeout', new Error('Query read timeout')],
    ['a connection timeout', new Error('Connection terminated due to connection timeout')],
    ['an aborted socket', { code: 'ECONNABORTED' }],
  ])('%s is transient', (_, error) => expect(isTransientError(error)).toBe(true));

  it.each([
    ['a unique violation of the service', { code: '23505', constraint: 'dossier_code_key' }],
    ['a check violation', { code: '23514' }],
    ['a plain handler error', new Error('amount must be positive')],
    ['not an error', 'boom'],
  ])('%s is permanent', (_, error) => expect(isTransientError(error)).toBe(false));
});

describe('mustDiscardConnection', () => {
  it.each([
    ['read-only (the connection still points at a standby)', { driverError: { code: '25006' } }],
    ['connection exception', { code: '08006' }],
    ['admin shutdown', { code: '57P01' }],
    ['the driver read timeout', new Error('Query read timeout')],
  ])('%s: the connection is closed', (_, error) => expect(mustDiscardConnection(error)).toBe(true));

  it.each([
    ['serialisation failure', { code: '40001' }],
    ['statement timeout (the session is fine)', { code: '57014' }],
    ['a handler error', new Error('amount must be positive')],
  ])('%s: the connection goes back to the pool', (_, error) =>
    expect(mustDiscardConnection(error)).toBe(false),
  );
});

describe('backoffMs', () => {
  it('grows exponentially and is capped', () => {
    for (let i = 0; i < 50; i += 1) {
      expect(backoffMs(1, 100, 5_000)).toBeGreaterThanOrEqual(50);
      expect(backoffMs(1, 100, 5_000)).toBeLessThanOrEqual(100);
      expect(backoffMs(4, 100, 5_000)).toBeGreaterThanOrEqual(400);
      expect(backoffMs(20, 100, 5_000)).toBeLessThanOrEqual(5_000);
    }
  });
});
