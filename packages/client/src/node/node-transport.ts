import { Buffer } from 'node:buffer';
import type { ClientRequest, Agent as HttpAgent, IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import {
  BodyDecodingError,
  BodyLimitExceededError,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from '../core/transport.js';

type Http = typeof import('node:http');
type Https = typeof import('node:https');
type Zlib = typeof import('node:zlib');

interface Modules {
  http: Http;
  https: Https;
  zlib: Zlib;
}

let modules: Promise<Modules> | undefined;

/** Loaded on the first request, so importing the client stays cheap. */
function loadModules(): Promise<Modules> {
  modules ??= Promise.all([import('node:http'), import('node:https'), import('node:zlib')]).then(([http, https, zlib]) => ({
    http,
    https,
    zlib,
  }));
  return modules;
}

export interface NodeTransportOptions {
  /**
   * Agents to send through, e.g. to cap sockets or add a proxy agent. By
   * default each transport keeps its own keep-alive agents, so consecutive
   * batches reuse connections.
   */
  httpAgent?: HttpAgent;
  httpsAgent?: HttpAgent;
}

/**
 * The package root's default transport: `node:http` / `node:https` with
 * keep-alive. It does only what the client needs (one POST, a buffered
 * body, no redirects), which costs a fraction of the global `fetch` per
 * request. Compressed bodies (gzip, deflate, br) are decoded; the
 * `maxResponseBytes` limit counts decoded bytes and stops reading as soon
 * as it is passed.
 */
export function createNodeTransport(options: NodeTransportOptions = {}): Transport {
  let ready: { modules: Modules; http: HttpAgent; https: HttpAgent } | undefined;
  const sendWith = (state: NonNullable<typeof ready>, url: string, init: TransportRequest): Promise<TransportResponse> => {
    const secure = url.startsWith('https:');
    if (!secure && !url.startsWith('http:'))
      return Promise.reject(new TypeError(`unsupported protocol in ${url.slice(0, url.indexOf(':') + 1)}`));
    const { modules } = state;
    return send(secure ? modules.https : modules.http, secure ? state.https : state.http, modules.zlib, url, init);
  };
  return (url, init) => {
    if (ready) return sendWith(ready, url, init);
    return loadModules().then((modules) => {
      ready ??= {
        modules,
        http: options.httpAgent ?? new modules.http.Agent({ keepAlive: true }),
        https: options.httpsAgent ?? new modules.https.Agent({ keepAlive: true }),
      };
      return sendWith(ready, url, init);
    });
  };
}

function send(module: Http | Https, agent: HttpAgent, zlib: Zlib, target: string, init: TransportRequest): Promise<TransportResponse> {
  const headers: Record<string, string | number> = { 'accept-encoding': 'gzip, deflate, br', ...init.headers };
  if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
  const { signal } = init;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const request = module.request(target, { method: init.method, headers, agent });
    request.once('error', reject);
    if (signal) {
      // An abort destroys the request with the signal's reason, as fetch rejects. One listener,
      // dropped when the request closes: node:http's own \`signal\` option costs about 15 us more per request.
      const onAbort = (): void => {
        request.destroy(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      request.once('close', () => signal.removeEventListener('abort', onAbort));
    }
    request.once('response', (response) => {
      request.off('error', reject);
      resolve(toTransportResponse(response, request, zlib, init.maxResponseBytes));
    });
    request.end(init.body);
  });
}

function toTransportResponse(response: IncomingMessage, request: ClientRequest, zlib: Zlib, limit: number | undefined): TransportResponse {
  // Reading starts at once: the socket goes back to the agent as soon as the body is in.
  const text = readText(response, request, zlib, limit);
  text.catch(() => undefined);
  return {
    status: response.statusCode ?? 0,
    headers: {
      get(name: string): string | null {
        const value = response.headers[name.toLowerCase()];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(', ') : value;
      },
    },
    text: () => text,
  };
}

function readText(response: IncomingMessage, request: ClientRequest, zlib: Zlib, limit: number | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const encoding = response.headers['content-encoding']?.trim().toLowerCase();
    const decoder = decoderFor(encoding, zlib);
    const source: IncomingMessage | Transform = decoder ? response.pipe(decoder) : response;
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    response.once('error', fail);
    // An abort while the body comes in destroys the request, which then errors: the read fails with it.
    request.on('error', fail);
    // The decoder fails only on what the server sent: an unusable answer, not a lost connection.
    if (decoder) decoder.once('error', (error) => fail(new BodyDecodingError(encoding!, { cause: error })));
    const declared = Number(response.headers['content-length']);
    if (limit !== undefined && Number.isFinite(declared) && declared > limit) {
      // Refused before reading: hang up rather than drain a body nobody will read.
      fail(new BodyLimitExceededError(limit));
      request.destroy();
      return;
    }
    // A timeout, an abort or a dropped connection before the body was complete.
    response.once('close', () => {
      if (!response.complete) fail(new Error('the connection closed before the whole body arrived'));
    });
    source.on('data', (chunk: Buffer) => {
      if (settled) return;
      received += chunk.length;
      if (limit !== undefined && received > limit) {
        fail(new BodyLimitExceededError(limit));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    source.once('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, received).toString('utf8'));
    });
  });
}

function decoderFor(encoding: string | undefined, zlib: Zlib): Transform | undefined {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}
