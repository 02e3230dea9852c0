import { beforeAll, describe, expect, it } from 'vitest';
import { routeOf } from '../../test/support/paged-replies.js';
import { json, scriptedTransport } from '../../test/support/scripted-transport.js';
import { testClient } from '../../test/support/test-client.js';
import { VirtualClock } from '../../test/support/virtual-clock.js';
import { InputValidationError, InvalidResponseError, UnsuccessfulResponseError } from '../index.js';
import { loadValidation } from '../internal/response/validation.js';
import type { Transport } from './transport.js';

// The schemas load on the first response, by a dynamic import the virtual clock cannot see as work in progress.
beforeAll(() => loadValidation());

const client = (transport: Transport, clock = new VirtualClock()) => testClient(transport, clock);
const answer = (body: object) => scriptedTransport(() => json(200, { is_success: true, ...body }));

describe('one-request reads', () => {
  it('getImageTag types classification and detection answers (detection ones carry no image_id)', async () => {
    const classification = answer({ image_id: 'a', tags: ['cat'] });
    expect(await client(classification).getImageTag('7', 'a')).toEqual({ type: 'classification', imageId: 'a', tags: ['cat'], extra: {} });
    expect(routeOf(classification.seen[0]!)).toBe('/data-annotations/7/images/a/tags');
    const detection = answer({ tags: [{ tag: 'car', pos: [9, 8, 1, 2] }], size: [640, 480] });
    expect(await client(detection).getImageTag('7', 'b')).toEqual({
      type: 'detection',
      imageId: 'b',
      tags: [{ tag: 'car', box: { xmin: 1, ymin: 2, xmax: 9, ymax: 8 }, extra: {} }],
      size: { width: 640, height: 480 },
      extra: {},
    });
  });

  it('getTagList and getTagStatistics', async () => {
    expect(await client(answer({ tags: ['rose', 'tulip'] })).getTagList('7')).toEqual(['rose', 'tulip']);
    const stats = answer({
      tag_count: [
        { tag: 'rose', count: 6 },
        { tag: 'tulip', count: 3 },
      ],
      tags_stat: [
        { has_tag: true, count: 8 },
        { has_tag: false, count: 2 },
      ],
    });
    expect(await client(stats).getTagStatistics('7')).toEqual({
      tags: [
        { tag: 'rose', count: 6 },
        { tag: 'tulip', count: 3 },
      ],
      tagged: 8,
      untagged: 2,
    });
    expect(routeOf(stats.seen[0]!)).toBe('/data-annotations/7/tags/stats');
  });

  it('getObsSyncStatus names the state', async () => {
    expect(await client(answer({ sync_status: 3 })).getObsSyncStatus('7')).toMatchObject({ state: 'running', code: 3 });
    await expect(client(answer({ sync_status: 7 })).getObsSyncStatus('7')).rejects.toMatchObject({ path: 'sync_status' });
    await expect(client(answer({})).getObsSyncStatus('7')).rejects.toThrow(/sync_status is missing/);
  });

  it('getValidation normalises images and tags; saveValidation sends the pass rate', async () => {
    const validation = answer({
      image_count: 1,
      images: [{ image_id: 'a', url: 'obs://b/a.jpg', tags: ['cat'] }],
      last_pass_rate: 92.5,
      last_validation_time: 1546934400000,
    });
    expect(await client(validation).getValidation('6b7c1a52-4d0e-4b55-9b39-2f6a0b1c9e11')).toEqual({
      imageCount: 1,
      images: [{ imageId: 'a', url: 'obs://b/a.jpg', tags: { type: 'classification', imageId: 'a', tags: ['cat'], extra: {} }, extra: {} }],
      lastPassRate: 92.5,
      lastValidationTime: 1546934400000,
    });
    const save = answer({});
    await client(save).saveValidation('job-1', 87.25);
    expect(save.seen[0]!.init.method).toBe('POST');
    expect(JSON.parse(save.seen[0]!.init.body!)).toEqual({ pass_rate: 87.25 });
    expect(routeOf(save.seen[0]!)).toBe('/annotation-jobs/job-1/validation');
  });

  it('treats is_success false as an error and names a malformed field', async () => {
    const refused = scriptedTransport(() => json(200, { is_success: false, error_code: 'ModelArts.4104', error_msg: 'no job' }));
    await expect(client(refused).getTagList('7')).rejects.toThrow(UnsuccessfulResponseError);
    const malformed = answer({ tag_count: [{ tag: 'rose', count: -1 }] });
    await expect(client(malformed).getTagStatistics('7')).rejects.toMatchObject({
      name: 'InvalidResponseError',
      path: 'tag_count[0].count',
    });
    const clock = new VirtualClock();
    const cut = scriptedTransport(() => new Response('{"is_success":true,"ta'));
    await expect(clock.run(client(cut, clock).getTagList('7'))).rejects.toMatchObject({ truncated: true, attempts: 4 });
    await expect(client(answer({ images: [{ image_id: 'a', tags: '[{' }] })).getValidation('j')).rejects.toThrow(InvalidResponseError);
  });

  it('retries a read after a 503', async () => {
    const clock = new VirtualClock();
    const transport = scriptedTransport((_, attempt) => (attempt === 1 ? json(503, {}) : json(200, { is_success: true, tags: [] })));
    expect(await clock.run(client(transport, clock).getTagList('7'))).toEqual([]);
    expect(transport.seen).toHaveLength(2);
  });

  it('refuses bad IDs, pass rates and options before any request', async () => {
    const transport = answer({});
    const c = client(transport);
    await expect(c.getImageTag('7', 'a/b')).rejects.toThrow(InputValidationError);
    await expect(c.getImageTag('x y', 'a')).rejects.toThrow(InputValidationError);
    await expect(c.getValidation('..')).rejects.toThrow(InputValidationError);
    await expect(c.saveValidation('j', 100.5)).rejects.toThrow(/passRate must be a number from 0 to 100/);
    await expect(c.saveValidation('j', Number.NaN)).rejects.toThrow(InputValidationError);
    await expect(c.getTagList('7', { timeout: 5 } as never)).rejects.toThrow(/no option "timeout"/);
    expect(transport.seen).toHaveLength(0);
  });
});
