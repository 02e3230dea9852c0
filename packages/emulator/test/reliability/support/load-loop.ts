// A load loop against the emulator's command-line server, run as a child
// process (its own open-files limit, raised by the test that starts it).
// It starts `modelarts-emulator` from source in a process of its own,
// opens CONNECTIONS keep-alive connections, waits until every one is
// connected, then has each send requests back to back until it has sent
// REQUESTS_PER_CONNECTION or DURATION_MS has passed. It stops by itself and
// prints one JSON line with what happened.
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 1_000);
const REQUESTS_PER_CONNECTION = Number(process.env.LOAD_REQUESTS_PER_CONNECTION ?? 20);
const DURATION_MS = Number(process.env.LOAD_DURATION_MS ?? 20_000);
const TOKEN = 'load-loop-token';
const PROJECT = '0123456789abcdef0123456789abcdef';

interface Exchange {
  status: number;
  ms: number;
}

/** Starts the CLI, resolves with its URL (the first line it prints). */
function startCli(): Promise<{ url: string; stop: () => Promise<void> }> {
  const cli = fileURLToPath(new URL('../../../src/cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--images', '2000', '--token', TOKEN], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let started = false;
    const early = (code: number | null): void => reject(new Error(`the emulator exited early with ${code}`));
    child.on('error', reject);
    child.on('exit', early);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (data: string) => {
      out += data;
      const line = out.split('\n')[0];
      if (!started && out.includes('\n') && line) {
        started = true;
        child.off('exit', early);
        resolve({
          url: line.trim(),
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
  });
}

/** One keep-alive connection that sends a request, reads the whole response, and repeats. */
class Connection {
  readonly exchanges: Exchange[] = [];
  closedByServer = false;
  /** The server hung up while this connection still had requests to send. */
  closedEarly = false;
  finished = false;
  error: string | undefined;
  #buffer = Buffer.alloc(0);
  #pending: { resolve: (response: { status: number }) => void; reject: (error: Error) => void } | undefined;

  constructor(readonly socket: Socket) {
    socket.on('data', (data: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, data]);
      this.#drain();
    });
    socket.on('end', () => {
      this.closedByServer = true;
      if (!this.finished) this.closedEarly = true;
    });
    socket.on('error', (error) => (this.error ??= error.message));
    socket.on('close', () => this.#pending?.reject(new Error('connection closed mid-request')));
  }

  #drain(): void {
    const headerEnd = this.#buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0 || !this.#pending) return;
    const head = this.#buffer.subarray(0, headerEnd).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.#buffer.length < headerEnd + 4 + length) return;
    this.#buffer = this.#buffer.subarray(headerEnd + 4 + length);
    const { resolve } = this.#pending;
    this.#pending = undefined;
    resolve({ status: Number(head.slice(9, 12)) });
  }

  request(path: string, body: string): Promise<{ status: number }> {
    return new Promise((resolve, reject) => {
      if (this.socket.destroyed || this.closedByServer) return reject(new Error('connection closed'));
      this.#pending = { resolve, reject };
      this.socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: ${TOKEN}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    });
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function main(): Promise<void> {
  const emulator = await startCli();
  const { port } = new URL(emulator.url);
  try {
    const connectStarted = performance.now();
    const sockets = await Promise.all(
      Array.from(
        { length: CONNECTIONS },
        () =>
          new Promise<Socket>((resolve, reject) => {
            const socket = connect(Number(port), '127.0.0.1', () => resolve(socket));
            socket.once('error', reject);
          }),
      ),
    );
    const connectMs = performance.now() - connectStarted;
    const connections = sockets.map((socket) => new Connection(socket));

    // The job IDs the emulator serves; images come from a job's own IDs (unknown ones are fine too).
    const jobs = ['282', '287', '288'];
    const started = performance.now();
    const deadline = started + DURATION_MS;
    let sentAll = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    await Promise.all(
      connections.map(async (connection, c) => {
        for (let r = 0; r < REQUESTS_PER_CONNECTION && performance.now() < deadline; r++) {
          const job = jobs[(c + r) % jobs.length]!;
          const ids = Array.from({ length: 1 + ((c * 7 + r) % 10) }, (_, k) => `img-${c}-${r}-${k}`);
          const t = performance.now();
          try {
            sentAll++;
            maxInFlight = Math.max(maxInFlight, ++inFlight);
            const { status } = await connection.request(
              `/v1/${PROJECT}/data-annotations/${job}/tags/show`,
              JSON.stringify({ image_id: ids }),
            );
            connection.exchanges.push({ status, ms: performance.now() - t });
          } catch (error) {
            connection.error ??= (error as Error).message;
            return;
          } finally {
            inFlight--;
          }
        }
        connection.finished = true;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const closedEarly = connections.filter((c) => c.closedEarly).length;
    for (const socket of sockets) socket.destroy();

    const exchanges = connections.flatMap((c) => c.exchanges);
    const statuses: Record<number, number> = {};
    for (const { status } of exchanges) statuses[status] = (statuses[status] ?? 0) + 1;
    const latencies = exchanges.map((e) => e.ms).sort((a, b) => a - b);
    process.stdout.write(
      `${JSON.stringify({
        connections: CONNECTIONS,
        connectMs: Math.round(connectMs),
        maxInFlight,
        closedEarly,
        sent: sentAll,
        answered: exchanges.length,
        statuses,
        errors: connections
          .filter((c) => c.error)
          .map((c) => c.error)
          .slice(0, 5),
        errorCount: connections.filter((c) => c.error).length,
        seconds: Number(seconds.toFixed(2)),
        requestsPerSecond: Math.round(exchanges.length / seconds),
        p50Ms: Math.round(percentile(latencies, 0.5)),
        p99Ms: Math.round(percentile(latencies, 0.99)),
      })}\n`,
    );
  } finally {
    await emulator.stop();
  }
}

await main();
