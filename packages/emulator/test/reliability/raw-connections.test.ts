import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASSIFICATION_JOB_ID, DEFAULT_TOKEN, startEmulator, type RunningEmulator } from '../../src/index.js';
import { postTags, tagsPath } from '../support/http.js';

let emulator: RunningEmulator;

beforeAll(async () => {
  // Short timeouts, so that slow clients fail fast.
  emulator = await startEmulator({ imagesPerJob: 1_000, requestTimeoutMs: 600, headersTimeoutMs: 400 });
});
afterAll(() => emulator.close());

/** Writes raw bytes on a fresh connection and collects everything until the server closes it. */
function rawExchange(chunks: string[], gapMs = 0): Promise<{ reply: string; elapsedMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(emulator.port, '127.0.0.1');
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => (reply += data));
    socket.on('close', () => resolve({ reply, elapsedMs: performance.now() - started }));
    socket.on('error', reject);
    socket.on('connect', () => {
      chunks.forEach((chunk, i) => {
        setTimeout(() => socket.writable && socket.write(chunk), i * gapMs);
      });
    });
  });
}

function bodyOf(reply: string): unknown {
  return JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4));
}

describe('slow and broken clients', () => {
  it('answers 408 in ModelArts format to a body that trickles in too slowly', async () => {
    const head =
      `POST ${tagsPath(CLASSIFICATION_JOB_ID)} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
      `X-Auth-Token: ${DEFAULT_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`;
    const { reply, elapsedMs } = await rawExchange([head, '{"image_id":', '["a"'], 400);
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(reply).toMatch(/X-Request-Id: [0-9a-f]{32}/);
    expect(bodyOf(reply)).toMatchObject({ error_code: 'ModelArts.6100' });
    expect(elapsedMs).toBeLessThan(5_000);
  });

  it('frees the connection of a slow client that never hangs up', async () => {
    // Earlier tests' connections are gone first, so the count below is this client's alone.
    await waitFor(() => emulator.stats.connections.open === 0, 5_000);
    const socket = connect(emulator.port, '127.0.0.1', () =>
      socket.write(`POST ${tagsPath(CLASSIFICATION_JOB_ID)} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"im`),
    );
    socket.on('error', () => {});
    try {
      // The client neither reads nor closes: only the server can end this.
      await waitFor(() => emulator.stats.connections.open === 1, 2_000);
      await waitFor(() => emulator.stats.connections.open === 0, 5_000);
    } finally {
      socket.destroy();
    }
  });

  it('hangs up on headers that never finish', async () => {
    const { reply, elapsedMs } = await rawExchange(['POST / HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n'], 300);
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(elapsedMs).toBeLessThan(5_000);
  });

  it('answers 400 in ModelArts format to bytes that are not HTTP', async () => {
    const { reply } = await rawExchange(['HELLO THERE\r\n\r\n']);
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(bodyOf(reply)).toMatchObject({ error_code: 'ModelArts.0104' });
  });

  it('keeps serving after all that', async () => {
    const response = await postTags(emulator.url, CLASSIFICATION_JOB_ID, emulator.jobs.classification.imageIds.slice(0, 3));
    expect(response.status).toBe(200);
  });
});

describe('load', () => {
  it('holds 1,000 connections open at once and answers every one', async () => {
    const CONNECTIONS = 1_000;
    // Default timeouts: the connections wait idle while the others open.
    const target = await startEmulator({ imagesPerJob: 1_000 });
    const ids = target.jobs.classification.imageIds;
    const sockets = await Promise.all(
      Array.from(
        { length: CONNECTIONS },
        () =>
          new Promise<Socket>((resolve, reject) => {
            const socket = connect(target.port, '127.0.0.1', () => resolve(socket));
            socket.on('error', reject);
          }),
      ),
    );
    try {
      // Every connection is accepted and idle before the first request is sent.
      await waitFor(() => target.stats.connections.open === CONNECTIONS, 5_000);
      const replies = await Promise.all(
        sockets.map((socket, i) => {
          const body = JSON.stringify({ image_id: [ids[i % ids.length]] });
          return new Promise<string>((resolve, reject) => {
            let reply = '';
            socket.setEncoding('utf8');
            socket.on('data', (data: string) => (reply += data));
            socket.on('close', () => resolve(reply));
            socket.on('error', reject);
            socket.write(
              `POST ${tagsPath(CLASSIFICATION_JOB_ID)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
                `X-Auth-Token: ${DEFAULT_TOKEN}\r\nContent-Type: application/json\r\n` +
                `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
            );
          });
        }),
      );
      expect(replies.filter((reply) => !reply.startsWith('HTTP/1.1 200 '))).toEqual([]);
      expect(target.stats.connections.peak).toBe(CONNECTIONS);
      expect(target.stats.responses[200]).toBe(CONNECTIONS);
    } finally {
      for (const socket of sockets) socket.destroy();
      await target.close();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
