import { locateSpec } from '../../src/spec/locate-spec.js';
import { loadOpenApiDocument } from '../../src/spec/openapi-document.js';
import { SchemaCompiler } from '../../src/spec/schema-compiler.js';

/** Validators of the response schemas of the OpenAPI document, to hold the emulator to its contract. */
export function responseSchemas() {
  const compiler = new SchemaCompiler(loadOpenApiDocument(locateSpec()));
  const success = compiler.compileComponent('ShowImageTagsResponse');
  const error = compiler.compileComponent('ErrorBody');
  const check = (validate: typeof success, body: unknown): string | undefined =>
    validate(body) ? undefined : compiler.describeErrors(validate, 'response');
  return {
    /** undefined when `body` is a valid 200 body, else the reason. */
    checkSuccess: (body: unknown) => check(success, body),
    /** undefined when `body` is a valid error body, else the reason. */
    checkError: (body: unknown) => check(error, body),
  };
}
