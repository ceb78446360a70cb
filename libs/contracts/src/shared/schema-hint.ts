/*
 * Extra JSON Schema keywords for an event class, for rules that class-validator expresses in
 * code (ValidateIf) and the schema generator cannot read back. Kept here rather than taking
 * class-validator-jsonschema's @JSONSchema so that services do not load the generator at run time.
 */

const hints = new Map<object, Record<string, unknown>>();

export function SchemaHint(schema: Record<string, unknown>) {
  return function attach<T extends object>(target: T): T {
    hints.set(target, schema);
    return target;
  };
}

export function schemaHintOf(target: object): Record<string, unknown> | undefined {
  return hints.get(target);
}
