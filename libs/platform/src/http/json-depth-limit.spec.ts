import { nestedDeeperThan } from './json-depth-limit';

function nestedArrays(levels: number): unknown {
  return JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);
}

describe('nestedDeeperThan', () => {
  it('accepts scalars and bodies up to the limit', () => {
    expect(nestedDeeperThan(undefined, 3)).toBe(false);
    expect(nestedDeeperThan('text', 3)).toBe(false);
    expect(nestedDeeperThan({ a: { b: [1] } }, 3)).toBe(false);
    expect(nestedDeeperThan(nestedArrays(3), 3)).toBe(false);
  });

  it('refuses one level more, in objects and arrays', () => {
    expect(nestedDeeperThan({ a: { b: [{}] } }, 3)).toBe(true);
    expect(nestedDeeperThan(nestedArrays(4), 3)).toBe(true);
  });

  it('measures 100,000 levels without overflowing the stack', () => {
    expect(nestedDeeperThan(nestedArrays(100_000), 32)).toBe(true);
  });
});
