// A tags/show stand-in that answers every POST with the same small body, so that per-call latency
// measures the client, not the server. Runs in its own process (forked by the benchmark): it sends
// { type: 'ready', url } over IPC, answers { type: 'stats' } with what it saw, and exits on 'close'.
import http from 'node:http';

// Forked with an IPC channel, so process.send is always there.
const send = /** @type {(message: unknown) => void} */ (process.send?.bind(process));

const BODY = JSON.stringify({
  is_success: true,
  images_tags: [{ image_id: '076e3caed758a1c18c91a0e9cae3368f', tags: ['animal', 'fish'] }],
});
const BODY_BYTES = Buffer.from(BODY);

const stats = { requests: 0, connections: 0, withToken: 0, withSignature: 0, bodyBytes: 0 };

const server = http.createServer((req, res) => {
  let received = 0;
  req.on('data', (chunk) => (received += chunk.length));
  req.on('end', () => {
    stats.requests += 1;
    stats.bodyBytes += received;
    if (req.headers['x-auth-token']) stats.withToken += 1;
    if (/^SDK-HMAC-SHA256 /.test(req.headers.authorization ?? '')) stats.withSignature += 1;
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': BODY_BYTES.length,
      'x-request-id': 'fixed-response',
    });
    res.end(BODY_BYTES);
  });
});
server.keepAliveTimeout = 60_000;
server.on('connection', () => (stats.connections += 1));

server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  send({ type: 'ready', url: `http://127.0.0.1:${port}` });
});

process.on('message', (/** @type {{ type?: string } | undefined} */ message) => {
  if (message?.type === 'stats') send({ type: 'stats', stats: { ...stats } });
  if (message?.type === 'reset') {
    for (const key of /** @type {(keyof typeof stats)[]} */ (Object.keys(stats))) stats[key] = 0;
    send({ type: 'reset' });
  }
  if (message?.type === 'close') {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  }
});
process.on('disconnect', () => process.exit(0));
