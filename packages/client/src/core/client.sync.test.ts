import { beforeAll, describe, expect, it } from 'vitest';
import { routeOf } from '../../test/support/paged-replies.js';
import { json, type SeenRequest, scriptedTransport } from '../../test/support/scripted-transport.js';
import { testClient } from '../../test/support/test-client.js';
import { VirtualClock } from '../../test/support/virtual-clock.js';
import { CallbackError, DeadlineExceededError, type ObsSyncStatus, ObsSyncFailedError, TimeoutError } from '../index.js';
import { loadValidation } from '../internal/response/validation.js';
import type { Transport } from './transport.js';

// The schemas load on the first response, by a dynamic import the virtual clock cannot see as work in progress.
beforeAll(() => loadValidation());

const TIMEOUT = 5_000;
const client = (transport: Transport, clock = new VirtualClock()) => testClient(transport, clock, { timeoutMs: TIMEOUT });

/** Answers the start with `start` (attempt counted per start request) and each status read with the next of `statuses`. */
function service(statuses: number[], start: (attempt: number) => Response | 'hang' | Error = () => json(200, { is_success: true })) {
  let reads = 0;
  let starts = 0;
  const transport = scriptedTransport((request: SeenRequest) => {
    if (routeOf(request).endsWith('/obs/sync')) return start(++starts);
    const sync_status = statuses[Math.min(reads++, statuses.length - 1)];
    return json(200, { is_success: true, sync_status });
  });
  return Object.assign(transport, { starts: () => starts });
}

describe('syncFromObs', () => {
  it('starts the sync, then polls with doubling pauses until done', async () => {
    const clock = new VirtualClock();
    const transport = service([3, 3, 3, 1]);
    const status = await clock.run(client(transport, clock).syncFromObs('7', { pollIntervalMs: 1_000 }));
    expect(status).toMatchObject({ state: 'done', code: 1 });
    expect(transport.seen.map((r) => `${r.init.method} ${routeOf(r)}`)).toEqual([
      'POST /data-annotations/7/obs/sync',
      ...Array(4).fill('GET /data-annotations/7/obs/sync-status'),
    ]);
    expect(clock.backoffs(TIMEOUT)).toEqual([1_000, 2_000, 4_000]);
  });

  it('caps the pause at maxPollIntervalMs', async () => {
    const clock = new VirtualClock();
    const transport = service([3, 3, 3, 3, 3, 1]);
    await clock.run(client(transport, clock).syncFromObs('7', { pollIntervalMs: 1_000, maxPollIntervalMs: 3_000 }));
    expect(clock.backoffs(TIMEOUT)).toEqual([1_000, 2_000, 3_000, 3_000, 3_000]);
  });

  it('a failed sync (status 2) is an ObsSyncFailedError', async () => {
    const clock = new VirtualClock();
    await expect(clock.run(client(service([3, 2]), clock).syncFromObs('7'))).rejects.toThrow(ObsSyncFailedError);
  });

  it('a sync that never finishes ends at the deadline with a DeadlineExceededError naming its state', async () => {
    const clock = new VirtualClock();
    const error = await clock.run(client(service([3]), clock).syncFromObs('7', { deadlineMs: 60_000 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as Error).message).toMatch(/still running when deadlineMs ran out/);
    expect(clock.now() - Date.parse('2025-06-01T00:00:00Z')).toBeLessThanOrEqual(60_000);
  });

  it('without wait, returns the status right after starting', async () => {
    const clock = new VirtualClock();
    const transport = service([3]);
    expect(await clock.run(client(transport, clock).syncFromObs('7', { wait: false }))).toMatchObject({ state: 'running' });
    expect(transport.seen).toHaveLength(2);
  });

  it('retries the start after a 429 or a refused connection, which prove it was not acted on', async () => {
    const clock = new VirtualClock();
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    const transport = service([1], (attempt) =>
      attempt === 1 ? json(429, {}) : attempt === 2 ? refused : json(200, { is_success: true }),
    );
    await clock.run(client(transport, clock).syncFromObs('7'));
    expect(transport.starts()).toBe(3);
  });

  it('does not start again after a timeout: reads the status, and goes on if the sync is running', async () => {
    const clock = new VirtualClock();
    const transport = service([3, 1], () => 'hang');
    expect(await clock.run(client(transport, clock).syncFromObs('7'))).toMatchObject({ state: 'done' });
    expect(transport.starts()).toBe(1);
  });

  it('after an ambiguous failure with no sync running, throws the failure and starts nothing more', async () => {
    const clock = new VirtualClock();
    for (const start of [() => 'hang' as const, () => json(502, {}), () => Object.assign(new Error('reset'), { code: 'ECONNRESET' })]) {
      const transport = service([0], start);
      const error = await clock.run(client(transport, clock).syncFromObs('7')).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/may or may not have started/);
      expect(transport.starts()).toBe(1);
    }
    const timedOut = service([0], () => 'hang');
    await expect(clock.run(client(timedOut, clock).syncFromObs('7'))).rejects.toThrow(TimeoutError);
  });

  it('onStatus gets every status read, the failed one too, before the call ends', async () => {
    const clock = new VirtualClock();
    const seen: ObsSyncStatus[] = [];
    const done = await clock.run(client(service([3, 3, 1]), clock).syncFromObs('7', { onStatus: (status) => seen.push(status) }));
    expect(seen.map((status) => status.code)).toEqual([3, 3, 1]);
    expect(seen.at(-1)).toBe(done);

    const codes: number[] = [];
    const failed = clock.run(client(service([3, 2]), clock).syncFromObs('7', { onStatus: ({ code }) => codes.push(code) }));
    await expect(failed).rejects.toThrow(ObsSyncFailedError);
    expect(codes).toEqual([3, 2]);

    const once: number[] = [];
    await clock.run(client(service([3]), clock).syncFromObs('7', { wait: false, onStatus: ({ code }) => once.push(code) }));
    expect(once).toEqual([3]);
  });

  it('onStatus after an ambiguous start gets the status that showed the sync running', async () => {
    const clock = new VirtualClock();
    const codes: number[] = [];
    const transport = service([3, 1], () => 'hang');
    await clock.run(client(transport, clock).syncFromObs('7', { onStatus: ({ code }) => codes.push(code) }));
    expect(codes[0]).toBe(3);
    expect(codes.at(-1)).toBe(1);
    expect(transport.starts()).toBe(1);
  });

  it('a throwing onStatus stops the polling: CallbackError carrying the status, no further request', async () => {
    const clock = new VirtualClock();
    const transport = service([3, 3, 3, 1]);
    let calls = 0;
    const thrown = new Error('display gone');
    const error = await clock
      .run(
        client(transport, clock).syncFromObs('7', {
          onStatus: () => {
            if (++calls === 2) throw thrown;
          },
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallbackError);
    expect(error).toMatchObject({ callback: 'onStatus', cause: thrown, fatal: true, result: { state: 'running', code: 3 } });
    expect(calls).toBe(2);
    expect(transport.seen).toHaveLength(3);
  });

  it('refuses bad options before any request', async () => {
    const clock = new VirtualClock();
    const transport = service([1]);
    await expect(client(transport, clock).syncFromObs('7', { wait: 'yes' as never })).rejects.toThrow(/wait/);
    await expect(client(transport, clock).syncFromObs('7', { pollIntervalMs: 0 })).rejects.toThrow(/pollIntervalMs/);
    await expect(client(transport, clock).syncFromObs('7', { poll: 1 } as never)).rejects.toThrow(/no option "poll"/);
    await expect(client(transport, clock).syncFromObs('7', { onStatus: 'print' as never })).rejects.toThrow(/onStatus must be a function/);
    expect(transport.seen).toHaveLength(0);
  });
});
