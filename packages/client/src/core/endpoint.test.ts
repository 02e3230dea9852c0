import { describe, expect, it } from 'vitest';
import { ConfigurationError } from './errors.js';
import { resolveEndpoint } from './endpoint.js';
import { assertProjectId } from './ids.js';

describe('resolveEndpoint', () => {
  it('maps a region to the public endpoint', () => {
    expect(resolveEndpoint({ region: 'cn-north-4' })).toBe('https://modelarts.cn-north-4.myhuaweicloud.com');
    expect(resolveEndpoint({ region: 'ap-southeast-1' })).toBe('https://modelarts.ap-southeast-1.myhuaweicloud.com');
  });

  it('prefers an explicit endpoint and drops a trailing slash, keeping a path prefix', () => {
    expect(resolveEndpoint({ region: 'cn-north-4', endpoint: 'https://proxy.example.com/modelarts/' })).toBe(
      'https://proxy.example.com/modelarts',
    );
  });

  it('allows plain HTTP only to loopback, unless opted in', () => {
    expect(resolveEndpoint({ endpoint: 'http://127.0.0.1:8080' })).toBe('http://127.0.0.1:8080');
    expect(resolveEndpoint({ endpoint: 'http://localhost:1' })).toBe('http://localhost:1');
    expect(resolveEndpoint({ endpoint: 'http://[::1]:1' })).toBe('http://[::1]:1');
    expect(() => resolveEndpoint({ endpoint: 'http://modelarts.internal:80' })).toThrow(/plain HTTP.*allowInsecureHttp/);
    expect(resolveEndpoint({ endpoint: 'http://modelarts.internal:8080', allowInsecureHttp: true })).toBe('http://modelarts.internal:8080');
  });

  it('rejects what cannot be an endpoint, saying what to use', () => {
    expect(() => resolveEndpoint({})).toThrow(ConfigurationError);
    expect(() => resolveEndpoint({ region: 'north' })).toThrow(/cn-north-4/);
    expect(() => resolveEndpoint({ endpoint: 'modelarts' })).toThrow(/not a URL/);
    expect(() => resolveEndpoint({ endpoint: 'ftp://x' })).toThrow(/http\(s\)/);
    expect(() => resolveEndpoint({ endpoint: 'https://user:pw@x' })).toThrow(/user name or password/);
  });
});

describe('assertProjectId', () => {
  it('accepts a project ID and rejects a path-breaking one', () => {
    expect(assertProjectId('a4a5d4098fb4474fa22cd05f897d6b99')).toBe('a4a5d4098fb4474fa22cd05f897d6b99');
    expect(() => assertProjectId('a/b')).toThrow(/API Credentials/);
    expect(() => assertProjectId(undefined)).toThrow(ConfigurationError);
  });
});
