import type { ValidateFunction } from 'ajv';
import { findOperation, resolveParameter, type OpenApiDocument, type OpenApiParameter } from './openapi-document.js';
import { PathTemplate } from './path-template.js';
import { SchemaCompiler } from './schema-compiler.js';

export const SHOW_IMAGE_TAGS_OPERATION_ID = 'showImageTags';
// The names the document gives the path parameters of the operation.
const PROJECT_ID_PARAMETER = 'project_id';
const ANNOTATION_ID_PARAMETER = 'data_annotation_id';

export type RouteMatch =
  | { kind: 'operation'; rawParameters: Record<string, string | null> }
  | { kind: 'method-not-allowed'; allowedMethods: string[] }
  | { kind: 'no-route' };

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

export interface ShowImageTagsPathParameters {
  projectId: string;
  annotationId: string;
}

/**
 * The request side of `showImageTags`, compiled from the OpenAPI document:
 * its route, its path parameter schemas and its body schema. Nothing here is
 * written by hand, so the emulator enforces whatever the document says.
 */
export class ShowImageTagsContract {
  private readonly pathTemplate: PathTemplate;
  private readonly method: string;
  private readonly allowedMethods: string[];
  private readonly parameterValidators: Map<string, ValidateFunction>;
  private readonly bodyValidator: ValidateFunction;
  private readonly compiler: SchemaCompiler;

  constructor(document: OpenApiDocument) {
    const located = findOperation(document, SHOW_IMAGE_TAGS_OPERATION_ID);
    this.compiler = new SchemaCompiler(document);
    this.pathTemplate = new PathTemplate(located.pathTemplate);
    this.method = located.method;
    this.allowedMethods = located.allowedMethods;

    const pathParameters = (located.operation.parameters ?? [])
      .map((parameter) => resolveParameter(document, parameter))
      .filter((parameter): parameter is OpenApiParameter => parameter.in === 'path');
    this.parameterValidators = new Map(pathParameters.map((parameter) => [parameter.name, this.compiler.compile(parameter.schema ?? {})]));
    for (const name of [PROJECT_ID_PARAMETER, ANNOTATION_ID_PARAMETER]) {
      if (!this.parameterValidators.has(name) || !this.pathTemplate.parameterNames.includes(name)) {
        throw new Error(`The OpenAPI operation ${SHOW_IMAGE_TAGS_OPERATION_ID} lacks the path parameter ${name}`);
      }
    }

    const bodySchema = located.operation.requestBody?.content?.['application/json']?.schema;
    if (!bodySchema) {
      throw new Error(`The OpenAPI operation ${SHOW_IMAGE_TAGS_OPERATION_ID} has no application/json body schema`);
    }
    this.bodyValidator = this.compiler.compile(bodySchema);
  }

  matchRoute(method: string, pathname: string): RouteMatch {
    const rawParameters = this.pathTemplate.match(pathname);
    if (!rawParameters) return { kind: 'no-route' };
    if (method !== this.method) return { kind: 'method-not-allowed', allowedMethods: this.allowedMethods };
    return { kind: 'operation', rawParameters };
  }

  checkPathParameters(rawParameters: Record<string, string | null>): Checked<ShowImageTagsPathParameters> {
    for (const [name, validate] of this.parameterValidators) {
      const value = rawParameters[name];
      if (value === null || value === undefined) {
        return { ok: false, message: `path parameter ${name} is not validly percent-encoded` };
      }
      if (!validate(value)) {
        return { ok: false, message: this.compiler.describeErrors(validate, name) };
      }
    }
    return {
      ok: true,
      value: {
        projectId: rawParameters[PROJECT_ID_PARAMETER] as string,
        annotationId: rawParameters[ANNOTATION_ID_PARAMETER] as string,
      },
    };
  }

  /** Parses and validates the body; `contentType` undefined means the header was absent. */
  checkBody(text: string, contentType: string | undefined): Checked<{ imageIds: string[] }> {
    if (contentType === undefined) {
      return { ok: false, message: 'the body must be sent as application/json, and the Content-Type header is missing' };
    }
    if (!isJsonMediaType(contentType)) {
      return { ok: false, message: 'the body must be sent as application/json' };
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, message: 'the body is not valid JSON' };
    }
    if (!this.bodyValidator(body)) {
      return { ok: false, message: this.compiler.describeErrors(this.bodyValidator, 'body') };
    }
    return { ok: true, value: { imageIds: (body as { image_id: string[] }).image_id } };
  }
}

function isJsonMediaType(contentType: string): boolean {
  const essence = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return essence === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(essence);
}
