import { trustedMark } from './applied-offset';

describe('trustedMark', () => {
  it('trusts a mark inside the log', () => {
    expect(trustedMark(41n, '100')).toBe(41n);
    expect(trustedMark(99n, '100')).toBe(99n);
  });

  it('ignores a mark at or past the end of the log: another log of the same name (topic recreated)', () => {
    expect(trustedMark(100n, '100')).toBe(-1n);
    expect(trustedMark(5_000n, '3')).toBe(-1n);
  });

  it('trusts the mark when the end of the log is unknown', () => {
    expect(trustedMark(7n, undefined)).toBe(7n);
    expect(trustedMark(7n, '-1')).toBe(7n);
  });
});
