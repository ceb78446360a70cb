/**
 * The part of an OpenAPI 3 document the fuzzer needs: every operation with its path parameters,
 * query parameters and JSON body, `$ref`s resolved against `components.schemas`.
 */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  nullable?: boolean;
}

interface ParameterObject {
  name: string;
  in: string;
  required?: boolean;
  schema?: JsonSchema;
}

interface OperationObject {
  operationId?: string;
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface ParameterSpec {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

export interface FuzzOperation {
  /** `GET /reports/units/{unitCode}/summary`: how failures name the route. */
  id: string;
  method: string;
  pathTemplate: string;
  pathParameters: ParameterSpec[];
  queryParameters: ParameterSpec[];
  /** The JSON body's schema when the operation takes one. */
  body?: { schema: JsonSchema; required: boolean };
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);
/** Nested DTOs rarely go deeper; a self-referencing schema stops here instead of looping. */
const MAX_REF_DEPTH = 8;

export function fuzzOperations(document: OpenApiDocument): FuzzOperation[] {
  const schemas = document.components?.schemas ?? {};
  const resolve = (schema: JsonSchema | undefined): JsonSchema => resolveRefs(schema ?? {}, schemas, 0);
  const operations: FuzzOperation[] = [];
  for (const [pathTemplate, pathItem] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(pathItem)) {
      if (!HTTP_METHODS.has(method)) continue;
      const parameters = operation.parameters ?? [];
      const spec = (parameter: ParameterObject): ParameterSpec => ({
        name: parameter.name,
        required: parameter.in === 'path' || parameter.required === true,
        schema: resolve(parameter.schema),
      });
      const json = operation.requestBody?.content?.['application/json'];
      operations.push({
        id: `${method.toUpperCase()} ${pathTemplate}`,
        method: method.toUpperCase(),
        pathTemplate,
        pathParameters: parameters.filter((p) => p.in === 'path').map(spec),
        queryParameters: parameters.filter((p) => p.in === 'query').map(spec),
        ...(json
          ? { body: { schema: resolve(json.schema), required: operation.requestBody?.required === true } }
          : {}),
      });
    }
  }
  return operations.sort((a, b) => a.id.localeCompare(b.id));
}

function resolveRefs(schema: JsonSchema, schemas: Record<string, JsonSchema>, depth: number): JsonSchema {
  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/components\/schemas\//, '');
    const target = schemas[name];
    if (!target || depth >= MAX_REF_DEPTH) return { type: 'object' };
    const { $ref: _ref, ...siblings } = schema;
    return resolveRefs({ ...target, ...siblings }, schemas, depth + 1);
  }
  const resolved: JsonSchema = { ...schema };
  if (schema.items) resolved.items = resolveRefs(schema.items, schemas, depth);
  if (schema.properties) {
    resolved.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([name, property]) => [
        name,
        resolveRefs(property, schemas, depth),
      ]),
    );
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schema[key];
    if (list) resolved[key] = list.map((item) => resolveRefs(item, schemas, depth));
  }
  // class-validator-jsonschema writes ValidateNested + @Type as allOf: [{$ref}]: flatten it.
  if (resolved.allOf?.length === 1 && !resolved.type && !resolved.properties) {
    const [only] = resolved.allOf;
    const { allOf: _allOf, ...rest } = resolved;
    return { ...only, ...rest };
  }
  return resolved;
}
