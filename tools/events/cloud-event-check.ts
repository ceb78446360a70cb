import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { Kafka, type CloudEvent } from 'cloudevents';

/** A Kafka record as a client hands it over (headers decoded as UTF-8). */
export interface KafkaRecordLike {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: string;
}

/**
 * The official CloudEvents SDK's reading of a record: `Kafka.toEvent` (the Kafka protocol
 * binding: structured mode when the content type says application/cloudevents…), then
 * `validate()` — strict, every attribute and extension by the specification. Throws what the SDK
 * throws.
 */
export function sdkEventOf(record: KafkaRecordLike): CloudEvent<unknown> {
  const value = record.value?.toString('utf8') ?? '';
  const event = Kafka.toEvent({
    key: record.key ?? undefined,
    value,
    body: value,
    headers: record.headers,
    timestamp: record.timestamp,
  } as Parameters<typeof Kafka.toEvent>[0]);
  if (Array.isArray(event)) throw new Error('the SDK read a batch, not one event');
  const single = event as CloudEvent<unknown>;
  single.validate();
  return single;
}

/** Why the SDK refused a record, with its validation errors when it has them. */
export function describeRejection(error: unknown): string {
  const errors = (error as { errors?: unknown }).errors;
  return `${String(error)}${errors ? ` ${JSON.stringify(errors)}` : ''}`;
}

/**
 * Resolves `dataschema` URLs over HTTP (each once) and validates `data` with the schema found there,
 * as an outside consumer would: the answer must be 200 `application/schema+json`.
 */
export class DataschemaResolver {
  private readonly ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
  private readonly validators = new Map<string, Promise<ValidateFunction>>();

  async problems(dataschema: string, data: unknown): Promise<string[]> {
    let validate: ValidateFunction;
    try {
      validate = await this.validatorFor(dataschema);
    } catch (error) {
      return [`dataschema ${dataschema}: ${(error as Error).message}`];
    }
    return validate(data)
      ? []
      : (validate.errors ?? []).map((e) => `data${e.instancePath}: ${e.message ?? 'invalid'}`);
  }

  private validatorFor(url: string): Promise<ValidateFunction> {
    let validator = this.validators.get(url);
    if (!validator) {
      validator = (async () => {
        const response = await fetch(url, { headers: { accept: 'application/schema+json' } });
        if (response.status !== 200) throw new Error(`GET answered ${response.status}`);
        const type = response.headers.get('content-type') ?? '';
        if (!type.startsWith('application/schema+json'))
          throw new Error(`GET answered ${type}, not application/schema+json`);
        const schema = (await response.json()) as { $id?: string };
        return (schema.$id ? this.ajv.getSchema(schema.$id) : undefined) ?? this.ajv.compile(schema);
      })();
      this.validators.set(url, validator);
    }
    return validator;
  }
}
