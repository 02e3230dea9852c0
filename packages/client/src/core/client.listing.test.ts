import { beforeAll, describe, expect, it } from 'vitest';
import { imagePage, ids, queryOf, routeOf } from '../../test/support/paged-replies.js';
import { json, scriptedTransport } from '../../test/support/scripted-transport.js';
import { collect, testClient } from '../../test/support/test-client.js';
import { VirtualClock } from '../../test/support/virtual-clock.js';
import { ConfigurationError, IncompleteListingError, InputValidationError, InvalidResponseError, NotFoundError } from '../index.js';
import { loadValidation } from '../internal/response/validation.js';
import type { Transport } from './transport.js';

// The schemas load on the first response, by a dynamic import the virtual clock cannot see as work in progress.
beforeAll(() => loadValidation());

const client = (transport: Transport, clock = new VirtualClock()) => testClient(transport, clock);

describe('listJobs', () => {
  const wireJob = (n: number) => ({
    id: `uuid-${n}`,
    name: `job ${n}`,
    type: n % 2 ? 'Manual Object detection' : 'Manual Image classify',
    dls_prj_id: 280 + n,
    progress: '40',
    progress_detail: { total_count: '10', has_tag_count: 4, not_tag_count: '6' },
    data_type: 0,
  });

  it('normalises entries: annotationId as a string, jobId the UUID, job type, counts as numbers', async () => {
    const transport = scriptedTransport(() =>
      json(200, { is_success: true, job_total_count: 2, jobs: [wireJob(0), { ...wireJob(1), type: 'Manual Text' }] }),
    );
    const jobs = await client(transport).listAllJobs();
    expect(jobs[0]).toEqual({
      annotationId: '280',
      jobId: 'uuid-0',
      name: 'job 0',
      type: 'classification',
      progress: 40,
      counts: { total: 10, tagged: 4, untagged: 6 },
      extra: { data_type: 0 },
    });
    expect(jobs[1]!.type).toBe('Manual Text');
    expect(transport.seen).toHaveLength(1);
  });

  it('pages by offset (the page index) and limit until a short page, with search and sort in the query', async () => {
    const all = Array.from({ length: 5 }, (_, n) => wireJob(n));
    const transport = scriptedTransport((request) => {
      const query = queryOf(request);
      const offset = Number(query.get('offset'));
      const limit = Number(query.get('limit'));
      return json(200, { is_success: true, job_total_count: 5, jobs: all.slice(offset * limit, (offset + 1) * limit) });
    });
    const jobs = await collect(client(transport).listJobs({ perPage: 2, search: 'job', sortBy: 'name', order: 'desc' }));
    expect(jobs.map((job) => job.annotationId)).toEqual(['280', '281', '282', '283', '284']);
    expect(transport.seen.map((r) => queryOf(r).get('offset'))).toEqual(['0', '1', '2']);
    expect(Object.fromEntries(queryOf(transport.seen[0]!))).toEqual({
      offset: '0',
      limit: '2',
      search_content: 'job',
      sort_by: 'name',
      order: 'desc',
    });
  });

  it('refuses bad options before any request', () => {
    const transport = scriptedTransport(() => json(200, {}));
    const c = client(transport);
    expect(() => c.listJobs({ perPage: 101 })).toThrow(ConfigurationError);
    expect(() => c.listJobs({ sortBy: 'size' as 'name' })).toThrow(/sortBy/);
    expect(() => c.listJobs({ pageSize: 10 } as never)).toThrow(/no option "pageSize"/);
    expect(transport.seen).toHaveLength(0);
  });
});

describe('listImages paging', () => {
  const list = (transport: Transport, params = {}, options = {}) =>
    collect(client(transport).listImages({ annotationId: '7', ...params }, { perPage: 100, ...options }));

  it('an empty job: one request, no images', async () => {
    const transport = scriptedTransport((request) => imagePage(request, []));
    expect(await list(transport)).toEqual([]);
    expect(transport.seen).toHaveLength(1);
    expect(routeOf(transport.seen[0]!)).toBe('/data-annotations/7/images');
  });

  it('a last page exactly full: asks for the page past the end, which is empty, and stops', async () => {
    const transport = scriptedTransport((request) => imagePage(request, ids(200)));
    const images = await list(transport);
    expect(images.map((image) => image.imageId)).toEqual(ids(200));
    expect(transport.seen.map((r) => queryOf(r).get('page'))).toEqual(['0', '1', '2']);
  });

  it('stops at a short page without asking further', async () => {
    const transport = scriptedTransport((request) => imagePage(request, ids(150)));
    expect(await list(transport)).toHaveLength(150);
    expect(transport.seen).toHaveLength(2);
  });

  it('gives each image once when the listing shifts and a page repeats entries of the one before', async () => {
    const pages = [ids(3), ['img-1', 'img-2', 'img-3'], ['img-3', 'img-4']];
    const transport = scriptedTransport((request) => {
      const entries = pages[Number(queryOf(request).get('page'))] ?? [];
      return json(200, { is_success: true, images: [...entries, ...entries.slice(0, 1)].map((image_id) => ({ image_id })) });
    });
    const images = await list(transport, {}, { perPage: 3 });
    expect(images.map((image) => image.imageId)).toEqual(ids(5));
  });

  it('throws IncompleteListingError after the images it listed when the count says more exist', async () => {
    const transport = scriptedTransport((request) => imagePage(request, ids(120), 150));
    const seen: string[] = [];
    const error = await (async () => {
      for await (const image of client(transport).listImages({ annotationId: '7' })) seen.push(image.imageId);
    })().catch((e: unknown) => e);
    expect(seen).toHaveLength(120);
    expect(error).toBeInstanceOf(IncompleteListingError);
    expect(error).toMatchObject({ listed: 120, expected: 150 });
  });

  it('refuses a service that ignores the page index instead of looping', async () => {
    const transport = scriptedTransport(() => json(200, { is_success: true, images: ids(2).map((image_id) => ({ image_id })) }));
    await expect(list(transport, {}, { perPage: 2 })).rejects.toThrow(InvalidResponseError);
    expect(transport.seen).toHaveLength(2);
  });

  it('fetches at most one page ahead of the consumer', async () => {
    const transport = scriptedTransport((request) => imagePage(request, ids(1000)));
    const iterator = client(transport).listImages({ annotationId: '7' }, { perPage: 10 });
    await iterator.next();
    await new Promise((resolve) => setImmediate(resolve));
    expect(transport.seen).toHaveLength(2);
    await iterator.return(undefined);
  });

  it('selects by tag, untagged (tag_name __none__) or every tagged image', async () => {
    const transport = scriptedTransport((request) => imagePage(request, []));
    await list(transport, { tag: 'rose' });
    await list(transport, { untagged: true });
    await list(transport);
    expect(transport.seen.map((r) => queryOf(r).get('tag_name'))).toEqual(['rose', '__none__', null]);
  });

  it('keeps the tags a listing carries, typed as getImageTags types them', async () => {
    const transport = scriptedTransport(() =>
      json(200, {
        is_success: true,
        images: [{ image_id: 'a', url: 'obs://b/a.jpg', tags: [{ tag: 'car', pos: [1, 2, 3, 4] }], size: [10, 10] }],
      }),
    );
    const [image] = await list(transport);
    expect(image).toMatchObject({
      imageId: 'a',
      url: 'obs://b/a.jpg',
      tags: { type: 'detection', tags: [{ tag: 'car', box: { xmin: 1, ymin: 2, xmax: 3, ymax: 4 } }] },
    });
  });

  it('refuses bad input before any request', () => {
    const transport = scriptedTransport(() => json(200, {}));
    const c = client(transport);
    expect(() => c.listImages({ annotationId: '7' }, { perPage: 0 })).toThrow(ConfigurationError);
    expect(() => c.listImages({ annotationId: '7' }, { perPage: 101 })).toThrow(/perPage must be an integer from 1 to 100/);
    expect(() => c.listImages({ annotationId: '7', tag: 'a', untagged: true } as never)).toThrow(/either tag or untagged/);
    expect(() => c.listImages({ annotationId: '7', tag: ' ' })).toThrow(InputValidationError);
    expect(() => c.listImages({ annotationId: '../x' })).toThrow(InputValidationError);
    expect(() => c.listImages({ annotationId: '7' }, { pageSize: 3 } as never)).toThrow(/no option "pageSize"/);
    expect(transport.seen).toHaveLength(0);
  });

  it('retries a failed page, and ends with a fatal error as it is', async () => {
    const flaky = scriptedTransport((request, attempt) => (attempt === 1 ? json(503, {}) : imagePage(request, ids(5))));
    const clock = new VirtualClock();
    expect(await clock.run(collect(client(flaky, clock).listImages({ annotationId: '7' })))).toHaveLength(5);
    expect(flaky.seen).toHaveLength(2);
    const missing = scriptedTransport(() => json(404, { error_code: 'ModelArts.4104', error_msg: 'The annotation job does not exist.' }));
    await expect(list(missing)).rejects.toThrow(NotFoundError);
    expect(missing.seen).toHaveLength(1);
  });
});
