import { expect } from 'vitest';
import { DEFAULT_PROJECT_ID, DEFAULT_TOKEN, type RunningEmulator } from '../../src/index.js';
import { send, type TestResponse } from './http.js';
import { responseSchemas } from './spec-schemas.js';

const schemas = responseSchemas();

/** Paths of the operations, for a project (the default one unless given). */
export const paths = (projectId = DEFAULT_PROJECT_ID) => {
  const job = (jobId: string) => `/v1/${projectId}/data-annotations/${jobId}`;
  return {
    jobs: `/v1/${projectId}/annotation-jobs`,
    validation: (uuid: string) => `/v1/${projectId}/annotation-jobs/${uuid}/validation`,
    images: (jobId: string) => `${job(jobId)}/images`,
    image: (jobId: string, imageId: string) => `${job(jobId)}/images/${imageId}`,
    imageTags: (jobId: string, imageId: string) => `${job(jobId)}/images/${imageId}/tags`,
    deleteImages: (jobId: string) => `${job(jobId)}/images/delete`,
    tags: (jobId: string) => `${job(jobId)}/tags`,
    tagsShow: (jobId: string) => `${job(jobId)}/tags/show`,
    stats: (jobId: string) => `${job(jobId)}/tags/stats`,
    sync: (jobId: string) => `${job(jobId)}/obs/sync`,
    syncStatus: (jobId: string) => `${job(jobId)}/obs/sync-status`,
  };
};

export interface ApiResponse<T> {
  status: number;
  body: T;
  raw: TestResponse;
}

/**
 * Calls one operation with the default token and checks what every answer
 * must be: a fresh request ID and a body the OpenAPI document allows for
 * the operation (its 200 schema, or the error body).
 */
export async function call<T = Record<string, unknown>>(
  emulator: RunningEmulator,
  operationId: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse<T>> {
  const raw = await send(emulator.url, {
    method,
    path,
    headers: {
      'x-auth-token': DEFAULT_TOKEN,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(raw.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  const parsed = raw.json();
  const problem = raw.status === 200 ? schemas.checkOperation(operationId, parsed) : schemas.checkError(parsed);
  expect(problem, `${operationId} answered ${raw.status} ${raw.text.slice(0, 300)}`).toBeUndefined();
  return { status: raw.status, body: parsed as T, raw };
}

export const get = <T = Record<string, unknown>>(emulator: RunningEmulator, operationId: string, path: string) =>
  call<T>(emulator, operationId, 'GET', path);

/** Every page of an image list, collected; fails if a page repeats an image. */
export async function listAll(emulator: RunningEmulator, jobId: string, query = '', perPage = 100): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 0; ; page++) {
    const { status, body } = await get<{ images: { image_id: string }[] }>(
      emulator,
      'listImages',
      `${paths().images(jobId)}?per_page=${perPage}&page=${page}${query}`,
    );
    expect(status).toBe(200);
    for (const image of body.images) ids.push(image.image_id);
    if (body.images.length < perPage) return ids;
  }
}
