import type { INestApplication, Type } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { MAX, MIN, ValidationTypes } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';

type JsonSchema = Record<string, unknown>;
type OpenApiParameter = { name: string; in: string; required?: boolean; schema?: JsonSchema };
type OpenApiOperation = { parameters?: OpenApiParameter[] };

/** Nest's RouteParamtypes.QUERY (the enum is internal to @nestjs/common). */
const QUERY_PARAMETER = 4;
const REF_PREFIX = '#/components/schemas/';

/**
 * The DTOs are described once, by their class-validator decorators; without the Swagger compiler
 * plugin @nestjs/swagger sees none of it and documents every body as `{}` and no query parameter.
 * This fills the document from the same decorators, so /docs/openapi.json says what the
 * validation pipe accepts (required fields, enums, patterns, bounds) and tools generating
 * requests from it (tools/fuzz) reach past the validation layer.
 */
export function describeValidatedInputs(document: OpenAPIObject, app: INestApplication): OpenAPIObject {
  const classSchemas = validationMetadatasToSchemas({
    refPointerPrefix: REF_PREFIX,
    classTransformerMetadataStorage: defaultMetadataStorage,
    additionalConverters: {
      // The library's MIN/MAX also set type: number, which would override IsInt's integer.
      [MIN]: (meta) => ({ minimum: meta.constraints[0] as number }),
      [MAX]: (meta) => ({ maximum: meta.constraints[0] as number }),
      // @IsDefined adds `not: {type: null}`; `required` already says it.
      [ValidationTypes.IS_DEFINED]: {},
    },
  }) as Record<string, JsonSchema>;

  const components = (document.components ??= {});
  const schemas = (components.schemas ??= {}) as Record<string, JsonSchema>;
  const wanted = new Set<string>();
  for (const [name, schema] of Object.entries(schemas)) {
    if (classSchemas[name] && isEmptyObjectSchema(schema)) wanted.add(name);
  }

  for (const { path, method, queryType } of queryRoutes(app)) {
    const operation = (document.paths[path] as Record<string, OpenApiOperation> | undefined)?.[method];
    const schema = classSchemas[queryType.name];
    if (!operation || !schema) continue;
    const parameters = (operation.parameters ??= []);
    const required = new Set((schema.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
      if (parameters.some((parameter) => parameter.in === 'query' && parameter.name === name)) continue;
      parameters.push({ name, in: 'query', required: required.has(name), schema: property });
      collectReferences(property, wanted);
    }
  }

  // Nested DTOs a body or query refers to (ValidateNested + @Type) need their own entries.
  const pending = [...wanted];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    const schema = classSchemas[name];
    if (!schema) continue;
    if (!schemas[name] || isEmptyObjectSchema(schemas[name])) schemas[name] = schema;
    const found = new Set<string>();
    collectReferences(schema, found);
    for (const reference of found) {
      if (!wanted.has(reference)) {
        wanted.add(reference);
        pending.push(reference);
      }
    }
  }
  return document;
}

function isEmptyObjectSchema(schema: JsonSchema): boolean {
  const properties = schema.properties as Record<string, unknown> | undefined;
  return !schema.$ref && (!properties || Object.keys(properties).length === 0);
}

function collectReferences(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, into);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string' && item.startsWith(REF_PREFIX)) {
        into.add(item.slice(REF_PREFIX.length));
      } else {
        collectReferences(item, into);
      }
    }
  }
}

interface QueryRoute {
  /** As the OpenAPI document writes it: `/reports/units/{unitCode}/summary`. */
  path: string;
  method: string;
  queryType: Type<unknown>;
}

/** Every handler taking its whole query string as one DTO (`@Query() query: PeriodQuery`). */
function queryRoutes(app: INestApplication): QueryRoute[] {
  const routes: QueryRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (!controller?.prototype) continue;
      const controllerPaths = pathsOf(Reflect.getMetadata(PATH_METADATA, controller));
      for (const methodName of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[methodName];
        if (methodName === 'constructor' || typeof handler !== 'function') continue;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (requestMethod === undefined) continue;
        const queryType = wholeQueryType(controller, methodName);
        if (!queryType) continue;
        for (const controllerPath of controllerPaths) {
          for (const handlerPath of pathsOf(Reflect.getMetadata(PATH_METADATA, handler))) {
            routes.push({
              path: openApiPath(controllerPath, handlerPath),
              method: RequestMethod[requestMethod].toLowerCase(),
              queryType,
            });
          }
        }
      }
    }
  }
  return routes;
}

function wholeQueryType(controller: Type<unknown>, methodName: string): Type<unknown> | undefined {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, methodName) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const parameterTypes = (Reflect.getMetadata(
    'design:paramtypes',
    controller.prototype as object,
    methodName,
  ) ?? []) as unknown[];
  for (const [key, arg] of Object.entries(args)) {
    if (Number(key.split(':')[0]) !== QUERY_PARAMETER || arg.data !== undefined) continue;
    const type = parameterTypes[arg.index];
    if (typeof type === 'function' && type !== Object) return type as Type<unknown>;
  }
  return undefined;
}

function pathsOf(metadata: unknown): string[] {
  if (Array.isArray(metadata)) return metadata.map(String);
  return [typeof metadata === 'string' ? metadata : '/'];
}

function openApiPath(controllerPath: string, handlerPath: string): string {
  const joined = `/${controllerPath}/${handlerPath}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  return joined.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
