import type { ValidateFunction } from 'ajv';
import { resolveParameter, type LocatedOperation, type OpenApiDocument, type OpenApiParameter } from './openapi-document.js';
import { PathTemplate, safeDecode } from './path-template.js';
import type { SchemaCompiler } from './schema-compiler.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** Query values after coercion to the type their schema names. */
export type QueryValues = Record<string, string | number | boolean>;

interface CompiledParameter {
  name: string;
  required: boolean;
  type: string | undefined;
  defaultValue: string | number | boolean | undefined;
  validate: ValidateFunction;
}

/**
 * The request side of one operation, compiled from the OpenAPI document:
 * its route, path and query parameter schemas and body schema. Nothing here
 * is written by hand, so the emulator enforces whatever the document says.
 */
export class OperationContract {
  readonly operationId: string;
  readonly method: string;
  readonly allowedMethods: string[];
  readonly pathTemplate: PathTemplate;
  private readonly pathParameters: CompiledParameter[];
  private readonly queryParameters: CompiledParameter[];
  private readonly bodyValidator: ValidateFunction | undefined;

  constructor(
    document: OpenApiDocument,
    located: LocatedOperation,
    private readonly compiler: SchemaCompiler,
  ) {
    const operationId = located.operation.operationId;
    if (!operationId) throw new Error(`${located.method} ${located.pathTemplate} has no operationId`);
    this.operationId = operationId;
    this.method = located.method;
    this.allowedMethods = located.allowedMethods;
    this.pathTemplate = new PathTemplate(located.pathTemplate);

    const parameters = (located.operation.parameters ?? []).map((parameter) => resolveParameter(document, parameter));
    this.pathParameters = parameters.filter((p) => p.in === 'path').map((p) => this.compileParameter(p));
    this.queryParameters = parameters.filter((p) => p.in === 'query').map((p) => this.compileParameter(p));
    for (const name of this.pathTemplate.parameterNames) {
      if (!this.pathParameters.some((parameter) => parameter.name === name)) {
        throw new Error(`The OpenAPI operation ${operationId} does not describe its path parameter ${name}`);
      }
    }
    const body = located.operation.requestBody;
    if (body) {
      const schema = body.content?.['application/json']?.schema;
      if (!schema) throw new Error(`The OpenAPI operation ${operationId} has a body but no application/json schema`);
      this.bodyValidator = compiler.compile(schema);
    }
  }

  get hasBody(): boolean {
    return this.bodyValidator !== undefined;
  }

  checkPathParameters(rawParameters: Record<string, string | null>): Checked<Record<string, string>> {
    const values: Record<string, string> = {};
    for (const { name, validate } of this.pathParameters) {
      const value = rawParameters[name];
      if (value === null || value === undefined) {
        return { ok: false, message: `path parameter ${name} is not validly percent-encoded` };
      }
      if (!validate(value)) return { ok: false, message: this.compiler.describeErrors(validate, name) };
      values[name] = value;
    }
    return { ok: true, value: values };
  }

  /**
   * Parses the raw query (without `?`), coerces each documented parameter to
   * its type, checks its schema and fills in the documented defaults.
   */
  checkQuery(rawQuery: string): Checked<QueryValues> {
    const received = new Map<string, string>();
    for (const part of rawQuery.split('&')) {
      if (part === '') continue;
      const equals = part.indexOf('=');
      // '+' stays '+': signers encode spaces as %20, and the canonical request reads the query the same way.
      const name = safeDecode(equals === -1 ? part : part.slice(0, equals));
      const value = safeDecode(equals === -1 ? '' : part.slice(equals + 1));
      if (name === null || value === null) return { ok: false, message: 'the query is not validly percent-encoded' };
      if (!this.queryParameters.some((parameter) => parameter.name === name)) continue; // unknown parameters are ignored
      if (received.has(name)) return { ok: false, message: `query parameter ${name} is given more than once` };
      received.set(name, value);
    }
    const values: QueryValues = {};
    for (const parameter of this.queryParameters) {
      const raw = received.get(parameter.name);
      if (raw === undefined) {
        if (parameter.required) return { ok: false, message: `query parameter ${parameter.name} is required` };
        if (parameter.defaultValue !== undefined) values[parameter.name] = parameter.defaultValue;
        continue;
      }
      const value = coerce(raw, parameter.type);
      if (value === undefined) return { ok: false, message: `query parameter ${parameter.name} must be ${article(parameter.type)}` };
      if (!parameter.validate(value)) return { ok: false, message: this.compiler.describeErrors(parameter.validate, parameter.name) };
      values[parameter.name] = value;
    }
    return { ok: true, value: values };
  }

  /** Parses and validates the body; `contentType` undefined means the header was absent. */
  checkBody(text: string, contentType: string | undefined): Checked<unknown> {
    if (!this.bodyValidator) return { ok: true, value: undefined };
    if (contentType === undefined) {
      return { ok: false, message: 'the body must be sent as application/json, and the Content-Type header is missing' };
    }
    if (!isJsonMediaType(contentType)) return { ok: false, message: 'the body must be sent as application/json' };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, message: 'the body is not valid JSON' };
    }
    if (!this.bodyValidator(body)) return { ok: false, message: this.compiler.describeErrors(this.bodyValidator, 'body') };
    return { ok: true, value: body };
  }

  private compileParameter(parameter: OpenApiParameter): CompiledParameter {
    const schema = parameter.schema ?? {};
    return {
      name: parameter.name,
      required: parameter.required === true,
      type: typeof schema.type === 'string' ? schema.type : undefined,
      defaultValue: schema.default as CompiledParameter['defaultValue'],
      validate: this.compiler.compile(schema),
    };
  }
}

function coerce(raw: string, type: string | undefined): string | number | boolean | undefined {
  switch (type) {
    case 'integer':
      return /^-?\d{1,15}$/.test(raw) ? Number(raw) : undefined;
    case 'number':
      return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw) ? Number(raw) : undefined;
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : undefined;
    default:
      return raw;
  }
}

function article(type: string | undefined): string {
  return type === 'integer' ? 'an integer' : `a ${type ?? 'value'}`;
}

function isJsonMediaType(contentType: string): boolean {
  const essence = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return essence === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(essence);
}
