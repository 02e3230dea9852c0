import { DEFAULT_TOKEN, startEmulator, type RunningEmulator } from '@modelarts-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from './run-cli.js';

// In-process runs with fake terminals: what a person at a TTY sees.

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ imagesPerJob: 600 });
});
afterAll(async () => emulator?.close());

function terminal(columns = 100) {
  const stream = {
    isTTY: true,
    columns,
    text: '',
    write: (chunk: string) => {
      stream.text += chunk;
    },
  };
  return stream;
}

function io(overrides: Partial<CliIo> = {}): CliIo & { stdout: ReturnType<typeof terminal>; stderr: ReturnType<typeof terminal> } {
  return {
    env: { MODELARTS_ENDPOINT: emulator.url, MODELARTS_TOKEN: DEFAULT_TOKEN, HUAWEICLOUD_SDK_PROJECT_ID: emulator.projectId },
    stdin: Object.assign((async function* () {})(), { isTTY: true }),
    stdout: terminal(),
    stderr: terminal(),
    cwd: process.cwd(),
    version: '9.9.9',
    ...overrides,
  } as CliIo & { stdout: ReturnType<typeof terminal>; stderr: ReturnType<typeof terminal> };
}

describe('runCli on a terminal', () => {
  it('prints a table, and a progress bar on stderr when there is more than one batch', async () => {
    const streams = io();
    const ids = emulator.jobs.detection.imageIds.slice(0, 500);
    const code = await runCli(['get', '287', ...ids, '--batch-size', '20', '--concurrency', '2'], streams);
    expect(code).toBe(0);
    expect(streams.stdout.text).toMatch(/^\u001b\[1mIMAGE ID\s+SIZE\s+BOXES/);
    expect(streams.stdout.text.split('\n').every((line) => line.replace(/\u001b\[\d+m/g, '').length <= 100)).toBe(true);
    expect(streams.stderr.text).toMatch(/\r\[[█░]+\] \d+\/500 /);
    expect(streams.stderr.text).toContain('img/s  ETA');
    expect(streams.stderr.text).toContain('\r\u001b[K'); // the bar is cleared before the summary
    expect(streams.stderr.text).toContain('job 287 (detection): 500 of 500 found');
  });

  it('shows no progress bar for a single batch, or with --quiet', async () => {
    const single = io();
    await runCli(['get', '287', ...emulator.jobs.detection.imageIds.slice(0, 50)], single);
    expect(single.stderr.text).not.toContain('█');
    const quiet = io();
    await runCli(['get', '287', ...emulator.jobs.detection.imageIds.slice(0, 300), '--batch-size', '10', '-q'], quiet);
    expect(quiet.stderr.text).toBe('');
  });

  it('honours NO_COLOR', async () => {
    const streams = io();
    streams.env = { ...streams.env, NO_COLOR: '1' };
    await runCli(['get', '282', emulator.jobs.classification.imageIds[0]!], streams);
    expect(streams.stdout.text).toMatch(/^IMAGE ID\s+TAGS\n/);
  });

  it('asks for IDs instead of waiting on a terminal stdin', async () => {
    const streams = io();
    expect(await runCli(['get', '282'], streams)).toBe(1);
    expect(streams.stderr.text).toContain(
      'No image IDs given. Pass them as arguments, with --file ids.txt (or a CSV file), or pipe them in',
    );
  });

  it('prints the version and help to stdout', async () => {
    const version = io();
    expect(await runCli(['--version'], version)).toBe(0);
    expect(version.stdout.text).toBe('9.9.9\n');
    const help = io();
    expect(await runCli(['--help'], help)).toBe(0);
    expect(help.stdout.text).toContain('Exit status');
  });
});
