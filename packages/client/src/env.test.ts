import { describe, expect, it } from 'vitest';
import { clientFromEnv, configFromEnv } from './env.js';

const project = '0123456789abcdef0123456789abcdef';

describe('configFromEnv', () => {
  it('reads AK/SK with the official SDK names', () => {
    const options = configFromEnv({
      HUAWEICLOUD_SDK_AK: 'AK',
      HUAWEICLOUD_SDK_SK: 'SK',
      HUAWEICLOUD_SDK_SECURITY_TOKEN: 'STS',
      HUAWEICLOUD_SDK_PROJECT_ID: project,
      HUAWEICLOUD_SDK_REGION_ID: 'cn-north-4',
    });
    expect(options).toEqual({ projectId: project, region: 'cn-north-4', auth: { accessKey: 'AK', secretKey: 'SK', securityToken: 'STS' } });
  });

  it('reads a token and an explicit endpoint', () => {
    const options = configFromEnv({
      MODELARTS_TOKEN: 'tok',
      HUAWEICLOUD_SDK_PROJECT_ID: project,
      MODELARTS_ENDPOINT: 'http://127.0.0.1:9',
    });
    expect(options).toEqual({ projectId: project, endpoint: 'http://127.0.0.1:9', auth: { token: 'tok' } });
    expect(
      clientFromEnv({ MODELARTS_TOKEN: 'tok', HUAWEICLOUD_SDK_PROJECT_ID: project, MODELARTS_ENDPOINT: 'http://127.0.0.1:9' }).authKind,
    ).toBe('token');
  });

  it('names every missing variable, without echoing any secret', () => {
    expect(() => configFromEnv({})).toThrow(
      /HUAWEICLOUD_SDK_PROJECT_ID.*HUAWEICLOUD_SDK_REGION_ID.*MODELARTS_ENDPOINT.*HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK/,
    );
    let message = '';
    try {
      configFromEnv({
        HUAWEICLOUD_SDK_SK: 'SECRET-SENTINEL',
        HUAWEICLOUD_SDK_PROJECT_ID: project,
        HUAWEICLOUD_SDK_REGION_ID: 'cn-north-4',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/HUAWEICLOUD_SDK_AK/);
    expect(message).not.toContain('SECRET-SENTINEL');
  });
});
