import { describe, expect, it } from 'vitest';
import { abortSignalOf, CallStop } from './call-stop.js';

describe('CallStop', () => {
  it('calls each listener once, with the first reason, and then no more', () => {
    const stop = new CallStop();
    const calls: string[] = [];
    const kept = (): void => {
      calls.push('kept');
    };
    const removed = (): void => {
      calls.push('removed');
    };
    stop.addEventListener('abort', kept);
    stop.addEventListener('abort', removed);
    stop.removeEventListener('abort', removed);
    stop.abort('first');
    stop.abort('second');
    expect(calls).toEqual(['kept']);
    expect(stop).toMatchObject({ aborted: true, reason: 'first' });
    // A listener added after the abort is never called, as with an AbortSignal that already aborted.
    stop.addEventListener('abort', removed);
    stop.abort('third');
    expect(calls).toEqual(['kept']);
  });

  it('gives a real AbortSignal that follows it, made before or after the abort', () => {
    const before = new CallStop();
    const early = abortSignalOf(before);
    expect(early).toBeInstanceOf(AbortSignal);
    expect(early.aborted).toBe(false);
    before.abort('stopped');
    expect(early).toMatchObject({ aborted: true, reason: 'stopped' });

    const after = new CallStop();
    after.abort('already');
    expect(abortSignalOf(after)).toMatchObject({ aborted: true, reason: 'already' });
  });

  it('passes a real AbortSignal through', () => {
    const { signal } = new AbortController();
    expect(abortSignalOf(signal)).toBe(signal);
  });
});
