import { Ajv, type ValidateFunction } from 'ajv';
import type { JsonSchema, OpenApiDocument } from './openapi-document.js';

const COMPONENTS_ID = 'modelarts-openapi-components';
const COMPONENT_REF_PREFIX = '#/components/schemas/';

// Keywords OpenAPI 3.0 allows in a schema that JSON Schema does not know.
// They only annotate, so they are registered to be ignored rather than
// switching off Ajv's strict mode, which catches typos in the document.
const OPENAPI_ANNOTATIONS = ['example', 'xml', 'externalDocs', 'discriminator'];

/**
 * Compiles schemas of an OpenAPI 3.0 document with Ajv. The document's
 * `components.schemas` are registered once as `$defs`, so `$ref`s between
 * them work wherever a schema is compiled.
 */
export class SchemaCompiler {
  private readonly ajv: Ajv;

  constructor(document: OpenApiDocument) {
    // Formats such as int32 or uuid describe the wire type in OpenAPI; the
    // emulator checks structure and patterns, which is what ModelArts rejects.
    this.ajv = new Ajv({ allErrors: false, strict: true, validateFormats: false });
    this.ajv.addVocabulary([...OPENAPI_ANNOTATIONS, ...extensionKeywords(document)]);
    this.ajv.addSchema({
      $id: COMPONENTS_ID,
      $defs: rewriteRefs(document.components?.schemas ?? {}) as Record<string, JsonSchema>,
    });
  }

  /** Compiles a schema taken from the document (it may itself be a `$ref`). */
  compile(schema: JsonSchema): ValidateFunction {
    return this.ajv.compile(rewriteRefs(schema) as JsonSchema);
  }

  /** Compiles `#/components/schemas/<name>`. */
  compileComponent(name: string): ValidateFunction {
    return this.compile({ $ref: `${COMPONENT_REF_PREFIX}${name}` });
  }

  describeErrors(validate: ValidateFunction, dataVar: string): string {
    return this.ajv.errorsText(validate.errors, { dataVar });
  }
}

// `x-…` extensions (such as x-modelarts-kit-assumed) annotate too.
function extensionKeywords(value: unknown, found = new Set<string>()): string[] {
  if (Array.isArray(value)) for (const item of value) extensionKeywords(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key.startsWith('x-')) found.add(key);
      extensionKeywords(child, found);
    }
  }
  return [...found];
}

// OpenAPI references point into the document; inside Ajv they must point
// into the registered components schema.
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string') {
      if (!child.startsWith(COMPONENT_REF_PREFIX)) {
        throw new Error(`Unsupported schema reference ${child}: only ${COMPONENT_REF_PREFIX}* is resolved`);
      }
      copy[key] = `${COMPONENTS_ID}#/$defs/${child.slice(COMPONENT_REF_PREFIX.length)}`;
    } else {
      copy[key] = rewriteRefs(child);
    }
  }
  return copy;
}
