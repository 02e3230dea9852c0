import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidResponseError, UnsuccessfulResponseError } from '../../core/errors.js';
import { parseShowImageTagsBody } from './parse-body.js';
import { loadValidation } from './validation.js';

// The parser needs the schemas, which the HTTP layer loads on the first response.
beforeAll(() => loadValidation());

const meta = { status: 200, requestId: 'req-1' };
const parse = (body: unknown): ReturnType<typeof parseShowImageTagsBody> =>
  parseShowImageTagsBody(typeof body === 'string' ? body : JSON.stringify(body), meta);

function failure(body: unknown): InvalidResponseError {
  try {
    parse(body);
  } catch (error) {
    return error as InvalidResponseError;
  }
  throw new Error('expected a failure');
}

describe('parseShowImageTagsBody', () => {
  it('types classification entries and keeps unknown fields', () => {
    const images = parse({ is_success: true, images_tags: [{ image_id: 'a', tags: ['animal', 'fish'], note: 'x' }] });
    expect(images).toEqual([{ type: 'classification', imageId: 'a', tags: ['animal', 'fish'], extra: { note: 'x' } }]);
  });

  it('types detection entries with boxes and size', () => {
    const images = parse({
      is_success: true,
      images_tags: [{ image_id: 'd', tags: [{ tag: 'flower', pos: [10, 0, 100, 100], score: 0.9 }], size: [1920, 1080, 3] }],
    });
    expect(images).toEqual([
      {
        type: 'detection',
        imageId: 'd',
        tags: [{ tag: 'flower', box: { xmin: 10, ymin: 0, xmax: 100, ymax: 100 }, extra: { score: 0.9 } }],
        size: { width: 1920, height: 1080, depth: 3 },
        extra: {},
      },
    ]);
  });

  it('accepts detection tags sent as a JSON string', () => {
    const tags = JSON.stringify([{ tag: 'car', pos: [1, 2, 3, 4] }]);
    const [image] = parse({ is_success: true, images_tags: [{ image_id: 'd', tags, size: [640, 480] }] });
    expect(image).toMatchObject({ type: 'detection', tags: [{ tag: 'car', box: { xmin: 1, ymin: 2, xmax: 3, ymax: 4 } }] });
  });

  it('orders box corners so that min <= max', () => {
    const [image] = parse({
      is_success: true,
      images_tags: [{ image_id: 'd', tags: [{ tag: 't', pos: [50, 60, 10, 20] }], size: [100, 100] }],
    });
    expect(image!.type === 'detection' && image!.tags[0]!.box).toEqual({ xmin: 10, ymin: 20, xmax: 50, ymax: 60 });
  });

  it('gives an untagged image the job type revealed by the others', () => {
    const images = parse({
      is_success: true,
      images_tags: [
        { image_id: 'empty', tags: [] },
        { image_id: 'd', tags: [{ tag: 't', pos: [0, 0, 1, 1] }], size: [2, 2] },
      ],
    });
    expect(images.map((i) => i.type)).toEqual(['detection', 'detection']);
  });

  it('keeps the first of repeated entries', () => {
    const images = parse({
      is_success: true,
      images_tags: [
        { image_id: 'a', tags: ['x'] },
        { image_id: 'a', tags: ['y'] },
      ],
    });
    expect(images).toHaveLength(1);
    expect(images[0]!.tags).toEqual(['x']);
  });

  it('treats is_success: false as an error with code, message and request ID', () => {
    expect(() => parse({ is_success: false, error_code: 'ModelArts.0104', error_msg: 'Parameter error.' })).toThrow(
      UnsuccessfulResponseError,
    );
    expect(() => parse({ is_success: false, error_code: 'ModelArts.0104', error_msg: 'Parameter error.' })).toThrow(
      /ModelArts\.0104: Parameter error\..*request ID req-1/,
    );
  });

  it('names the field path of a bad value', () => {
    const error = failure({
      is_success: true,
      images_tags: [
        { image_id: 'a', tags: ['x'] },
        { image_id: 'b', tags: [{ tag: 't', pos: [1, 2, 3] }] },
      ],
    });
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.path).toBe('images_tags[1].tags[0].pos');
    expect(error.requestId).toBe('req-1');
  });

  it('names the path inside a string-encoded tags list', () => {
    const error = failure({ is_success: true, images_tags: [{ image_id: 'a', tags: JSON.stringify([{ tag: 1, pos: [0, 0, 1, 1] }]) }] });
    expect(error.path).toBe('images_tags[0].tags[0].tag');
    expect(failure({ is_success: true, images_tags: [{ image_id: 'a', tags: '[{' }] }).path).toBe('images_tags[0].tags');
  });

  it('rejects a body that is not JSON, and marks a cut-off one as truncated', () => {
    expect(failure('<html>Bad gateway</html>').message).toMatch(/not valid JSON/);
    const cut = failure('{"is_success":true,"images_tags":[{"image_id":"a"');
    expect(cut.truncated).toBe(true);
    expect(cut.retryable).toBe(true);
  });

  it('rejects a missing is_success', () => {
    expect(failure({ images_tags: [] }).path).toBe('is_success');
  });
});
