import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, IS_ISO8601, ValidationTypes, type ValidationArguments } from 'class-validator';
import type { EventClass } from './event-type';
import { isPlainUtcInstant } from './iso-instant';

/*
 * The consumer's fast path for `data`: per event class, the class-validator metadata is read ONCE
 * and turned into a flat list of checks that call the very same constraint functions class-validator
 * calls (`IsString`, `Matches`, `IsISO8601`, … and any custom constraint). What it saves is
 * class-validator's per-call work: filtering the whole metadata store, building ValidationError
 * objects, class-transformer's generic walk (≈ 11 µs of the ≈ 15 µs an event cost).
 *
 * It only ever ACCEPTS on its own: when a check fails, parseEvent runs plainToInstance + validateSync
 * as before, so every rejection (and its messages) is exactly class-validator's. A class using
 * anything this does not reproduce exactly (nested validation, `each`, groups, async constraints,
 * class-transformer decorators, accessors) gets no compiled validator and always takes the
 * class-validator path. The agreement test (parse-event-fast-path.spec.ts) runs both paths on every
 * fixture and on damaged copies of each.
 */

type Check = (value: unknown, object: object) => boolean;

interface CompiledProperty {
  name: string;
  /** IsOptional / ValidateIf: when one says no, the property is not validated at all. */
  conditions: ((object: object, value: unknown) => boolean)[];
  checks: Check[];
}

export interface CompiledEventValidator {
  /** Whether class-validator's whitelist keeps this property (it has validation metadata). */
  isWhitelisted(key: string): boolean;
  /**
   * The payload as plainToInstance + whitelisting validateSync would leave it, or undefined when
   * a check fails (the caller then runs class-validator for the reasons).
   */
  instantiate(plain: Record<string, unknown>): object | undefined;
}

const compiled = new Map<EventClass, CompiledEventValidator | null>();

/** The compiled validator of an event class, built on first use; null when the class is not eligible. */
export function compiledValidatorFor(eventClass: EventClass): CompiledEventValidator | null {
  let validator = compiled.get(eventClass);
  if (validator === undefined) {
    validator = compile(eventClass);
    compiled.set(eventClass, validator);
  }
  return validator;
}

const PLAIN_TO_CLASS = 0; // class-transformer's TransformationType.PLAIN_TO_CLASS

function compile(eventClass: EventClass): CompiledEventValidator | null {
  const storage = getMetadataStorage();
  // The same selection validateSync(instance, {whitelist: true}) makes: no groups, not `always`, not strict.
  const metadatas = storage.getTargetValidationMetadatas(eventClass, '', false, false, undefined);
  if (metadatas.length === 0) return null; // forbidUnknownValues: class-validator rejects these
  if (
    defaultMetadataStorage.getStrategy(eventClass) !== 'none' ||
    defaultMetadataStorage.getExposedMetadatas(eventClass).length > 0 ||
    defaultMetadataStorage.getExcludedMetadatas(eventClass).length > 0
  )
    return null;

  // Function.prototype.name is a getter: read once, not once per checked field of every event.
  const targetName = eventClass.name;
  const byName = new Map<string, CompiledProperty>();
  for (const metadata of metadatas) {
    const name = metadata.propertyName;
    if (name === '__proto__' || name === 'constructor') return null;
    if (metadata.each || (metadata.groups && metadata.groups.length > 0) || metadata.always) return null;
    if (
      defaultMetadataStorage.findTypeMetadata(eventClass, name) ||
      defaultMetadataStorage.findTransformMetadatas(eventClass, name, PLAIN_TO_CLASS).length > 0
    )
      return null;
    // class-transformer skips accessors without a setter and methods: keep to plain fields.
    const descriptor = Object.getOwnPropertyDescriptor(eventClass.prototype, name);
    if (descriptor) return null;

    let property = byName.get(name);
    if (!property) {
      property = { name, conditions: [], checks: [] };
      byName.set(name, property);
    }
    switch (metadata.type) {
      case ValidationTypes.CONDITIONAL_VALIDATION:
        property.conditions.push(metadata.constraints[0] as (object: object, value: unknown) => boolean);
        break;
      case ValidationTypes.WHITELIST:
        break;
      case ValidationTypes.IS_DEFINED:
      case ValidationTypes.CUSTOM_VALIDATION: {
        const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
        if (constraints.length === 0 || constraints.some((c) => c.async)) return null;
        const validateIf = metadata.validateIf;
        for (const constraint of constraints) {
          const instance = constraint.instance;
          const quickYes = quickAcceptFor(constraint.name, metadata.constraints);
          property.checks.push((value, object) => {
            if (quickYes?.(value)) return true;
            if (validateIf && !validateIf(object, value)) return true;
            const args: ValidationArguments = {
              targetName,
              property: name,
              object,
              value,
              constraints: metadata.constraints,
            };
            const valid = instance.validate(value, args) as unknown;
            // A promise means an async constraint: never accept it here.
            return valid === true || (valid !== false && !isPromiseLike(valid) && Boolean(valid));
          });
        }
        break;
      }
      default:
        // Nested validation, promise validation, …: left to class-validator.
        return null;
    }
  }
  const properties = [...byName.values()];
  const whitelisted = new Set(byName.keys());

  return {
    isWhitelisted: (key) => whitelisted.has(key),
    instantiate(plain) {
      // plainToInstance: a new instance with the plain values; validateSync's whitelist then drops
      // every property without validation metadata. Here only the whitelisted ones are copied.
      const instance = new eventClass() as Record<string, unknown>;
      for (const key of Object.keys(plain)) if (whitelisted.has(key)) instance[key] = copyJson(plain[key]);
      for (const property of properties) {
        const value = instance[property.name];
        let applies = true;
        for (const condition of property.conditions) applies = condition(instance, value) && applies;
        if (!applies) continue;
        for (const check of property.checks) if (!check(value, instance)) return undefined;
      }
      return instance;
    },
  };
}

/**
 * A cheaper check that agrees with a constraint wherever it says yes (never no), for the
 * constraints that dominate the cost per event. Anything it does not accept goes to the constraint.
 */
function quickAcceptFor(
  name: string,
  constraints: unknown[] | undefined,
): ((value: unknown) => boolean) | undefined {
  if (name === IS_ISO8601) {
    const options = constraints?.[0] as { strict?: boolean; strictSeparator?: boolean } | undefined;
    // Without `strict`, isISO8601 accepts impossible dates too; the quick check is only exact with both.
    if (options?.strict === true && options.strictSeparator === true) return isPlainUtcInstant;
  }
  return undefined;
}

function isPromiseLike(value: unknown): boolean {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** class-transformer copies nested plain objects and arrays rather than sharing them. */
function copyJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || key === 'constructor') continue;
    copy[key] = copyJson((value as Record<string, unknown>)[key]);
  }
  return copy;
}
