import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASSIFICATION_JOB_ID, DEFAULT_BODY_LIMIT_BYTES, DEFAULT_TOKEN, startEmulator, type RunningEmulator } from '../../src/index.js';
import { postTags, send, tagsPath } from '../support/http.js';

// A body over the limit gets 413 in the ModelArts format as soon as the
// limit is crossed, and the connection is closed: the emulator never buffers
// an upload it will refuse, however much the client keeps sending.

const LIMIT = 64 * 1024;
let emulator: RunningEmulator;
beforeAll(async () => {
  // The request timeouts are out of the way here (slow-clients.test.ts tests
  // them): the test's own hundred uploaders share the emulator's event loop,
  // and on a loaded machine an upload once waited out the default 30 s and
  // got 408 before its first 64 KiB were read and judged.
  emulator = await startEmulator({ imagesPerJob: 100, bodyLimitBytes: LIMIT, requestTimeoutMs: 600_000, headersTimeoutMs: 600_000 });
});
afterAll(() => emulator.close());

interface Upload {
  reply: string;
  /** Bytes of body written before the reply arrived. */
  sentBeforeReply: number;
  closedByServer: boolean;
  ms: number;
}

/**
 * Streams a body of `total` bytes (chunked when `declared` is false) as fast
 * as the socket takes it, and stops as soon as the server answers or hangs up.
 */
function upload(total: number, declared: boolean, send = total): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(emulator.port, '127.0.0.1');
    let reply = '';
    let sent = 0;
    let sentBeforeReply = -1;
    let closedByServer = false;
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => {
      if (sentBeforeReply < 0) sentBeforeReply = sent;
      reply += data;
    });
    socket.on('end', () => (closedByServer = true));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // Writing into a socket the server has closed: expected once it has answered.
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    socket.on('close', () => resolve({ reply, sentBeforeReply, closedByServer, ms: performance.now() - started }));
    socket.on('connect', () => {
      socket.write(
        `POST ${tagsPath(CLASSIFICATION_JOB_ID)} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: ${DEFAULT_TOKEN}\r\n` +
          `Content-Type: application/json\r\n${declared ? `Content-Length: ${total}` : 'Transfer-Encoding: chunked'}\r\n\r\n`,
      );
      const pump = (): void => {
        while (sent < send && reply === '' && !socket.destroyed) {
          const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
          const framed = declared ? piece : Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]);
          sent += piece.length;
          if (!socket.write(framed)) return void socket.once('drain', pump);
        }
        if (sent >= total && !declared && !socket.destroyed) socket.write('0\r\n\r\n');
      };
      pump();
    });
  });
}

function statusOf(reply: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1]);
}

function bodyOf(reply: string): { error_code?: string; error_msg?: string } {
  return JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)) as { error_code?: string; error_msg?: string };
}

describe('request body limit', () => {
  it('defaults to 12 MiB, the gateway limit for signed bodies', () => {
    expect(DEFAULT_BODY_LIMIT_BYTES).toBe(12 * 1024 * 1024);
  });

  it('a declared Content-Length over the limit is refused before any body byte is read', async () => {
    const result = await upload(1024 * 1024 * 1024, true);
    expect(statusOf(result.reply)).toBe(413);
    expect(bodyOf(result.reply)).toEqual({ error_code: 'APIG.0201', error_msg: `The request body is larger than ${LIMIT} bytes.` });
    expect(result.reply).toMatch(/\r\nConnection: close\r\n/i);
    expect(result.reply).toMatch(/\r\nX-Request-Id: [0-9a-f]{32}\r\n/i);
    expect(result.closedByServer).toBe(true);
    // 1 GiB was announced; far less than that was sent before the 413 came back.
    expect(result.sentBeforeReply).toBeLessThan(64 * 1024 * 1024);
  });

  it('a declared Content-Length over the limit is answered at once, without waiting for a single body byte', async () => {
    const result = await upload(1024 * 1024 * 1024, true, 0);
    expect(statusOf(result.reply)).toBe(413);
    expect(result.sentBeforeReply).toBe(0);
    expect(result.ms).toBeLessThan(2_000);
  });

  it('a chunked upload without a length is cut as soon as it crosses the limit', async () => {
    const result = await upload(512 * 1024 * 1024, false);
    expect(statusOf(result.reply)).toBe(413);
    expect(bodyOf(result.reply).error_code).toBe('APIG.0201');
    expect(result.closedByServer).toBe(true);
    expect(result.sentBeforeReply).toBeGreaterThan(LIMIT);
    expect(result.sentBeforeReply).toBeLessThan(64 * 1024 * 1024);
  });

  it('a body exactly at the limit is read and judged on its content', async () => {
    const padding = LIMIT - JSON.stringify({ image_id: ['a'], pad: '' }).length;
    const body = JSON.stringify({ image_id: ['a'], pad: 'x'.repeat(padding) });
    expect(Buffer.byteLength(body)).toBe(LIMIT);
    const at = await send(emulator.url, {
      path: tagsPath(CLASSIFICATION_JOB_ID),
      headers: { 'x-auth-token': DEFAULT_TOKEN, 'content-type': 'application/json' },
      body,
    });
    expect(at.status).toBe(200);
    const over = await upload(LIMIT + 1, true);
    expect(statusOf(over.reply)).toBe(413);
  });

  it('a hundred oversized uploads at once leave the emulator serving, and its memory flat', async () => {
    const before = process.memoryUsage().heapUsed;
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => upload(32 * 1024 * 1024, i % 2 === 0)));
    expect(results.map((r) => statusOf(r.reply))).toEqual(Array(100).fill(413));
    const grownMiB = (process.memoryUsage().heapUsed - before) / 1048576;
    // 100 x 32 MiB were offered; buffering any one of them would show here.
    expect(grownMiB).toBeLessThan(64);
    const response = await postTags(emulator.url, CLASSIFICATION_JOB_ID, emulator.jobs.classification.imageIds.slice(0, 1));
    expect(response.status).toBe(200);
  });
});
