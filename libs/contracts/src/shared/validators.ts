import { IsInt, IsISO8601, IsString, Matches, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { UUID_V7_PATTERN } from '../envelope/uuid-v7';

/*
 * Field-level rules shared by the event catalogue. Each one is a composition of plain
 * class-validator decorators (not a custom constraint) so that the JSON Schema generator
 * sees `pattern`, `format`, `minimum`… and the schemas say exactly what validation says.
 */

type FieldDecorator = (target: object, propertyName: string) => void;

function allOf(...decorators: FieldDecorator[]): FieldDecorator {
  // class-validator registers metadata in call order; the schema generator merges it in the same order.
  return (target, propertyName) => decorators.forEach((decorate) => decorate(target, propertyName));
}

/** `YYYY-MM-DDThh:mm:ss[.fff]Z`: UTC only, so that stored and compared times never carry an offset. */
export const UTC_TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
/** A keyed hash (HMAC-SHA-256) in lower-case hex: correlates a citizen without carrying who they are. */
export const PSEUDONYM_PATTERN = /^[0-9a-f]{64}$/;
export const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/;
/**
 * `<agency id>-<yyMMdd>-<4-digit daily sequence>`; the agency id is a unit code (`00070`), a city
 * department code with hyphens (`SO-TP`, see services/dossier reference data) or a dotted national id.
 */
export const DOSSIER_CODE_PATTERN = /^[0-9A-Za-z.]+(-[0-9A-Za-z.]+)*-\d{6}-\d{4}$/;
/**
 * National procedure code (`2.000635`, optionally with a local suffix such as `.000.00.00.H26`), or a
 * local placeholder (`HN-CT-HD`) while the national code is unknown, as the dossier service allows.
 */
export const PROCEDURE_CODE_PATTERN = /^(\d\.\d{6}(\.[0-9A-Za-z]+)*|[A-Z]{2}(-[A-Z0-9]+)+)$/;
/** A 5-digit administrative unit code (`00070`) or a city department code (`SO-TTTT`). */
export const UNIT_CODE_PATTERN = /^(\d{5}|[A-Z][A-Z0-9-]{1,31})$/;
/** `YYYY-MM`, the month a party fee is for. */
export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
/** X.509 serial number in hex (RFC 5280 allows up to 20 octets). */
export const CERTIFICATE_SERIAL_PATTERN = /^[0-9A-Fa-f]{1,40}$/;

/**
 * An optional field: it may be absent, but when present (null included) it is validated like any
 * other. Used instead of class-validator's `@IsOptional()`, which also accepts `null`, while the
 * generated JSON Schema (not `required`, but typed) rejects it: other systems validate our events
 * against docs/asyncapi.yaml, so both must decide alike. The schema generator reads the condition
 * as "not required", as it does for IsOptional.
 */
export function MayBeAbsent(): FieldDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

/** A UUIDv7 id. */
export function IsUuidV7(): FieldDecorator {
  return Matches(UUID_V7_PATTERN, { message: '$property must be a UUIDv7' });
}

/** An ISO-8601 instant in UTC (`Z`), validated as a real calendar date. */
export function IsUtcTimestamp(): FieldDecorator {
  return allOf(
    IsISO8601({ strict: true, strictSeparator: true }),
    Matches(UTC_TIMESTAMP_PATTERN, { message: '$property must be a UTC timestamp ending in Z' }),
  );
}

/** An amount of Vietnamese đồng: an integer, never a float. */
export function IsVnd(minimum = 0): FieldDecorator {
  return allOf(IsInt(), Min(minimum));
}

/** A whole count (minutes, hours, seconds) of at least `minimum`. */
export function IsCount(minimum = 0): FieldDecorator {
  return allOf(IsInt(), Min(minimum));
}

/** A pseudonym, never the personal data itself. */
export function IsPseudonym(): FieldDecorator {
  return Matches(PSEUDONYM_PATTERN, {
    message: '$property must be a pseudonym (64 lower-case hex characters)',
  });
}

export function IsSha256Hex(): FieldDecorator {
  return Matches(SHA256_HEX_PATTERN, { message: '$property must be a SHA-256 digest in lower-case hex' });
}

/** Free text written by staff (reasons, labels). Never the citizen's personal data. */
export function IsText(maxLength = 1000): FieldDecorator {
  return allOf(IsString(), MinLength(1), MaxLength(maxLength));
}

export function IsDossierCode(): FieldDecorator {
  return Matches(DOSSIER_CODE_PATTERN, { message: '$property must look like <agency>-<yyMMdd>-<nnnn>' });
}

export function IsProcedureCode(): FieldDecorator {
  return Matches(PROCEDURE_CODE_PATTERN, {
    message: '$property must be a national procedure code such as 2.000635',
  });
}

export function IsUnitCode(): FieldDecorator {
  return Matches(UNIT_CODE_PATTERN, {
    message: '$property must be a 5-digit unit code or a department code',
  });
}
