import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASSIFICATION_JOB_ID, DEFAULT_TOKEN, startEmulator, type RunningEmulator } from '../../src/index.js';
import { postTags, tagsPath } from '../support/http.js';

// Slow-loris: many clients that open connections and send a byte now and
// then. Each one is cut by the emulator's timeouts, and meanwhile ordinary
// requests are answered as fast as ever.

const REQUEST_TIMEOUT_MS = 1_500;
const HEADERS_TIMEOUT_MS = 800;
const KEEP_ALIVE_TIMEOUT_MS = 300;
const SLOW_CLIENTS = 200;

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({
    imagesPerJob: 100,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    headersTimeoutMs: HEADERS_TIMEOUT_MS,
    keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS,
  });
});
afterAll(() => emulator.close());

interface SlowResult {
  reply: string;
  /** How long the server kept the connection. */
  heldMs: number;
}

/** Sends `pieces` one every `gapMs` (forever, cycling, when `cycle`) until the server closes the connection. */
function trickle(pieces: string[], gapMs: number, cycle = false): Promise<SlowResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket: Socket = connect(emulator.port, '127.0.0.1');
    let reply = '';
    let timer: NodeJS.Timeout | undefined;
    let next = 0;
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => (reply += data));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ reply, heldMs: performance.now() - started });
    });
    const tick = (): void => {
      if (socket.destroyed) return;
      if (next < pieces.length || cycle) socket.write(pieces[next++ % pieces.length]!);
      timer = setTimeout(tick, gapMs);
    };
    socket.on('connect', tick);
  });
}

const head = (length: number): string =>
  `POST ${tagsPath(CLASSIFICATION_JOB_ID)} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: ${DEFAULT_TOKEN}\r\n` +
  `Content-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

describe('slow-loris clients are cut by timeouts', () => {
  it(`${SLOW_CLIENTS} clients trickling headers, bodies or nothing are all cut, while ordinary requests are answered promptly`, async () => {
    const swarm: Promise<SlowResult>[] = [];
    for (let i = 0; i < SLOW_CLIENTS; i++) {
      switch (i % 4) {
        case 0: // headers one byte at a time, never finishing
          swarm.push(trickle(['P', 'O', 'S', 'T', ' ', '/'], 100, true));
          break;
        case 1: // a header line now and then, forever
          swarm.push(trickle(['POST / HTTP/1.1\r\n', 'X-Pad: 1\r\n'], 150, true));
          break;
        case 2: // complete headers, then a body one byte at a time
          swarm.push(trickle([head(1_000), ...'{"image_id":["a"]'.split('')], 100, false));
          break;
        default: // connects and says nothing at all
          swarm.push(trickle([''], 10_000, false));
      }
    }

    // Ordinary traffic during the attack.
    const latencies: number[] = [];
    const ids = emulator.jobs.classification.imageIds;
    const until = performance.now() + REQUEST_TIMEOUT_MS + 500;
    while (performance.now() < until) {
      const started = performance.now();
      const response = await postTags(emulator.url, CLASSIFICATION_JOB_ID, ids.slice(0, 3));
      expect(response.status).toBe(200);
      latencies.push(performance.now() - started);
    }

    const results = await Promise.all(swarm);
    const held = results.map((r) => r.heldMs).sort((a, b) => a - b);
    // Every slow client was disconnected within the request timeout plus the sweep interval and some slack.
    expect(held.at(-1)!).toBeLessThan(REQUEST_TIMEOUT_MS + 2_000);
    // Those that had started a request were told why, in the ModelArts format.
    const answered = results.filter((r) => r.reply !== '');
    for (const { reply } of answered) {
      expect(reply).toMatch(/^HTTP\/1\.1 (408|400) /);
      expect(reply).toMatch(/"error_code":"(ModelArts\.6100|ModelArts\.0104)"/);
    }
    latencies.sort((a, b) => a - b);
    const p95 = latencies[Math.floor(latencies.length * 0.95)]!;
    console.info(
      `${SLOW_CLIENTS} slow clients cut after at most ${held.at(-1)!.toFixed(0)} ms (${answered.length} got a 408/400 first); ` +
        `${latencies.length} ordinary requests meanwhile, p95 ${p95.toFixed(0)} ms`,
    );
    expect(latencies.length).toBeGreaterThan(5);
    expect(p95).toBeLessThan(1_000);
  });

  it('an idle keep-alive connection is closed after keepAliveTimeoutMs', async () => {
    const body = JSON.stringify({ image_id: ['a'] });
    const result = await trickle([head(Buffer.byteLength(body)) + body], 60_000, false);
    expect(result.reply).toMatch(/^HTTP\/1\.1 200 /);
    expect(result.heldMs).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS + 2_000);
  });

  it('a client that sends its body and then never reads the answer does not hold the emulator up', async () => {
    const ids = emulator.jobs.classification.imageIds;
    const body = JSON.stringify({ image_id: ids });
    const sockets: Socket[] = [];
    for (let i = 0; i < 50; i++) {
      const socket = connect(emulator.port, '127.0.0.1');
      socket.pause();
      socket.on('error', () => undefined);
      socket.write(head(Buffer.byteLength(body)) + body);
      sockets.push(socket);
    }
    try {
      const response = await postTags(emulator.url, CLASSIFICATION_JOB_ID, ids.slice(0, 1));
      expect(response.status).toBe(200);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });
});
