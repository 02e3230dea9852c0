import { describe, expect, it } from 'vitest';
import { json, scriptedTransport } from '../../test/support/scripted-transport.js';
import { AuthenticationError, ModelArtsClient, ModelArtsCoreClient, ServerError } from '../index.js';
import { AbortError, ConfigurationError, ConnectionError, InputValidationError, TimeoutError } from './errors.js';
import { NotFoundError, PermissionDeniedError, RateLimitError } from './api-errors.js';

const projectId = '0123456789abcdef0123456789abcdef';
const entry = (imageId: string) => ({ image_id: imageId, tags: [`tag-of-${imageId}`] });

describe('per-ID outcomes', () => {
  it('gives one outcome per distinct ID, in input order, with the same facts as images, missing and failed', async () => {
    const transport = scriptedTransport(({ imageIds }) => {
      if (imageIds.includes('boom')) return json(500, { error_code: 'ModelArts.0001', error_msg: 'boom' });
      return json(200, { is_success: true, images_tags: imageIds.filter((id) => id !== 'gone').map(entry) });
    });
    const client = new ModelArtsClient({
      endpoint: 'https://modelarts.example.test',
      projectId,
      auth: { token: 'test-token' },
      transport,
      maxRetries: 0,
    });
    const result = await client.getImageTags(
      { annotationId: '1', imageIds: [' a', 'gone', 'boom', 'a', 'b'] },
      { batchSize: 1, onError: 'collect' },
    );
    expect(result.outcomes.map(({ imageId, status }) => [imageId, status])).toEqual([
      ['a', 'found'],
      ['gone', 'missing'],
      ['boom', 'failed'],
      ['b', 'found'],
    ]);
    const [a, , boom] = result.outcomes;
    expect(a).toEqual({ imageId: 'a', status: 'found', image: result.images[0] });
    expect(boom?.status === 'failed' && boom.error).toBeInstanceOf(ServerError);
    // Not enumerable: what the result serialises to is unchanged.
    expect(Object.keys(JSON.parse(JSON.stringify(result)))).toEqual(['jobType', 'images', 'missing', 'failed', 'requestIds']);
  });

  it('gives each streamed batch its outcomes too', async () => {
    const transport = scriptedTransport(({ imageIds }) => json(200, { is_success: true, images_tags: imageIds.slice(1).map(entry) }));
    const client = new ModelArtsClient({ endpoint: 'https://modelarts.example.test', projectId, auth: { token: 'test-token' }, transport });
    const statuses: string[][] = [];
    for await (const batch of client.iterateImageTags(
      { annotationId: '1', imageIds: ['a', 'b', 'c', 'd'] },
      { batchSize: 2, concurrency: 1 },
    )) {
      statuses.push(batch.outcomes.map(({ imageId, status }) => `${imageId}:${status}`));
    }
    expect(statuses).toEqual([
      ['a:missing', 'b:found'],
      ['c:missing', 'd:found'],
    ]);
  });
});

describe('the transport option', () => {
  it('takes the transport, and still the deprecated fetch, with transport winning when both are given', async () => {
    const used: string[] = [];
    const named = (name: string) =>
      scriptedTransport(({ imageIds }) => {
        used.push(name);
        return json(200, { is_success: true, images_tags: imageIds.map(entry) });
      });
    const base = {
      endpoint: 'https://modelarts.example.test',
      projectId,
      auth: { token: 'test-token' },
      // A real, cancellable sleep: the per-request timeout must not fire before the answer.
      runtime: {
        sleep: (ms: number, signal?: AbortSignal) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, ms);
            signal?.addEventListener(
              'abort',
              () => {
                clearTimeout(timer);
                resolve();
              },
              { once: true },
            );
          }),
      },
    };
    await new ModelArtsCoreClient({ ...base, transport: named('transport') }).getImageTags({ annotationId: '1', imageIds: ['a'] });
    await new ModelArtsCoreClient({ ...base, fetch: named('fetch') }).getImageTags({ annotationId: '1', imageIds: ['a'] });
    await new ModelArtsCoreClient({ ...base, transport: named('both: transport'), fetch: named('both: fetch') }).getImageTags({
      annotationId: '1',
      imageIds: ['a'],
    });
    expect(used).toEqual(['transport', 'fetch', 'both: transport']);
  });
});

describe('fatal beside retryable', () => {
  it('marks what would fail every other request too, and never what may be retried', () => {
    const fatal = [
      new AuthenticationError('x', { status: 401 }),
      new PermissionDeniedError('x', { status: 403 }),
      new NotFoundError('x', { status: 404 }),
      new ConfigurationError('x'),
      new InputValidationError('x'),
      new AbortError('x'),
    ];
    const notFatal = [
      new ServerError('x', { status: 503 }),
      new RateLimitError('x', { status: 429 }),
      new ConnectionError('x'),
      new TimeoutError('x'),
    ];
    for (const error of fatal) expect([error.name, error.fatal, error.retryable]).toEqual([error.name, true, false]);
    for (const error of notFatal) expect([error.name, error.fatal, error.retryable]).toEqual([error.name, false, true]);
  });

  it('stops sending after a fatal answer: the IDs not yet sent fail with it', async () => {
    const transport = scriptedTransport(() => json(401, { error_code: 'APIG.0301', error_msg: 'bad key' }));
    const client = new ModelArtsClient({ endpoint: 'https://modelarts.example.test', projectId, auth: { token: 'test-token' }, transport });
    const result = await client.getImageTags({ annotationId: '1', imageIds: ['a', 'b', 'c'] }, { batchSize: 1, onError: 'collect' });
    expect(transport.seen.length).toBe(1);
    expect(result.failed.map(({ error }) => error.fatal)).toEqual([true, true, true]);
  });
});
