/*
 * The compatibility rule of the event catalogue: a published event version may only grow by
 * optional fields. Everything else must be a new version beside the old one, because events
 * outlive deployments: old consumers read new events, new consumers replay old ones.
 */

type JsonSchema = Record<string, unknown>;
type Scalar = string | number | boolean;

/** What the baseline records for one field of one event version. */
export interface FieldShape {
  /** JSON Schema `type` (`string`, `integer`, `boolean`, `object`…). */
  type: string;
  required: boolean;
  format?: string;
  enum?: Scalar[];
}

/** Event type → dotted field path (`reference.kind`) → shape. */
export type CompatBaseline = Record<string, Record<string, FieldShape>>;

export type BreakingChangeKind =
  | 'event-removed'
  | 'field-removed'
  | 'field-retyped'
  | 'field-became-required'
  | 'field-became-optional'
  | 'required-field-added'
  | 'enum-changed';

export interface BreakingChange {
  kind: BreakingChangeKind;
  eventType: string;
  field?: string;
  detail: string;
}

/** Flattens `data` schemas (one per event type) into the baseline form. */
export function snapshotOf(schemas: Record<string, JsonSchema>): CompatBaseline {
  const baseline: CompatBaseline = {};
  for (const type of Object.keys(schemas).sort()) {
    baseline[type] = {};
    flatten(schemas[type]!, '', true, baseline[type]);
  }
  return baseline;
}

function flatten(
  schema: JsonSchema,
  prefix: string,
  parentRequired: boolean,
  into: Record<string, FieldShape>,
) {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  for (const [name, field] of Object.entries(properties)) {
    const path = prefix ? `${prefix}.${name}` : name;
    // A field inside an optional object is only ever as required as its parent.
    const isRequired = parentRequired && required.has(name);
    const shape: FieldShape = { type: typeOf(field), required: isRequired };
    if (typeof field.format === 'string') shape.format = field.format;
    if (Array.isArray(field.enum)) shape.enum = [...(field.enum as Scalar[])];
    into[path] = shape;
    if (field.properties) flatten(field, path, isRequired, into);
  }
}

function typeOf(field: JsonSchema): string {
  if (typeof field.type === 'string') return field.type;
  if (Array.isArray(field.type)) return [...(field.type as string[])].sort().join('|');
  if ('const' in field) return typeof field.const;
  return 'any';
}

/** Every way `after` would break producers or consumers written against `before`. Empty = compatible. */
export function checkCompatibility(before: CompatBaseline, after: CompatBaseline): BreakingChange[] {
  const changes: BreakingChange[] = [];
  for (const [eventType, oldFields] of Object.entries(before)) {
    const newFields = after[eventType];
    if (!newFields) {
      changes.push({
        kind: 'event-removed',
        eventType,
        detail: `${eventType} was removed; publish a new version beside it instead`,
      });
      continue;
    }
    for (const [field, old] of Object.entries(oldFields)) {
      const now = newFields[field];
      const at = { eventType, field };
      if (!now) {
        changes.push({ ...at, kind: 'field-removed', detail: `${eventType} ${field} was removed` });
        continue;
      }
      if (old.type !== now.type || old.format !== now.format) {
        changes.push({
          ...at,
          kind: 'field-retyped',
          detail: `${eventType} ${field} changed from ${describe(old)} to ${describe(now)}`,
        });
      }
      if (!old.required && now.required) {
        changes.push({
          ...at,
          kind: 'field-became-required',
          detail: `${eventType} ${field} became required (old events lack it)`,
        });
      }
      if (old.required && !now.required) {
        changes.push({
          ...at,
          kind: 'field-became-optional',
          detail: `${eventType} ${field} became optional (old consumers rely on it)`,
        });
      }
      if (!sameEnum(old.enum, now.enum)) {
        changes.push({
          ...at,
          kind: 'enum-changed',
          detail: `${eventType} ${field} values changed from ${JSON.stringify(old.enum ?? 'any')} to ${JSON.stringify(now.enum ?? 'any')}`,
        });
      }
    }
    for (const [field, now] of Object.entries(newFields)) {
      if (!oldFields[field] && now.required) {
        changes.push({
          eventType,
          field,
          kind: 'required-field-added',
          detail: `${eventType} ${field} was added as required (old events lack it)`,
        });
      }
    }
  }
  return changes;
}

function describe(shape: FieldShape): string {
  return shape.format ? `${shape.type} (${shape.format})` : shape.type;
}

function sameEnum(a: Scalar[] | undefined, b: Scalar[] | undefined): boolean {
  if (!a || !b) return a === b;
  // Both directions break: a new value fails old consumers, a dropped one fails replays of old events.
  return a.length === b.length && a.every((value) => b.includes(value));
}
