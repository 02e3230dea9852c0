import { describe, expect, it } from 'vitest';
import { locateSpec } from './locate-spec.js';
import { loadOpenApiDocument, type OpenApiDocument } from './openapi-document.js';
import { SchemaCompiler } from './schema-compiler.js';
import { ShowImageTagsContract } from './show-image-tags-contract.js';

const document = loadOpenApiDocument(locateSpec());
const contract = new ShowImageTagsContract(document);
const PATH = '/v1/0123456789abcdef0123456789abcdef/data-annotations/282/tags/show';

describe('ShowImageTagsContract routing', () => {
  it('routes POST on the documented path', () => {
    expect(contract.matchRoute('POST', PATH)).toEqual({
      kind: 'operation',
      rawParameters: { project_id: '0123456789abcdef0123456789abcdef', data_annotation_id: '282' },
    });
  });

  it('names the allowed methods for another method on the path', () => {
    expect(contract.matchRoute('GET', PATH)).toEqual({ kind: 'method-not-allowed', allowedMethods: ['POST'] });
  });

  it('has no route elsewhere', () => {
    expect(contract.matchRoute('POST', '/v2/x/tags/show')).toEqual({ kind: 'no-route' });
  });
});

describe('ShowImageTagsContract path parameters', () => {
  it('accepts IDs matching the documented pattern', () => {
    expect(contract.checkPathParameters({ project_id: 'a4a5d4098fb4474f', data_annotation_id: 'WxCREu.C-k_9' })).toEqual({
      ok: true,
      value: { projectId: 'a4a5d4098fb4474f', annotationId: 'WxCREu.C-k_9' },
    });
  });

  it.each([
    ['a space', { project_id: 'p', data_annotation_id: 'a b' }, /data_annotation_id must match pattern/],
    ['a slash', { project_id: 'p/q', data_annotation_id: '282' }, /project_id must match pattern/],
    ['129 characters', { project_id: 'p'.repeat(129), data_annotation_id: '282' }, /project_id must match pattern/],
    ['bad encoding', { project_id: 'p', data_annotation_id: null }, /not validly percent-encoded/],
  ])('rejects %s', (_, parameters, message) => {
    const result = contract.checkPathParameters(parameters);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
  });
});

describe('ShowImageTagsContract body', () => {
  it('accepts a list of image IDs sent with a JSON content type', () => {
    const body = JSON.stringify({ image_id: ['a', 'b'] });
    for (const contentType of ['application/json', 'application/json; charset=utf-8', 'application/merge+json']) {
      expect(contract.checkBody(body, contentType)).toEqual({ ok: true, value: { imageIds: ['a', 'b'] } });
    }
  });

  it('refuses a body without a content type, naming the missing header', () => {
    const checked = contract.checkBody(JSON.stringify({ image_id: ['a'] }), undefined);
    expect(checked).toEqual({ ok: false, message: expect.stringMatching(/Content-Type header is missing/) });
  });

  it('keeps unknown fields out of the way', () => {
    expect(contract.checkBody('{"image_id":["a"],"extra":1}', 'application/json').ok).toBe(true);
  });

  it.each([
    ['not JSON', '{"image_id":', /not valid JSON/],
    ['empty', '', /not valid JSON/],
    ['no image_id', '{}', /must have required property 'image_id'/],
    ['an empty list', '{"image_id":[]}', /must NOT have fewer than 1 items/],
    ['a string instead of a list', '{"image_id":"a"}', /must be array/],
    ['a number in the list', '{"image_id":[1]}', /must be string/],
    ['an empty ID', '{"image_id":[""]}', /must NOT have fewer than 1 characters/],
    ['an ID over 1024 characters', JSON.stringify({ image_id: ['x'.repeat(1025)] }), /must NOT have more than 1024/],
    ['an array body', '[]', /must be object/],
    ['null', 'null', /must be object/],
  ])('rejects %s', (_, body, message) => {
    const result = contract.checkBody(body, 'application/json');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
  });

  it('rejects a body sent as something other than JSON', () => {
    const result = contract.checkBody('{"image_id":["a"]}', 'text/plain');
    expect(result).toEqual({ ok: false, message: 'the body must be sent as application/json' });
  });
});

describe('ShowImageTagsContract follows the document', () => {
  it('enforces a constraint added to the document, with no code change', () => {
    const edited = structuredClone(document) as OpenApiDocument;
    const imageId = (edited.components!.schemas!.ShowImageTagsRequest as { properties: { image_id: Record<string, unknown> } }).properties
      .image_id;
    imageId.maxItems = 2;
    const strict = new ShowImageTagsContract(edited);
    expect(strict.checkBody('{"image_id":["a","b"]}', 'application/json').ok).toBe(true);
    expect(strict.checkBody('{"image_id":["a","b","c"]}', 'application/json').ok).toBe(false);
  });

  it('refuses a document without the operation', () => {
    expect(() => new ShowImageTagsContract({ openapi: '3.0.3', paths: {} })).toThrow(/no operation 'showImageTags'/);
  });
});

describe('SchemaCompiler', () => {
  it('catches a misspelt keyword instead of ignoring it', () => {
    expect(() => new SchemaCompiler(document).compile({ type: 'array', minItem: 1 })).toThrow(/unknown keyword/);
  });

  it('refuses references it cannot resolve', () => {
    expect(() => new SchemaCompiler(document).compile({ $ref: 'other.yaml#/X' })).toThrow(/Unsupported schema reference/);
  });
});
