import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';

/**
 * Decorators for configuration classes. Environment values are strings; each decorator converts the
 * string and states, in its message, what a valid value looks like, so that a start-up failure
 * tells the operator what to write rather than only that something is wrong.
 * A value is never echoed back: some variables are secrets.
 */

interface EnvOptions {
  /** The variable may be absent; the class field's initializer (if any) is the default. */
  optional?: boolean;
}

function optionalIf(options: EnvOptions | undefined): PropertyDecorator[] {
  return options?.optional ? [IsOptional()] : [];
}

function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorator of decorators) decorator(target, key);
  };
}

export function EnvString(
  options?: EnvOptions & { minLength?: number; pattern?: RegExp; expected?: string },
): PropertyDecorator {
  const expected = options?.expected ?? 'a non-empty string';
  return compose(
    ...optionalIf(options),
    IsString({ message: `must be ${expected}` }),
    MinLength(options?.minLength ?? 1, { message: `must be ${expected}` }),
    ...(options?.pattern ? [Matches(options.pattern, { message: `must be ${expected}` })] : []),
  );
}

export function EnvInt(options: EnvOptions & { min: number; max: number }): PropertyDecorator {
  const expected = `must be an integer from ${options.min} to ${options.max}`;
  return compose(
    Transform(({ value }) =>
      typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value,
    ),
    ...optionalIf(options),
    IsInt({ message: expected }),
    Min(options.min, { message: expected }),
    Max(options.max, { message: expected }),
  );
}

export function EnvBoolean(options?: EnvOptions): PropertyDecorator {
  return compose(
    Transform(({ value }) => {
      if (typeof value !== 'string') return value;
      const lowered = value.trim().toLowerCase();
      if (lowered === 'true' || lowered === '1') return true;
      if (lowered === 'false' || lowered === '0') return false;
      return value;
    }),
    ...optionalIf(options),
    IsBoolean({ message: 'must be true or false' }),
  );
}

export function EnvEnum<T extends string>(values: readonly T[], options?: EnvOptions): PropertyDecorator {
  return compose(
    ...optionalIf(options),
    IsIn(values as T[], { message: `must be one of: ${values.join(', ')}` }),
  );
}

/** A URL whose scheme is one of `protocols` (e.g. `postgres:`). */
export function EnvUrl(protocols: string[], options?: EnvOptions & { example?: string }): PropertyDecorator {
  const example = options?.example ? `, e.g. ${options.example}` : '';
  return compose(
    ...optionalIf(options),
    ValidateBy({
      name: 'envUrl',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          try {
            return protocols.includes(new URL(value).protocol);
          } catch {
            return false;
          }
        },
        defaultMessage: () => `must be a URL with scheme ${protocols.join(' or ')}${example}`,
      },
    }),
  );
}

/** A comma-separated list, e.g. `KAFKA_BROKERS=127.0.0.1:9092,127.0.0.1:9093`. */
export function EnvList(
  options?: EnvOptions & { itemPattern?: RegExp; expected?: string },
): PropertyDecorator {
  const expected = options?.expected ?? 'a comma-separated list';
  return compose(
    Transform(({ value }) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((item) => item.trim())
            .filter((item) => item.length > 0)
        : value,
    ),
    ...optionalIf(options),
    ValidateBy({
      name: 'envList',
      validator: {
        validate: (value: unknown) =>
          Array.isArray(value) &&
          value.length > 0 &&
          value.every(
            (item) => typeof item === 'string' && (!options?.itemPattern || options.itemPattern.test(item)),
          ),
        defaultMessage: () => `must be ${expected}`,
      },
    }),
  );
}

/** A secret given in base64 that must decode to exactly `bytes` bytes (e.g. a 256-bit key). */
export function EnvBase64Key(bytes: number, options?: EnvOptions): PropertyDecorator {
  return compose(
    ...optionalIf(options),
    ValidateBy({
      name: 'envBase64Key',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && decodesToBytes(value, bytes),
        defaultMessage: () =>
          `must be ${bytes} random bytes in base64 (generate one with: openssl rand -base64 ${bytes})`,
      },
    }),
  );
}

export function decodesToBytes(value: string, bytes: number): boolean {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value.trim())) return false;
  return Buffer.from(value.trim(), 'base64').length === bytes;
}
