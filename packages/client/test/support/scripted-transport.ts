import type { Transport, TransportRequest } from '../../src/core/transport.js';

export interface SeenRequest {
  url: string;
  init: TransportRequest;
  imageIds: string[];
}

export type Reply = (request: SeenRequest, attempt: number) => Response | Promise<Response> | 'hang' | Error;

/** A transport that answers from a script and records what it was sent. */
export function scriptedTransport(reply: Reply): Transport & { seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const transport = (async (url: string, init: TransportRequest) => {
    const body = JSON.parse(init.body ?? '{}') as { image_id?: string[] };
    const request: SeenRequest = { url, init, imageIds: body.image_id ?? [] };
    seen.push(request);
    const aborted = (): DOMException => new DOMException('This operation was aborted', 'AbortError');
    // Like fetch: an abort rejects the call, whatever the server would have said.
    const onAbort = new Promise<never>((_, reject) => {
      if (init.signal?.aborted) reject(aborted());
      init.signal?.addEventListener('abort', () => reject(aborted()), { once: true });
    });
    onAbort.catch(() => undefined);
    const answer = await Promise.race([Promise.resolve(reply(request, seen.length)), onAbort]);
    if (answer instanceof Error) throw answer;
    if (answer === 'hang') return onAbort;
    return answer;
  }) as unknown as Transport & { seen: SeenRequest[] };
  transport.seen = seen;
  return transport;
}

export function tagsResponse(imageIds: string[], extraHeaders: Record<string, string> = {}): Response {
  const images_tags = imageIds.map((image_id) => ({ image_id, tags: [`tag-of-${image_id}`] }));
  return json(200, { is_success: true, images_tags }, extraHeaders);
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'x-request-id': `req-${status}`, ...headers },
  });
}
