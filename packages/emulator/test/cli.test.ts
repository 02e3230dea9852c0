import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CLASSIFICATION_JOB_ID } from '../src/index.js';
import { postTags } from './support/http.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcessWithoutNullStreams[] = [];

interface CliRun {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the CLI from its TypeScript source, as the built bin would run. */
function runCli(args: string[]): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: packageDir });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (data: string) => (stdout += data));
  child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

async function urlOf(run: CliRun): Promise<string> {
  for (let waited = 0; waited < 30_000; waited += 50) {
    const firstLine = run.stdout().split('\n')[0] ?? '';
    if (run.stdout().includes('\n')) return firstLine;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the CLI printed no URL; stderr: ${run.stderr()}`);
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('modelarts-emulator', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('prints its URL first, serves, and stops cleanly on %s', async (signal) => {
    const run = runCli(['--port', '0', '--images', '20', '--seed', '3']);
    const url = await urlOf(run);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(run.stdout()).toContain('job 282: image classification, 20 images, "photo-themes"');
    // The job list it serves, one line per job, with the ID the job list operations take.
    for (const [jobId, name, uuid] of [
      ['287', 'street-objects', '0d2f4a6e-1b3c-4e5f-8a9b-7c6d5e4f3a21'],
      ['288', 'parking-lot-cameras', 'a3e8c0b4-7f21-4d6a-9c5e-1b2d3f4a5c6e'],
      ['301', '商品图片分类', 'c9f1d2e3-4b5a-4c6d-8e7f-9a0b1c2d3e4f'],
      ['302', 'warehouse-shelves', 'e5d4c3b2-a1f0-4e9d-8c7b-6a5f4e3d2c1b'],
    ]) {
      expect(run.stdout()).toMatch(new RegExp(`job ${jobId}: [^\\n]*"${name}" \\([\\d.]+% tagged, job list id ${uuid}\\)`));
    }
    expect((await postTags(url, CLASSIFICATION_JOB_ID, ['a'])).status).toBe(200);
    run.child.kill(signal);
    expect(await run.exit).toEqual({ code: 0, signal: null });
    expect(run.stdout()).toContain('modelarts-emulator stopped');
  });

  it('applies fault flags and keeps credentials given on the command line off its output', async () => {
    const token = 'token-sentinel-7f3a';
    const secretKey = 'sk-sentinel-9c2e';
    const run = runCli(['--images', '5', '--token', token, '--ak', 'AKSENTINEL', '--sk', secretKey, '--fault-sequence', '503']);
    const url = await urlOf(run);
    const headers = { 'x-auth-token': token };
    expect((await postTags(url, CLASSIFICATION_JOB_ID, ['a'], { headers })).status).toBe(503);
    expect((await postTags(url, CLASSIFICATION_JOB_ID, ['a'], { headers })).status).toBe(200);
    run.child.kill('SIGTERM');
    await run.exit;
    for (const output of [run.stdout(), run.stderr()]) {
      expect(output).not.toContain(token);
      expect(output).not.toContain(secretKey);
    }
    expect(run.stdout()).toContain('tokens: 1 accepted (given on the command line)');
  });

  it('prints its usage on --help', async () => {
    const run = runCli(['--help']);
    expect(await run.exit).toEqual({ code: 0, signal: null });
    expect(run.stdout()).toMatch(/^Usage: modelarts-emulator/);
  });

  it('exits with 2 and the usage on a bad flag, without quoting secrets', async () => {
    const run = runCli(['--sk', 'sk-sentinel-4d1b', '--port', 'eighty']);
    expect(await run.exit).toEqual({ code: 2, signal: null });
    expect(run.stderr()).toContain('--port must be an integer');
    expect(run.stderr()).toContain('Usage: modelarts-emulator');
    expect(run.stderr()).not.toContain('sk-sentinel-4d1b');
  });

  it('exits with 2 on an invalid fault configuration', async () => {
    const run = runCli(['--fault-rate', '7']);
    expect(await run.exit).toEqual({ code: 2, signal: null });
    expect(run.stderr()).toContain('faults.rate must be between 0 and 1');
  });
});
