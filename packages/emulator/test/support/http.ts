import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import { DEFAULT_PROJECT_ID, DEFAULT_TOKEN } from '../../src/constants.js';

export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json(): unknown;
}

export interface TestRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  agent?: Agent;
  timeoutMs?: number;
}

/**
 * A raw HTTP exchange, so tests control every header and byte. Each exchange
 * has a connection of its own unless the test brings an agent: a pooled
 * connection that the emulator closed for idleness while the test was busy
 * (building a 12 MiB body on a loaded machine, say) is handed to the next
 * request before its close is seen, and that request dies with ECONNRESET.
 * The request still asks for keep-alive, so a `connection: close` in the
 * answer is the emulator's own choice.
 */
export function send(baseUrl: string, request: TestRequest): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(request.path, baseUrl),
      {
        method: request.method ?? 'POST',
        headers: { connection: 'keep-alive', ...request.headers },
        agent: request.agent ?? false,
        ...(request.timeoutMs ? { timeout: request.timeoutMs } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end(request.body);
  });
}

export function tagsPath(jobId: string, projectId = DEFAULT_PROJECT_ID): string {
  return `/v1/${projectId}/data-annotations/${jobId}/tags/show`;
}

/** POSTs image IDs to tags/show with the default token. */
export function postTags(
  baseUrl: string,
  jobId: string,
  imageIds: readonly string[],
  extra: Omit<TestRequest, 'path' | 'body'> = {},
): Promise<TestResponse> {
  return send(baseUrl, {
    ...extra,
    path: tagsPath(jobId),
    headers: { 'content-type': 'application/json', 'x-auth-token': DEFAULT_TOKEN, ...extra.headers },
    body: JSON.stringify({ image_id: imageIds }),
  });
}
