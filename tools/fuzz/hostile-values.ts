/**
 * JSON text written verbatim into a body, for what `JSON.stringify` cannot produce (`-0`,
 * `1e400`, 10,000 levels of nesting), or verbatim into a URL (`%FF`, `%00`). It prints short, so a
 * failing case stays readable.
 */
export class RawText {
  constructor(
    readonly text: string,
    readonly label = text,
  ) {}

  toString(): string {
    return `raw(${this.label})`;
  }
}

/** A value of `length` repetitions of `unit`, built once per length (1 MB strings are common). */
export function longString(length: number, unit = 'a'): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

export function deeplyNestedArray(levels: number): RawText {
  return new RawText(`${'['.repeat(levels)}${']'.repeat(levels)}`, `[[[...${levels} levels...]]]`);
}

export function deeplyNestedObject(levels: number): RawText {
  return new RawText(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`, `{"a":{"a":...${levels} levels...}}`);
}

/** Numbers at and past the edges of IEEE 754 and of PostgreSQL's integer types. */
export const HOSTILE_NUMBERS: readonly unknown[] = [
  new RawText('1e308'),
  new RawText('-1e308'),
  new RawText('1e400'),
  new RawText('-0'),
  new RawText('9007199254740993'),
  new RawText('2147483648'),
  new RawText('-2147483649'),
  new RawText('9223372036854775808'),
  new RawText('0.1e-400'),
  new RawText('1.5'),
  -1,
  0,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  'NaN',
  'Infinity',
  '-Infinity',
  '1e308',
  '0x10',
  ' 1',
];

/** Dates the calendar arithmetic must refuse or survive (see GUIDE: +010000 sorts before 9999). */
export const HOSTILE_DATES: readonly string[] = [
  '9999-12-31',
  '0001-01-01',
  '0000-00-00',
  '+010000-01-01',
  '-000001-01-01',
  '275760-09-13',
  '2025-02-30',
  '2025-02-29',
  '2025-13-01',
  '2025-00-10',
  '1900-01-01',
  '2025-07-01T25:61:61Z',
  '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00.000Z',
  '2025-07-01T00:00:00+14:00',
  '2025-7-1',
];

/** Text that trips encodings, databases, logs and parsers. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '00070\u0000',
  '\u202Eevil\u202C',
  'مرحبا بالعالم',
  'שלום',
  '👩‍👩‍👧‍👦',
  '\uD800',
  '\uDFFF',
  'a\uD83D',
  '\u200B',
  '\uFEFF00070',
  'Phường Hoàn Kiếm',
  'Hoa\u0300',
  "00070' OR 1=1--",
  "'; DROP TABLE dossiers;--",
  '%',
  '%00',
  '\\',
  '../../etc/passwd',
  '${jndi:ldap://127.0.0.1/x}',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '__proto__',
  'constructor',
  '\r\nX-Injected: 1',
];

/** Values of the wrong JSON type for almost any field. */
export const WRONG_TYPES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  'string',
  [],
  [null],
  ['00070', '00070'],
  {},
  { $gt: '' },
  // JSON.parse makes `__proto__` an own key, as a request body would.
  JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
];

/** Whole bodies that are not the object the route expects, or not JSON at all. */
export const HOSTILE_BODIES: readonly RawText[] = [
  new RawText('null'),
  new RawText('[]'),
  new RawText('"string"'),
  new RawText('123'),
  new RawText('{'),
  new RawText('{"a":1,}'),
  new RawText('{"a":1}{"b":2}'),
  new RawText('{"__proto__":{"polluted":true}}'),
  new RawText('{"constructor":{"prototype":{"polluted":true}}}'),
  new RawText(''),
  new RawText('\uFEFF{}', 'BOM{}'),
];
