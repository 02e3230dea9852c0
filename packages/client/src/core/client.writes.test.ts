import { beforeAll, describe, expect, it } from 'vitest';
import { ids, routeOf } from '../../test/support/paged-replies.js';
import { json, scriptedTransport } from '../../test/support/scripted-transport.js';
import { testClient } from '../../test/support/test-client.js';
import { VirtualClock } from '../../test/support/virtual-clock.js';
import { CallbackError, InputValidationError, PartialWriteError, type ImageTagsInput, type WriteResult } from '../index.js';
import { loadValidation } from '../internal/response/validation.js';
import type { Transport } from './transport.js';

// The schemas load on the first response, by a dynamic import the virtual clock cannot see as work in progress.
beforeAll(() => loadValidation());

const client = (transport: Transport, clock = new VirtualClock()) => testClient(transport, clock, { timeoutMs: 5_000 });
const ok = () => json(200, { is_success: true });
const bodyOf = (init: { body?: string | undefined }) =>
  JSON.parse(init.body ?? '{}') as { images: { image_id: string; tags: unknown; size?: number[] }[] };
const box = (xmin: number, ymin: number, xmax: number, ymax: number) => ({ tag: 'car', box: { xmin, ymin, xmax, ymax } });

describe('setImageTags: checked before any request', () => {
  const refused: [string, ImageTagsInput[], RegExp][] = [
    ['xmin >= xmax', [{ imageId: 'a', tags: [box(5, 0, 5, 1)] }], /images\[0\]\.tags\[0\]\.box needs xmin < xmax/],
    ['ymin >= ymax', [{ imageId: 'a', tags: [box(0, 9, 1, 2)] }], /ymin < ymax/],
    [
      'a box outside the size',
      [{ imageId: 'a', tags: [box(0, 0, 641, 10)], size: { width: 640, height: 480 } }],
      /outside the image size 640x480/,
    ],
    ['a negative corner', [{ imageId: 'a', tags: [box(-1, 0, 1, 1)] }], /outside the image/],
    ['an empty tag name', [{ imageId: 'a', tags: ['ok', ' '] }], /tags\[1\] must be a non-empty tag name/],
    ['an empty box tag', [{ imageId: 'a', tags: [{ tag: '', box: { xmin: 0, ymin: 0, xmax: 1, ymax: 1 } }] }], /\.tag must be a non-empty/],
    [
      'a job of both types',
      [
        { imageId: 'a', tags: ['cat'] },
        { imageId: 'b', tags: [box(0, 0, 1, 1)] },
      ],
      /images\[1\] has detection tags but images\[0\] has classification/,
    ],
    ['names and boxes in one image', [{ imageId: 'a', tags: ['cat', box(0, 0, 1, 1)] as never }], /mixes tag names and boxes/],
    [
      'an image twice',
      [
        { imageId: 'a', tags: [] },
        { imageId: 'a', tags: ['x'] },
      ],
      /given twice/,
    ],
    ['a box with a missing corner', [{ imageId: 'a', tags: [{ tag: 'x', box: { xmin: 0, ymin: 0, xmax: 1 } }] as never }], /box must be/],
    ['a size that is not whole pixels', [{ imageId: 'a', tags: [], size: { width: 1.5, height: 2 } }], /size must be/],
  ];
  for (const [what, images, message] of refused) {
    it(`refuses ${what}`, async () => {
      const transport = scriptedTransport(ok);
      await expect(client(transport).setImageTags('7', images)).rejects.toThrow(InputValidationError);
      await expect(client(transport).setImageTags('7', images)).rejects.toThrow(message);
      expect(transport.seen).toHaveLength(0);
    });
  }

  it('refuses an empty list, a bad job ID and a batch size over 1,000', async () => {
    const transport = scriptedTransport(ok);
    await expect(client(transport).setImageTags('7', [])).rejects.toThrow(/images is empty/);
    await expect(client(transport).setImageTags('a/b', [{ imageId: 'a', tags: [] }])).rejects.toThrow(InputValidationError);
    await expect(client(transport).setImageTags('7', [{ imageId: 'a', tags: [] }], { batchSize: 1001 })).rejects.toThrow(/1 to 1000/);
    expect(transport.seen).toHaveLength(0);
  });
});

describe('setImageTags: batches and results', () => {
  it('sends at most 1,000 images per request, boxes as pos and the size inside each image', async () => {
    const transport = scriptedTransport(ok);
    const images = ids(2_500).map((imageId) => ({ imageId, tags: [box(1, 2, 30, 40)], size: { width: 64, height: 48 } }));
    const result = await client(transport).setImageTags('7', images);
    expect(transport.seen.map((r) => bodyOf(r.init).images.length)).toEqual([1000, 1000, 500]);
    expect(transport.seen.every((r) => r.init.method === 'PUT' && routeOf(r) === '/data-annotations/7/images')).toBe(true);
    expect(bodyOf(transport.seen[0]!.init).images[0]).toEqual({
      image_id: 'img-0',
      tags: [{ tag: 'car', pos: [1, 2, 30, 40] }],
      size: [64, 48],
    });
    expect(result.succeeded).toEqual(ids(2_500));
    expect(result.failed).toEqual([]);
  });

  it('accepts what getImageTags returned, classification names included', async () => {
    const transport = scriptedTransport(ok);
    await client(transport).setImageTags('7', [{ type: 'classification', imageId: 'a', tags: ['cat'], extra: {} } as ImageTagsInput]);
    expect(bodyOf(transport.seen[0]!.init).images).toEqual([{ image_id: 'a', tags: ['cat'] }]);
  });

  it('says per image what was written: a rejected batch fails as a whole, the others are written', async () => {
    const transport = scriptedTransport((_, attempt) =>
      attempt === 2 ? json(400, { error_code: 'ModelArts.4105', error_msg: 'unknown image' }) : ok(),
    );
    const images = ids(5).map((imageId) => ({ imageId, tags: ['x'] }));
    const result = await client(transport).setImageTags('7', images, { batchSize: 2, onError: 'collect' });
    expect(result.succeeded).toEqual(['img-0', 'img-1', 'img-4']);
    expect(result.failed.map((f) => [f.imageId, f.error.name])).toEqual([
      ['img-2', 'BadRequestError'],
      ['img-3', 'BadRequestError'],
    ]);
    const thrown = await client(scriptedTransport(() => json(400, {})))
      .setImageTags('7', images)
      .catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(PartialWriteError);
    expect((thrown as PartialWriteError).result.failed).toHaveLength(5);
  });

  it('retries after a timeout: setting the same tags again is harmless', async () => {
    const clock = new VirtualClock();
    const transport = scriptedTransport((_, attempt) => (attempt === 1 ? 'hang' : ok()));
    const result = await clock.run(client(transport, clock).setImageTags('7', [{ imageId: 'a', tags: ['x'] }]));
    expect(result.succeeded).toEqual(['a']);
    expect(transport.seen).toHaveLength(2);
  });

  it('stops after a fatal answer: the images not yet sent fail with it', async () => {
    const transport = scriptedTransport(() => json(401, { error_code: 'APIG.0301', error_msg: 'bad' }));
    const result = await client(transport).setImageTags(
      '7',
      ids(3).map((imageId) => ({ imageId, tags: ['x'] })),
      { batchSize: 1, onError: 'collect' },
    );
    expect(transport.seen).toHaveLength(1);
    expect(result.failed.map((f) => f.error.name)).toEqual(['AuthenticationError', 'AuthenticationError', 'AuthenticationError']);
  });
  it('a throwing onProgress stops the write with a CallbackError whose result holds what was written', async () => {
    const transport = scriptedTransport(ok);
    const images = ids(5).map((imageId) => ({ imageId, tags: ['x'] }));
    const broke = new Error('display broke');
    const onProgress = ({ done }: { done: number }) => {
      if (done === 2) throw broke;
    };
    const error = await client(transport)
      .setImageTags('7', images, { batchSize: 2, onError: 'collect', onProgress })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CallbackError);
    const { callback, cause, result } = error as CallbackError<WriteResult>;
    expect([callback, cause]).toEqual(['onProgress', broke]);
    expect(transport.seen).toHaveLength(1);
    expect(result!.succeeded).toEqual(['img-0', 'img-1']);
    expect(result!.failed.map((f) => f.imageId)).toEqual(['img-2', 'img-3', 'img-4']);
    expect(result!.failed.every((f) => f.error === error)).toBe(true);
  });
});

describe('deleteImages', () => {
  it('deletes in batches of at most 1,000, retrying after a reset, with progress', async () => {
    const clock = new VirtualClock();
    const transport = scriptedTransport((_, attempt) =>
      attempt === 2 ? Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) : ok(),
    );
    const progress: number[] = [];
    const result = await clock.run(client(transport, clock).deleteImages('7', ids(1_500), { onProgress: (p) => progress.push(p.done) }));
    expect(transport.seen.map((r) => r.imageIds.length)).toEqual([1000, 500, 500]);
    expect(routeOf(transport.seen[0]!)).toBe('/data-annotations/7/images/delete');
    expect(result.succeeded).toHaveLength(1_500);
    expect(progress).toEqual([1000, 1500]);
  });

  it('refuses bad IDs before any request', async () => {
    const transport = scriptedTransport(ok);
    await expect(client(transport).deleteImages('7', [])).rejects.toThrow(InputValidationError);
    await expect(client(transport).deleteImages('7', ['a'], { onError: 'ignore' as never })).rejects.toThrow(/onError/);
    expect(transport.seen).toHaveLength(0);
  });
});
