import { ConfigurationError } from '@modelarts-kit/client';
import { describe, expect, it } from 'vitest';
import { openTarget, partialConfigurationHint, wantsRealService } from './connection.js';

const PROJECT = '0123456789abcdef0123456789abcdef';

describe('wantsRealService', () => {
  it('is false with nothing configured, or only an ambient region or project', () => {
    expect(wantsRealService({}, {})).toBe(false);
    expect(wantsRealService({}, { HUAWEICLOUD_SDK_REGION_ID: 'cn-north-4', HUAWEICLOUD_SDK_PROJECT_ID: PROJECT })).toBe(false);
  });

  it('is true with credentials, an endpoint, or any connection flag', () => {
    expect(wantsRealService({}, { MODELARTS_TOKEN: 't' })).toBe(true);
    expect(wantsRealService({}, { HUAWEICLOUD_SDK_AK: 'a' })).toBe(true);
    expect(wantsRealService({}, { MODELARTS_ENDPOINT: 'https://x.test' })).toBe(true);
    expect(wantsRealService({ region: 'cn-north-4' }, {})).toBe(true);
    expect(wantsRealService({ projectId: PROJECT }, {})).toBe(true);
  });
});

describe('openTarget', () => {
  it('builds an AK/SK client from the environment and describes it without the secret', async () => {
    const secret = 'sk-very-secret-value';
    const target = await openTarget(
      {},
      {
        HUAWEICLOUD_SDK_AK: 'AKID',
        HUAWEICLOUD_SDK_SK: secret,
        HUAWEICLOUD_SDK_REGION_ID: 'cn-north-4',
        HUAWEICLOUD_SDK_PROJECT_ID: PROJECT,
      },
    );
    expect(target.emulator).toBeUndefined();
    expect(target.client.endpoint).toBe('https://modelarts.cn-north-4.myhuaweicloud.com');
    expect(target.description).toBe(
      `https://modelarts.cn-north-4.myhuaweicloud.com (project ${PROJECT}, AK/SK from HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK)`,
    );
    expect(JSON.stringify(target.client)).not.toContain(secret);
  });

  it('lets flags win over the environment, and a --region flag over an endpoint variable', async () => {
    const env = { MODELARTS_TOKEN: 't', MODELARTS_ENDPOINT: 'https://proxy.example.test', HUAWEICLOUD_SDK_PROJECT_ID: 'f'.repeat(32) };
    const byRegion = await openTarget({ region: 'ap-southeast-1', projectId: PROJECT }, env);
    expect(byRegion.client.endpoint).toBe('https://modelarts.ap-southeast-1.myhuaweicloud.com');
    expect(byRegion.client.projectId).toBe(PROJECT);
    const byEndpoint = await openTarget({ endpoint: 'http://127.0.0.1:9' }, env, { batchSize: 7 });
    expect(byEndpoint.client.endpoint).toBe('http://127.0.0.1:9');
    expect(byEndpoint.description).toContain('the token from MODELARTS_TOKEN');
  });

  it('says which variable or flag is missing', async () => {
    const attempt = openTarget({}, { MODELARTS_TOKEN: 't' });
    await expect(attempt).rejects.toThrow(ConfigurationError);
    await expect(openTarget({}, { MODELARTS_TOKEN: 't' })).rejects.toThrow(/HUAWEICLOUD_SDK_PROJECT_ID.*--project-id/s);
  });

  it('starts the embedded emulator when nothing is configured', async () => {
    const target = await openTarget({}, {});
    try {
      expect(target.emulator?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const result = await target.client.getImageTags({
        annotationId: '282',
        imageIds: target.emulator!.jobs.classification.imageIds.slice(0, 3),
      });
      expect(result.images).toHaveLength(3);
    } finally {
      await target.close();
    }
  });
});

describe('partialConfigurationHint', () => {
  it('names what is set when credentials are missing', () => {
    expect(partialConfigurationHint({})).toBeUndefined();
    expect(partialConfigurationHint({ HUAWEICLOUD_SDK_REGION_ID: 'cn-north-4' })).toBe(
      'HUAWEICLOUD_SDK_REGION_ID is set, but no credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (or MODELARTS_TOKEN) to use ModelArts',
    );
  });
});
