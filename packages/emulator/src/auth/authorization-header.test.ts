import { describe, expect, it } from 'vitest';
import { parseAuthorizationHeader } from './authorization-header.js';

describe('parseAuthorizationHeader', () => {
  it('reads the plain form', () => {
    expect(parseAuthorizationHeader('SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-sdk-date, Signature=abc')).toEqual({
      algorithm: 'SDK-HMAC-SHA256',
      accessKey: 'AK1',
      signedHeaders: ['host', 'x-sdk-date'],
      signature: 'abc',
    });
  });

  it('reads the derived form with its scope', () => {
    expect(
      parseAuthorizationHeader('V11-HMAC-SHA256 Credential=AK1/20240102/cn-north-4/modelarts, SignedHeaders=host, Signature=ff'),
    ).toEqual({
      algorithm: 'V11-HMAC-SHA256',
      accessKey: 'AK1',
      scope: { date: '20240102', region: 'cn-north-4', service: 'modelarts' },
      signedHeaders: ['host'],
      signature: 'ff',
    });
  });

  it.each([
    ['another scheme', 'Bearer secret-token-value'],
    ['no signature', 'SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host'],
    ['no access key', 'SDK-HMAC-SHA256 SignedHeaders=host, Signature=ab'],
    ['a short credential', 'V11-HMAC-SHA256 Credential=AK1/20240102, SignedHeaders=host, Signature=ab'],
    ['nothing', ''],
  ])('explains what is wrong with %s, without quoting it', (_, header) => {
    const result = parseAuthorizationHeader(header);
    expect(result).toHaveProperty('invalid');
    expect((result as { invalid: string }).invalid).not.toContain('secret-token-value');
  });
});
