import { describe, expect, it } from 'vitest';
import { json, scriptedTransport } from '../../test/support/scripted-transport.js';
import { ModelArtsClient, ServerError } from '../index.js';
import type { Transport } from './transport.js';

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `img-${i}`);
const entry = (imageId: string) => ({ image_id: imageId, tags: [`tag-of-${imageId}`] });

function client(fetch: Transport) {
  return new ModelArtsClient({
    endpoint: 'https://modelarts.example.test',
    projectId: '0123456789abcdef0123456789abcdef',
    auth: { token: 'test-token' },
    fetch,
    maxRetries: 0,
  });
}

/** A deterministic shuffle, so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('results follow the order of the input, whatever order the service answers in', () => {
  it('entries in request order, shuffled, with gaps, repeats and IDs nobody asked for', async () => {
    const all = ids(1_000);
    const absent = new Set(all.filter((_, i) => i % 7 === 3));
    const transport = scriptedTransport(({ imageIds }, attempt) => {
      const present = imageIds.filter((id) => !absent.has(id)).map(entry);
      // Odd requests answer in request order; even ones shuffled, with a repeat and a stranger.
      const images_tags = attempt % 2 === 1 ? present : [...shuffled(present, attempt), ...present.slice(0, 1), entry('not-asked-for')];
      return json(200, { is_success: true, images_tags });
    });
    const result = await client(transport).getImageTags({ annotationId: '1', imageIds: all }, { batchSize: 64, concurrency: 4 });
    expect(transport.seen.length).toBe(Math.ceil(1_000 / 64));
    expect(result.images.map((image) => image.imageId)).toEqual(all.filter((id) => !absent.has(id)));
    expect(result.images.every((image) => image.type === 'classification' && image.tags[0] === `tag-of-${image.imageId}`)).toBe(true);
    expect(result.missing).toEqual(all.filter((id) => absent.has(id)));
    expect(result.failed).toEqual([]);
  });

  it('keeps input order when batches split after a 400 and some fail for good', async () => {
    const all = ids(40);
    const transport = scriptedTransport(({ imageIds }) => {
      if (imageIds.length > 5) return json(400, { error_code: 'ModelArts.0104', error_msg: 'too many IDs' });
      if (imageIds.includes('img-17')) return json(500, { error_code: 'ModelArts.0001', error_msg: 'boom' });
      return json(200, { is_success: true, images_tags: [...imageIds].reverse().map(entry) });
    });
    const result = await client(transport).getImageTags(
      { annotationId: '1', imageIds: all },
      { batchSize: 16, concurrency: 3, onError: 'collect' },
    );
    const failedIds = result.failed.map((failure) => failure.imageId);
    expect(failedIds).toContain('img-17');
    for (const failure of result.failed) expect(failure.error).toBeInstanceOf(ServerError);
    expect(result.images.map((image) => image.imageId)).toEqual(all.filter((id) => !failedIds.includes(id)));
    expect([...result.images.map((image) => image.imageId), ...failedIds].sort()).toEqual([...all].sort());
    expect(result.missing).toEqual([]);
  });
});
