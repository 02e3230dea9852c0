import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * A server running in a child process of its own, so that its work never
 * shares the benchmark's event loop. It talks over IPC: `ready` (with its
 * URL), `stats`, `reset`, `close`.
 */
export interface ForkedServer<Ready> {
  readonly url: string;
  readonly ready: Ready;
  readonly pid: number;
  stats<S = Record<string, unknown>>(): Promise<S>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const SERVERS_DIR = new URL('../servers/', import.meta.url);

export async function forkServer<Ready extends { url: string }>(script: string, args: string[] = []): Promise<ForkedServer<Ready>> {
  // execArgv [] keeps the benchmark's TypeScript loader out of the server process.
  const child = fork(fileURLToPath(new URL(script, SERVERS_DIR)), args, {
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const ready = await nextMessage<Ready>(child, 'ready', 60_000);
  let closing: Promise<void> | undefined;
  return {
    url: ready.url,
    ready,
    pid: child.pid!,
    async stats<S>() {
      const reply = nextMessage<{ stats: S }>(child, 'stats', 10_000);
      child.send({ type: 'stats' });
      return (await reply).stats;
    },
    async reset() {
      const reply = nextMessage(child, 'reset', 10_000);
      child.send({ type: 'reset' });
      await reply;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        if (child.connected) child.send({ type: 'close' });
        else child.kill('SIGTERM');
      });
      return closing;
    },
  };
}

function nextMessage<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (message: { type?: string }): void => {
      if (message?.type !== type) return;
      cleanup();
      resolve(message as T);
    };
    const onExit = (code: number | null, signal: string | null): void => {
      cleanup();
      reject(new Error(`server process exited (${signal ?? code}) before sending '${type}'`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`server process sent no '${type}' within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

export interface EmulatorJob {
  id: string;
  type: 'classification' | 'detection';
  imageIds: string[];
}

export interface EmulatorReady {
  url: string;
  projectId: string;
  jobs: { classification: EmulatorJob; detection: EmulatorJob; detectionStringTags: EmulatorJob };
}

export function forkEmulator(options: { imagesPerJob?: number; seed?: number } = {}): Promise<ForkedServer<EmulatorReady>> {
  return forkServer<EmulatorReady>('emulator.mjs', [JSON.stringify(options)]);
}

export function forkFixedResponseServer(): Promise<ForkedServer<{ url: string }>> {
  return forkServer<{ url: string }>('fixed-response.mjs');
}
