import { describe, expect, it } from 'vitest';
import {
  AbortError,
  AuthProviderError,
  type AuthStrategy,
  DeadlineExceededError,
  ModelArtsClient,
  type ModelArtsClientOptions,
  type ModelArtsError,
  TimeoutError,
  type Transport,
} from '../../src/index.js';
import { scriptedTransport, tagsResponse } from '../support/scripted-transport.js';
import { VirtualClock } from '../support/virtual-clock.js';

// Every function of the caller that the client awaits (token provider, auth
// strategy, transport, the body it returns) runs under the attempt's
// timeout, the call's deadline and the caller's signal; one that fails is
// reported as what it is, not as a network failure.

const TIMEOUT = 5_000;
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

function client(clock: VirtualClock, options: Partial<ModelArtsClientOptions>): ModelArtsClient {
  return new ModelArtsClient({
    endpoint: 'https://modelarts.example.test',
    projectId: '0123456789abcdef0123456789abcdef',
    auth: { token: 'user-functions-token' },
    transport: scriptedTransport(({ imageIds }) => tagsResponse(imageIds)),
    runtime: clock,
    timeoutMs: TIMEOUT,
    maxRetries: 1,
    ...options,
  });
}

async function failureOf(clock: VirtualClock, c: ModelArtsClient, options = {}): Promise<ModelArtsError> {
  const result = await clock.run(c.getImageTags({ annotationId: '1', imageIds: ['a', 'b'] }, { onError: 'collect', ...options }));
  expect(result.failed.map((f) => f.imageId)).toEqual(['a', 'b']);
  return result.failed[0]!.error;
}

const hung: Record<string, Partial<ModelArtsClientOptions>> = {
  'a token provider': { auth: () => never<string>() },
  'a token provider given as { token }': { auth: { token: () => never<string>() } },
  'an auth strategy': { auth: { kind: 'custom', authorize: () => never<Record<string, string>>() } },
  'a transport that ignores its signal': { transport: () => never() },
  'a body that never ends': {
    transport: async () => ({ status: 200, headers: { get: () => null }, text: () => never<string>() }),
  },
};

describe('a user function that never settles', () => {
  for (const [what, options] of Object.entries(hung)) {
    it(`${what}: a TimeoutError after timeoutMs per attempt, retried like a hung server`, async () => {
      const clock = new VirtualClock(undefined, () => 0);
      const start = clock.time;
      const error = await failureOf(clock, client(clock, options));
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error.attempts).toBe(2);
      expect(clock.time - start).toBe(2 * TIMEOUT);
    });

    it(`${what}: a DeadlineExceededError at deadlineMs`, async () => {
      const clock = new VirtualClock(undefined, () => 0);
      const start = clock.time;
      const error = await failureOf(clock, client(clock, { ...options, timeoutMs: 60_000 }), { deadlineMs: 1_500 });
      expect(error).toBeInstanceOf(DeadlineExceededError);
      expect(clock.time - start).toBe(1_500);
    });

    it(`${what}: an AbortError when the caller's signal fires`, async () => {
      const clock = new VirtualClock(undefined, () => 0);
      const controller = new AbortController();
      const pending = failureOf(clock, client(clock, { ...options, timeoutMs: 60_000 }), { signal: controller.signal });
      void clock.sleep(700).then(() => controller.abort());
      const start = clock.time;
      const error = await pending;
      expect(error).toBeInstanceOf(AbortError);
      expect(clock.time - start).toBe(700);
    });
  }
});

describe('a token provider or auth strategy that fails', () => {
  const failing: Record<string, ModelArtsClientOptions['auth']> = {
    'a token provider that throws': () => {
      throw new TypeError('cannot read the vault at https://vault.example/v1/secret?token=provider-secret-7d1c');
    },
    'a token provider that rejects': async () => {
      throw Object.assign(new Error('refresh failed for provider-secret-7d1c'), { code: 'ECONNREFUSED' });
    },
    'an auth strategy that throws': {
      kind: 'vault',
      authorize: () => {
        throw new RangeError('provider-secret-7d1c is not a valid key');
      },
    } satisfies AuthStrategy,
    'an auth strategy that returns no headers': { kind: 'vault', authorize: () => null as unknown as Record<string, string> },
  };
  for (const [what, auth] of Object.entries(failing)) {
    it(`${what}: a fatal AuthProviderError, not retried, nothing sent, its message not quoted`, async () => {
      const clock = new VirtualClock();
      const transport = scriptedTransport(({ imageIds }) => tagsResponse(imageIds));
      const c = client(clock, { auth, transport, maxRetries: 3 });
      const result = await clock.run(
        c.getImageTags({ annotationId: '1', imageIds: ['a', 'b', 'c'] }, { onError: 'collect', batchSize: 1, concurrency: 1 }),
      );
      expect(transport.seen).toEqual([]);
      expect(result.failed).toHaveLength(3);
      const error = result.failed[0]!.error;
      expect(error.name).toBe(what.includes('no headers') ? 'ConfigurationError' : 'AuthProviderError');
      expect(error.fatal).toBe(true);
      expect(error.retryable).toBe(false);
      expect(error.attempts).toBe(1);
      expect(error.message).not.toMatch(/Could not reach/);
      expect(error.message).not.toContain('provider-secret-7d1c');
      expect(result.failed.every((f) => f.error === error)).toBe(true);
    });
  }

  it('names the failing function and the kind of error, and keeps the error as the cause', async () => {
    const clock = new VirtualClock();
    const c = client(clock, {
      auth: async () => {
        throw Object.assign(new Error('vault down'), { code: 'ECONNREFUSED' });
      },
    });
    const error = await failureOf(clock, c);
    expect(error).toBeInstanceOf(AuthProviderError);
    expect(error.message).toMatch(/^The token provider failed \(Error ECONNREFUSED\), so the request was not sent/);
    expect((error.cause as Error).message).toBe('vault down');
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('a transport that throws stays a ConnectionError, retried (the control)', async () => {
    const clock = new VirtualClock(undefined, () => 0);
    const transport: Transport = async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    };
    const error = await failureOf(clock, client(clock, { transport }));
    expect(error.name).toBe('ConnectionError');
    expect(error.attempts).toBe(2);
  });
});
