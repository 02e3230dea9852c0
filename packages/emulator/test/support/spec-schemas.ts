import { locateSpec } from '../../src/spec/locate-spec.js';
import { findOperation, loadOpenApiDocument, type JsonSchema } from '../../src/spec/openapi-document.js';
import { SchemaCompiler } from '../../src/spec/schema-compiler.js';

/** Validators of the response schemas of the OpenAPI document, to hold the emulator to its contract. */
export function responseSchemas() {
  const document = loadOpenApiDocument(locateSpec());
  const compiler = new SchemaCompiler(document);
  const success = compiler.compileComponent('ShowImageTagsResponse');
  const error = compiler.compileComponent('ErrorBody');
  const byOperation = new Map<string, typeof success>();
  const check = (validate: typeof success, body: unknown): string | undefined =>
    validate(body) ? undefined : compiler.describeErrors(validate, 'response');
  return {
    /** undefined when `body` is a valid 200 body, else the reason. */
    checkSuccess: (body: unknown) => check(success, body),
    /** undefined when `body` is a valid 200 body of the operation, else the reason. */
    checkOperation: (operationId: string, body: unknown) => {
      const compiled = byOperation.get(operationId);
      if (compiled) return check(compiled, body);
      const responses = findOperation(document, operationId).operation as {
        responses: Record<string, { content: Record<string, { schema: JsonSchema }> }>;
      };
      const schema = responses.responses['200']?.content['application/json']?.schema;
      if (!schema) return `${operationId} documents no 200 body`;
      byOperation.set(operationId, compiler.compile(schema));
      return check(byOperation.get(operationId) as typeof success, body);
    },
    /** undefined when `body` is a valid error body, else the reason. */
    checkError: (body: unknown) => check(error, body),
  };
}
