import { beforeAll, describe, expect, it } from 'vitest';
import { imagePage, ids, queryOf, routeOf } from '../../test/support/paged-replies.js';
import { json, type SeenRequest, scriptedTransport, tagsResponse } from '../../test/support/scripted-transport.js';
import { testClient } from '../../test/support/test-client.js';
import { VirtualClock } from '../../test/support/virtual-clock.js';
import { AuthenticationError, IncompleteListingError, PartialResultError, type Progress } from '../index.js';
import { loadValidation } from '../internal/response/validation.js';
import type { Transport } from './transport.js';

// The schemas load on the first response, by a dynamic import the virtual clock cannot see as work in progress.
beforeAll(() => loadValidation());

const client = (transport: Transport, clock = new VirtualClock()) => testClient(transport, clock);

/** A job of `images`: the image list by page, tags/show by ID. */
const job =
  (images: readonly string[], count?: number) =>
  (request: SeenRequest): Response =>
    routeOf(request).endsWith('/tags/show') ? tagsResponse(request.imageIds) : imagePage(request, images, count);

const tagsShowCalls = (transport: { seen: SeenRequest[] }) => transport.seen.filter((r) => routeOf(r).endsWith('/tags/show'));

describe('getAllImageTags', () => {
  it('lists the job and fetches every image once, in listing order, with progress up to the total', async () => {
    const transport = scriptedTransport(job(ids(2_345)));
    const progress: Progress[] = [];
    const clock = new VirtualClock();
    const result = await clock.run(
      client(transport, clock).getAllImageTags('7', { batchSize: 100, concurrency: 4, onProgress: (p) => progress.push(p) }),
    );
    expect(result.images.map((image) => image.imageId)).toEqual(ids(2_345));
    expect(result.missing).toEqual([]);
    expect(result.outcomes).toHaveLength(2_345);
    expect(result.jobType).toBe('classification');
    expect(tagsShowCalls(transport).flatMap((r) => r.imageIds)).toHaveLength(2_345);
    expect(progress.at(-1)).toEqual({ done: 2_345, total: 2_345 });
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.done).toBeGreaterThan(progress[i - 1]!.done);
    expect(progress.every((p) => p.done <= p.total)).toBe(true);
  });

  it('drops an image the listing repeats far from its first place, so it is fetched once', async () => {
    // Two pages after its first place: beyond what the listing itself remembers.
    const listed = [...ids(250), 'img-3', ...ids(10, 'late')];
    const transport = scriptedTransport(job(listed, 260));
    const clock = new VirtualClock();
    const result = await clock.run(client(transport, clock).getAllImageTags('7', { batchSize: 50 }));
    expect(result.images).toHaveLength(260);
    expect(
      tagsShowCalls(transport)
        .flatMap((r) => r.imageIds)
        .filter((id) => id === 'img-3'),
    ).toHaveLength(1);
  });

  it('streams batches and passes the tag filter to the listing', async () => {
    const transport = scriptedTransport(job(ids(250)));
    const clock = new VirtualClock();
    const batches = await clock.run(
      (async () => {
        const out = [];
        for await (const batch of client(transport, clock).iterateAllImageTags('7', { tag: 'rose', batchSize: 100 })) out.push(batch);
        return out;
      })(),
    );
    expect(batches.reduce((n, b) => n + b.images.length, 0)).toBe(250);
    expect(batches.at(-1)).toMatchObject({ done: 250, total: 250 });
    expect(queryOf(transport.seen[0]!).get('tag_name')).toBe('rose');
  });

  it('keeps a failed batch in failed and the rest in images (PartialResultError by default)', async () => {
    const transport = scriptedTransport((request) =>
      routeOf(request).endsWith('/tags/show') && request.imageIds.includes('img-120') ? json(500, {}) : job(ids(300))(request),
    );
    const clock = new VirtualClock();
    const error = await clock
      .run(client(transport, clock).getAllImageTags('7', { batchSize: 100, maxRetries: 1 }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialResultError);
    const { result } = error as PartialResultError;
    expect(result.images).toHaveLength(200);
    expect(result.failed.map((f) => f.imageId)).toEqual(ids(300).slice(100, 200));
  });

  it('fetches every image listed before the listing failed, and carries them in the error', async () => {
    const transport = scriptedTransport((request) =>
      routeOf(request).endsWith('/images') && queryOf(request).get('page') === '3'
        ? json(400, { error_code: 'ModelArts.0104', error_msg: 'Parameter error.' })
        : job(ids(1_000))(request),
    );
    const clock = new VirtualClock();
    const error = await clock
      .run(client(transport, clock).getAllImageTags('7', { batchSize: 100, concurrency: 2 }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompleteListingError);
    const { result } = error as IncompleteListingError;
    // Pages 0 to 2 were listed before page 3 failed: all of them are fetched.
    expect(result!.images.map((image) => image.imageId)).toEqual(ids(300));
  });

  it('a listing short of the service count: every listed image is fetched, then IncompleteListingError with them', async () => {
    const transport = scriptedTransport(job(ids(150), 180));
    const clock = new VirtualClock();
    const error = await clock
      .run(client(transport, clock).getAllImageTags('7', { batchSize: 100, concurrency: 4 }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'IncompleteListingError', listed: 150, expected: 180 });
    expect((error as IncompleteListingError).result!.images).toHaveLength(150);
  });

  it('stops after a fatal tags/show answer instead of sending one per window', async () => {
    const transport = scriptedTransport((request) =>
      routeOf(request).endsWith('/tags/show') ? json(401, { error_code: 'APIG.0301', error_msg: 'bad' }) : job(ids(1_000))(request),
    );
    const clock = new VirtualClock();
    const error = await clock
      .run(client(transport, clock).getAllImageTags('7', { batchSize: 100, concurrency: 2 }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompleteListingError);
    expect((error as IncompleteListingError).cause).toBeInstanceOf(AuthenticationError);
    expect(tagsShowCalls(transport)).toHaveLength(1);
  });

  it('throws the listing error itself when nothing was fetched', async () => {
    const transport = scriptedTransport(() => json(404, { error_code: 'ModelArts.4104', error_msg: 'no job' }));
    await expect(client(transport).getAllImageTags('7')).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('refuses a tag with untagged, bad sizes and unknown options before any request', async () => {
    const transport = scriptedTransport(job(ids(10)));
    const c = client(transport);
    await expect(c.getAllImageTags('7', { tag: 'a', untagged: true })).rejects.toThrow(/either tag or untagged/);
    await expect(c.getAllImageTags('7', { perPage: 500 })).rejects.toThrow(/perPage/);
    await expect(c.getAllImageTags('7', { batchSize: 0 })).rejects.toThrow(/batchSize/);
    await expect(c.getAllImageTags('7', { onError: 'skip' as never })).rejects.toThrow(/onError/);
    await expect(c.getAllImageTags('7', { imageIds: ['a'] } as never)).rejects.toThrow(/no option "imageIds"/);
    expect(transport.seen).toHaveLength(0);
  });
});
