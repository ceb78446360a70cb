/**
 * PostgreSQL array literals for the projection writer's unnest parameters, built in one pass.
 * pg would turn a JS array into the same literal, but runs two regular-expression replaces per
 * element; a batch sends tens of thousands of elements, and most need no escaping at all.
 */
export function textArrayLiteral(values: readonly (string | null | undefined)[]): string {
  let literal = '{';
  for (let i = 0; i < values.length; i += 1) {
    if (i > 0) literal += ',';
    const value = values[i];
    if (value === null || value === undefined) literal += 'NULL';
    else if (value.includes('"') || value.includes('\\'))
      literal += `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    else literal += `"${value}"`;
  }
  return `${literal}}`;
}

/** Integers (counts, sequences, VND amounts, minutes): never quoted. */
export function integerArrayLiteral(values: readonly number[]): string {
  for (const value of values)
    if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  return `{${values.join(',')}}`;
}
