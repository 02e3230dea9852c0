import { describe, expect, it } from 'vitest';
import { apiErrorFor } from '../../core/api-errors.js';
import { ConnectionError, InvalidResponseError, type ModelArtsError, TimeoutError, UnsuccessfulResponseError } from '../../core/errors.js';
import { provablyNotProcessed, retryRule } from './safety.js';

const connection = (code: string, nested = false): ConnectionError => {
  const socket = Object.assign(new Error(`connect ${code}`), { code });
  return new ConnectionError('no answer', { cause: nested ? new TypeError('fetch failed', { cause: socket }) : socket });
};

describe('retry rule per operation', () => {
  const turnedAway: [string, ModelArtsError][] = [
    ['429', apiErrorFor({ status: 429 })],
    ['503', apiErrorFor({ status: 503 })],
    ['is_success false, throttled', new UnsuccessfulResponseError({ status: 200, errorCode: 'ModelArts.6101' })],
    ['a refused connection', connection('ECONNREFUSED')],
    ['a refused connection under fetch', connection('ECONNREFUSED', true)],
    ['an unknown host', connection('ENOTFOUND', true)],
  ];
  const ambiguous: [string, ModelArtsError][] = [
    ['a timeout', new TimeoutError('slow')],
    ['a reset', connection('ECONNRESET', true)],
    ['a connection error without a code', new ConnectionError('no answer', { cause: new Error('socket hang up') })],
    ['500', apiErrorFor({ status: 500 })],
    ['502', apiErrorFor({ status: 502 })],
    ['504', apiErrorFor({ status: 504 })],
    ['408', apiErrorFor({ status: 408 })],
    ['a truncated body', new InvalidResponseError('cut', { status: 200, truncated: true })],
    ['is_success false, internal error', new UnsuccessfulResponseError({ status: 200, errorCode: 'ModelArts.6102' })],
  ];

  it('an operation that is not idempotent retries only what proves the request was not acted on', () => {
    const mayRetry = retryRule('not-idempotent');
    for (const [what, error] of turnedAway) expect([what, mayRetry(error), provablyNotProcessed(error)]).toEqual([what, true, true]);
    for (const [what, error] of ambiguous) expect([what, mayRetry(error)]).toEqual([what, false]);
  });

  it('an idempotent operation retries every retryable failure, and nothing else', () => {
    const mayRetry = retryRule('idempotent');
    for (const [what, error] of [...turnedAway, ...ambiguous]) expect([what, mayRetry(error)]).toEqual([what, error.retryable]);
    expect(mayRetry(apiErrorFor({ status: 400 }))).toBe(false);
    expect(retryRule('not-idempotent')(apiErrorFor({ status: 404 }))).toBe(false);
  });
});
