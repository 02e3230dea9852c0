import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The parts of an OpenAPI 3.0 document the emulator reads. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation | unknown>>;
  components?: {
    schemas?: Record<string, JsonSchema>;
    parameters?: Record<string, OpenApiParameter>;
  };
}

export interface OpenApiOperation {
  operationId?: string;
  parameters?: (OpenApiParameter | OpenApiRef)[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

export interface OpenApiRef {
  $ref: string;
}

export type JsonSchema = Record<string, unknown>;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export function loadOpenApiDocument(path: string): OpenApiDocument {
  const document = parse(readFileSync(path, 'utf8')) as OpenApiDocument;
  if (typeof document?.openapi !== 'string' || !document.openapi.startsWith('3.')) {
    throw new Error(`${path} is not an OpenAPI 3 document`);
  }
  return document;
}

export interface LocatedOperation {
  pathTemplate: string;
  method: string;
  operation: OpenApiOperation;
  /** Upper-case methods the document defines on the same path (for `Allow`). */
  allowedMethods: string[];
}

/** Every operation of the document, in document order. */
export function listOperations(document: OpenApiDocument): LocatedOperation[] {
  const located: LocatedOperation[] = [];
  for (const [pathTemplate, pathItem] of Object.entries(document.paths ?? {})) {
    const methods = HTTP_METHODS.filter((method) => method in pathItem);
    for (const method of methods) {
      located.push({
        pathTemplate,
        method: method.toUpperCase(),
        operation: pathItem[method] as OpenApiOperation,
        allowedMethods: methods.map((m) => m.toUpperCase()),
      });
    }
  }
  return located;
}

export function findOperation(document: OpenApiDocument, operationId: string): LocatedOperation {
  const found = listOperations(document).find((located) => located.operation.operationId === operationId);
  if (!found) throw new Error(`The OpenAPI document has no operation '${operationId}'`);
  return found;
}

/** Follows a `#/components/parameters/...` reference. */
export function resolveParameter(document: OpenApiDocument, parameter: OpenApiParameter | OpenApiRef): OpenApiParameter {
  if (!('$ref' in parameter)) return parameter;
  const prefix = '#/components/parameters/';
  const name = parameter.$ref.startsWith(prefix) ? parameter.$ref.slice(prefix.length) : undefined;
  const resolved = name === undefined ? undefined : document.components?.parameters?.[name];
  if (!resolved) throw new Error(`Cannot resolve parameter reference ${parameter.$ref}`);
  return resolved;
}
