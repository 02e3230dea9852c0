import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TestServer {
  url: string;
  port: number;
  /** Headers of every request that reached the handler. */
  received: IncomingHttpHeaders[];
  /** TCP connections accepted (a TLS handshake that fails still counts). */
  connections: number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A plain HTTP server on 127.0.0.1 with an ephemeral port. */
export function startHttpServer(handler: Handler): Promise<TestServer> {
  return track(createHttpServer(handler), 'http');
}

/** An HTTPS server on 127.0.0.1 with the given certificate. */
export function startHttpsServer(tls: { key: string; cert: string }, handler: Handler): Promise<TestServer> {
  return track(createHttpsServer(tls, handler), 'https');
}

async function track(server: Server, scheme: string): Promise<TestServer> {
  const received: IncomingHttpHeaders[] = [];
  const state = { connections: 0 };
  server.on('request', (req: IncomingMessage) => received.push(req.headers));
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    received,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * A self-signed certificate for 127.0.0.1, made for this run only (no key is
 * committed, no openssl needed). `altName` (`IP:…` or `DNS:…`) changes the
 * name it is valid for.
 */
export async function selfSignedCertificate(
  altName = 'IP:127.0.0.1',
): Promise<{ key: string; cert: string; certFile: string; dispose(): void }> {
  const [kind, name = ''] = altName.split(':', 2);
  const pems = await generate([{ name: 'commonName', value: 'modelarts-test' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 24 * 3600_000),
    extensions: [{ name: 'subjectAltName', altNames: [kind === 'IP' ? { type: 7, ip: name } : { type: 2, value: name }] }],
  });
  const dir = mkdtempSync(join(tmpdir(), 'modelarts-tls-'));
  const certFile = join(dir, 'cert.pem');
  writeFileSync(certFile, pems.cert);
  return { key: pems.private, cert: pems.cert, certFile, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export const EMPTY_SUCCESS = '{"is_success":true,"images_tags":[]}';
