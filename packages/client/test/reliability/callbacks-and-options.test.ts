import { describe, expect, it } from 'vitest';
import {
  CallbackError,
  ConfigurationError,
  type ImageTagsBatch,
  type ImageTagsResult,
  ModelArtsClient,
  type ModelArtsClientOptions,
  type Progress,
} from '../../src/index.js';
import { json, scriptedTransport, tagsResponse } from '../support/scripted-transport.js';
import { rejection } from '../support/rejection.js';

// What a careless caller can hand the client: callbacks that throw, and
// options of the wrong kind. A callback that throws never changes what was
// fetched; a wrong option is refused before anything is sent.

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `img-${i}`);
const boom = new TypeError('progress bar detached');

function client(options: Partial<ModelArtsClientOptions> = {}) {
  const transport = scriptedTransport(({ imageIds }) => tagsResponse(imageIds));
  const c = new ModelArtsClient({
    endpoint: 'https://modelarts.example.test',
    projectId: '0123456789abcdef0123456789abcdef',
    auth: { token: 'callbacks-token' },
    transport,
    ...options,
  });
  return { c, transport };
}

describe('an onProgress that throws stops the call with a CallbackError carrying everything fetched', () => {
  it('thrown once mid-run: the fetched IDs stay found, the rest fail with it, progress never passes what was settled', async () => {
    const { c, transport } = client();
    const seen: Progress[] = [];
    const error = await rejection(() =>
      c.getImageTags(
        { annotationId: '1', imageIds: ids(3_000) },
        {
          batchSize: 100,
          concurrency: 1,
          onProgress: (progress) => {
            seen.push(progress);
            if (progress.done === 1_500) throw boom;
          },
        },
      ),
    );
    expect(error).toBeInstanceOf(CallbackError);
    const { result, callback, cause, fatal } = error as CallbackError<ImageTagsResult>;
    expect([callback, cause, fatal]).toEqual(['onProgress', boom, true]);
    expect((error as CallbackError).message).toMatch(
      /^The onProgress callback threw \(TypeError: progress bar detached\); the call stopped/,
    );
    expect(result!.images.map((i) => i.imageId)).toEqual(ids(1_500));
    expect(result!.failed.map((f) => f.imageId)).toEqual(ids(3_000).slice(1_500));
    expect(result!.failed.every((f) => f.error === error)).toBe(true);
    // Called no more once it threw; nothing further was sent.
    expect(seen.map((p) => p.done)).toEqual(Array.from({ length: 15 }, (_, k) => (k + 1) * 100));
    expect(transport.seen).toHaveLength(15);
  });

  it('thrown once with requests in flight: every ID once, none fetched lost, progress within the total', async () => {
    const { c } = client();
    const seen: number[] = [];
    let threw = false;
    const error = (await rejection(() =>
      c.getImageTags(
        { annotationId: '1', imageIds: ids(3_000) },
        {
          batchSize: 100,
          concurrency: 8,
          onProgress: ({ done, total }) => {
            seen.push(done);
            expect(total).toBe(3_000);
            if (done >= 1_000 && !threw) {
              threw = true;
              throw boom;
            }
          },
        },
      ),
    )) as CallbackError<ImageTagsResult>;
    expect(error).toBeInstanceOf(CallbackError);
    const { images, missing, failed } = error.result!;
    const accounted = [...images.map((i) => i.imageId), ...missing, ...failed.map((f) => f.imageId)];
    expect(accounted.sort()).toEqual(ids(3_000).sort());
    expect(images.length).toBeGreaterThanOrEqual(seen.at(-1)!);
    expect(failed.every((f) => f.error === error)).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(Math.max(...seen)).toBeLessThanOrEqual(3_000);
  });

  it('thrown on every call: a CallbackError, never the raw error, and the first batch is kept', async () => {
    const { c } = client();
    let calls = 0;
    const error = await rejection(() =>
      c.getImageTags(
        { annotationId: '1', imageIds: ids(300) },
        {
          batchSize: 100,
          onProgress: () => {
            calls++;
            throw boom;
          },
        },
      ),
    );
    expect(error).toBeInstanceOf(CallbackError);
    expect(calls).toBe(1);
    expect((error as CallbackError<ImageTagsResult>).result!.images.map((i) => i.imageId)).toEqual(ids(100));
  });

  it('the iterator yields the batches settled, then throws the CallbackError', async () => {
    const { c } = client();
    const batches: ImageTagsBatch[] = [];
    const error = await rejection(async () => {
      for await (const batch of c.iterateImageTags(
        { annotationId: '1', imageIds: ids(500) },
        {
          batchSize: 100,
          concurrency: 1,
          onProgress: ({ done }) => {
            if (done === 200) throw boom;
          },
        },
      )) {
        batches.push(batch);
      }
    });
    expect(error).toBeInstanceOf(CallbackError);
    expect(batches.flatMap((b) => b.images.map((i) => i.imageId))).toEqual(ids(200));
    expect(batches.flatMap((b) => b.failed.map((f) => f.imageId))).toEqual(ids(500).slice(200));
    expect(batches.at(-1)!.done).toBe(500);
  });
});

describe('a logger that throws', () => {
  it('changes nothing: the retries and the result are those of a call without a logger', async () => {
    const flaky = () =>
      scriptedTransport(({ imageIds }, attempt) => (attempt === 1 ? json(503, {}, { 'retry-after': '0' }) : tagsResponse(imageIds)));
    const withLogger = flaky();
    const throwing = () => {
      throw new Error('log sink closed');
    };
    const options = { runtime: { random: () => 0 }, maxRetries: 2 };
    const logged = await client({ ...options, transport: withLogger, logger: { debug: throwing, warn: throwing } }).c.getImageTags({
      annotationId: '1',
      imageIds: ids(3),
    });
    const plain = await client({ ...options, transport: flaky() }).c.getImageTags({ annotationId: '1', imageIds: ids(3) });
    expect(logged.images).toEqual(plain.images);
    expect(withLogger.seen).toHaveLength(2);
  });
});

describe('every option is checked before anything is sent', () => {
  const calls: [string, Record<string, unknown> | null, RegExp][] = [
    ['onError', { onError: 'bogus' }, /onError must be 'throw' or 'collect', not "bogus"/],
    ['onError', { onError: true }, /onError must be 'throw' or 'collect', not true/],
    ['onProgress', { onProgress: 'log' }, /onProgress must be a function, not "log"/],
    ['signal', { signal: { aborted: 'no' } }, /signal must be an AbortSignal/],
    ['deadlineMs', { deadlineMs: -5 }, /deadlineMs must be an integer of at least 1/],
    ['options', null, /The options of getImageTags must be an object, not null/],
    [
      'option name',
      { batchsize: 50 },
      /getImageTags has no option "batchsize"; it takes signal, timeoutMs, deadlineMs, maxRetries, batchSize/,
    ],
  ];
  for (const [what, options, message] of calls) {
    it(`getImageTags and iterateImageTags refuse a bad ${what}`, async () => {
      const { c, transport } = client();
      const call = await rejection(() => c.getImageTags({ annotationId: '1', imageIds: ['a'] }, options as never));
      expect(call).toBeInstanceOf(ConfigurationError);
      expect((call as Error).message).toMatch(message);
      const iterated = await rejection(async () => {
        for await (const _ of c.iterateImageTags({ annotationId: '1', imageIds: ['a'] }, options as never));
      });
      expect(iterated).toBeInstanceOf(ConfigurationError);
      expect(transport.seen).toEqual([]);
    });
  }

  it('iterateImageTags refuses onError, which it does not take, naming what it takes', async () => {
    const { c, transport } = client();
    const iterated = await rejection(async () => {
      for await (const _ of c.iterateImageTags({ annotationId: '1', imageIds: ['a'] }, { onError: 'collect' } as never));
    });
    expect(iterated).toBeInstanceOf(ConfigurationError);
    expect((iterated as Error).message).toBe(
      'iterateImageTags has no option "onError"; it takes signal, timeoutMs, deadlineMs, maxRetries, batchSize, concurrency, onProgress',
    );
    expect(transport.seen).toEqual([]);
  });

  const clients: [string, Partial<ModelArtsClientOptions>, RegExp][] = [
    ['logger', { logger: 'console' as never }, /logger must be an object/],
    ['logger.warn', { logger: { warn: 'yes' as never } }, /logger.warn must be a function/],
    ['transport', { transport: 'fetch' as never }, /transport must be a function, not "fetch"/],
    ['runtime.now', { runtime: { now: 5 as never } }, /runtime.now must be a function, not 5/],
  ];
  for (const [what, options, message] of clients) {
    it(`the constructor refuses a bad ${what}`, () => {
      expect(() => client(options)).toThrow(ConfigurationError);
      expect(() => client(options)).toThrow(message);
    });
  }
});
