import { describe, expect, it } from 'vitest';
import { locateSpec } from './locate-spec.js';
import { loadOpenApiDocument, type OpenApiDocument } from './openapi-document.js';
import { ApiContract } from './api-contract.js';
import { SchemaCompiler } from './schema-compiler.js';

const document = loadOpenApiDocument(locateSpec());
const api = new ApiContract(document);
const contract = api.operation('showImageTags');
const PROJECT = '0123456789abcdef0123456789abcdef';
const PATH = `/v1/${PROJECT}/data-annotations/282/tags/show`;

describe('ApiContract routing', () => {
  it('routes POST on the tags/show path', () => {
    const route = api.matchRoute('POST', PATH);
    expect(route.kind === 'operation' && route.contract.operationId).toBe('showImageTags');
    expect(route.kind === 'operation' && route.rawParameters).toEqual({ project_id: PROJECT, data_annotation_id: '282' });
  });

  it('names the allowed methods for another method on the path', () => {
    expect(api.matchRoute('GET', PATH)).toEqual({ kind: 'method-not-allowed', allowedMethods: ['POST'] });
    expect(api.matchRoute('DELETE', `/v1/${PROJECT}/data-annotations/282/images`)).toEqual({
      kind: 'method-not-allowed',
      allowedMethods: ['GET', 'PUT'],
    });
  });

  it('prefers a literal segment to a templated one', () => {
    const route = api.matchRoute('POST', `/v1/${PROJECT}/data-annotations/282/images/delete`);
    expect(route.kind === 'operation' && route.contract.operationId).toBe('deleteImages');
    const one = api.matchRoute('DELETE', `/v1/${PROJECT}/data-annotations/282/images/abc`);
    expect(one.kind === 'operation' && one.contract.operationId).toBe('deleteImage');
  });

  it('routes every operation of the document', () => {
    expect(api.operationIds.sort()).toEqual(
      [
        'deleteImage',
        'deleteImages',
        'listAnnotationJobs',
        'listImages',
        'listTags',
        'saveValidation',
        'showImageTag',
        'showImageTags',
        'showObsSyncStatus',
        'showTagStatistics',
        'showValidation',
        'startObsSync',
        'updateImageTags',
      ].sort(),
    );
  });

  it('has no route elsewhere', () => {
    expect(api.matchRoute('POST', '/v2/x/tags/show')).toEqual({ kind: 'no-route' });
  });
});

describe('OperationContract query parameters', () => {
  const listImages = api.operation('listImages');

  it('coerces integers and fills in the documented defaults', () => {
    expect(listImages.checkQuery('per_page=100&tag_name=%E7%8C%AB')).toEqual({
      ok: true,
      value: { tag_name: '猫', per_page: 100, page: 0 },
    });
    expect(listImages.checkQuery('')).toEqual({ ok: true, value: { per_page: 10, page: 0 } });
  });

  it('ignores parameters the document does not name', () => {
    expect(listImages.checkQuery('foo=bar&page=3')).toEqual({ ok: true, value: { per_page: 10, page: 3 } });
  });

  it.each([
    ['per_page=0', /per_page must be >= 1/],
    ['per_page=101', /per_page must be <= 100/],
    ['per_page=ten', /per_page must be an integer/],
    ['page=-1', /page must be >= 0/],
    ['page=1.5', /page must be an integer/],
    ['tag_name=', /tag_name must NOT have fewer than 1 characters/],
    ['page=1&page=2', /page is given more than once/],
    ['tag_name=%E0%A4', /not validly percent-encoded/],
  ])('rejects %s', (query, message) => {
    const result = listImages.checkQuery(query);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
  });

  it('checks enums', () => {
    const jobs = api.operation('listAnnotationJobs');
    expect(jobs.checkQuery('sort_by=name&order=desc').ok).toBe(true);
    expect(jobs.checkQuery('sort_by=size').ok).toBe(false);
  });
});

describe('OperationContract path parameters', () => {
  it('accepts IDs matching the documented pattern', () => {
    expect(contract.checkPathParameters({ project_id: 'a4a5d4098fb4474f', data_annotation_id: 'WxCREu.C-k_9' })).toEqual({
      ok: true,
      value: { project_id: 'a4a5d4098fb4474f', data_annotation_id: 'WxCREu.C-k_9' },
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

describe('OperationContract body', () => {
  it('accepts a list of image IDs sent with a JSON content type', () => {
    const body = JSON.stringify({ image_id: ['a', 'b'] });
    for (const contentType of ['application/json', 'application/json; charset=utf-8', 'application/merge+json']) {
      expect(contract.checkBody(body, contentType)).toEqual({ ok: true, value: { image_id: ['a', 'b'] } });
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

describe('ApiContract follows the document', () => {
  it('enforces a constraint added to the document, with no code change', () => {
    const edited = structuredClone(document) as OpenApiDocument;
    const imageId = (edited.components!.schemas!.ShowImageTagsRequest as { properties: { image_id: Record<string, unknown> } }).properties
      .image_id;
    imageId.maxItems = 2;
    const strict = new ApiContract(edited).operation('showImageTags');
    expect(strict.checkBody('{"image_id":["a","b"]}', 'application/json').ok).toBe(true);
    expect(strict.checkBody('{"image_id":["a","b","c"]}', 'application/json').ok).toBe(false);
  });

  it('refuses an operation whose path parameter is not described', () => {
    const broken = { openapi: '3.0.3', paths: { '/v1/{project_id}/x': { get: { operationId: 'x' } } } };
    expect(() => new ApiContract(broken)).toThrow(/does not describe its path parameter project_id/);
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
