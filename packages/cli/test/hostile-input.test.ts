import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TOKEN, startEmulator, type RunningEmulator } from '@modelarts-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cleanEnv, CLI_PATH, PACKAGE_DIR, runCliProcess } from './support/run-cli.js';

// Input a careless or hostile caller gives the CLI, run as users run it (node dist/cli.js).

const REPORT_MAX_RSS = fileURLToPath(new URL('./support/report-max-rss.cjs', import.meta.url));
/** A raw control character (C0 but line feed, DEL, C1) or a bidi control on a terminal. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const EMULATOR_NOTE = 'emulator answers';

let emulator: RunningEmulator;
let failing: RunningEmulator;
let dir: string;

const tokenEnv = (emu: RunningEmulator = emulator) =>
  cleanEnv({ MODELARTS_ENDPOINT: emu.url, MODELARTS_TOKEN: DEFAULT_TOKEN, HUAWEICLOUD_SDK_PROJECT_ID: emu.projectId });

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

beforeAll(async () => {
  assertBuilt();
  emulator = await startEmulator({ imagesPerJob: 100 });
  failing = await startEmulator({ imagesPerJob: 50, faults: { jobs: { '282': { rate: 1, kinds: ['500'] } } } });
  dir = mkdtempSync(join(tmpdir(), 'modelarts-tags-hostile-'));
});

afterAll(async () => {
  await emulator?.close();
  await failing?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs the CLI (with its peak RSS reported) and writes `chunk` to its stdin again and again, up to
 * `limit` bytes or until the CLI stops reading; what it printed, its peak RSS and the bytes it was given.
 */
function feedCli(args: string[], chunk: Buffer, limit: number) {
  return new Promise<{ code: number | null; stderr: string; maxRssMb: number; written: number }>((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', REPORT_MAX_RSS, CLI_PATH, ...args], {
      env: cleanEnv(),
      cwd: PACKAGE_DIR,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    let written = 0;
    let closed = false;
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.stdin.on('error', () => (closed = true));
    child.stdin.on('close', () => (closed = true));
    const pump = (): void => {
      while (!closed && written < limit) {
        written += chunk.length;
        if (!child.stdin.write(chunk)) {
          child.stdin.once('drain', pump);
          return;
        }
      }
      if (!closed) child.stdin.end();
    };
    pump();
    child.on('error', reject);
    child.on('close', (code) => {
      const rss = /max-rss-kb=(\d+)/.exec(stderr);
      resolve({ code, stderr: stderr.replace(/\nmax-rss-kb=\d+\n$/, ''), maxRssMb: rss ? Number(rss[1]) / 1024 : Number.NaN, written });
    });
  });
}

describe('input that is not a list of IDs', () => {
  it('refuses 200 MB of NULs on stdin from its first bytes, with bounded memory', async () => {
    const { code, stderr, maxRssMb, written } = await feedCli(['get', '287'], Buffer.alloc(1024 * 1024), 200 * 1024 * 1024);
    expect(code).toBe(1);
    expect(stderr).toBe('modelarts-tags: stdin looks like binary data, not text (a NUL byte at byte 1)\n');
    expect(written).toBeLessThan(100 * 1024 * 1024); // it stopped reading long before the end
    expect(maxRssMb).toBeLessThan(150); // 630 MB before it crashed, when the input was read whole
  });

  it('refuses an endless stream of IDs at 1,000,000 of them, with bounded memory', async () => {
    const lines = Buffer.from('3cedbe61c86c0b0e808c5b0702ae79de\n'.repeat(2000));
    const { code, stderr, maxRssMb, written } = await feedCli(['get', '287'], lines, 3_000_000 * 33);
    expect(code).toBe(1);
    expect(stderr).toBe(
      'modelarts-tags: stdin holds more than 1,000,000 image IDs (the most one run reads); split it into smaller lists\n',
    );
    expect(written).toBeLessThan(3_000_000 * 33);
    expect(maxRssMb).toBeLessThan(400);
  });

  it('says what --file /dev/zero is, before starting the emulator', async () => {
    const { code, stderr } = await runCliProcess(['get', '287', '--file', '/dev/zero'], { env: cleanEnv() });
    expect(code).toBe(1);
    expect(stderr).toBe('modelarts-tags: /dev/zero looks like binary data, not text (a NUL byte at byte 1)\n');
  });

  it('names binary files, archives and images without printing their bytes', async () => {
    const binary = file('ids.bin', Buffer.from([0x61, 0x1b, 0x5b, 0x32, 0x4a, 0x07, 0x9b, 0xff, 0x00, 0x0a]));
    const gzip = file('ids.txt.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x1b, 0x5b, 0x32, 0x4a]));
    const jpeg = file('photo.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x1b, 0x5b]));
    for (const [path, says] of [
      [binary, 'looks like binary data, not text (a NUL byte at byte 9)'],
      [gzip, 'is gzip-compressed data: decompress it first (gunzip), not a list of image IDs'],
      [jpeg, 'is a JPEG image, not a list of image IDs'],
    ] as const) {
      const { code, stderr } = await runCliProcess(['get', '287', '--file', path], { env: cleanEnv() });
      expect(code).toBe(1);
      expect(stderr).toBe(`modelarts-tags: ${path} ${says}\n`);
    }
  });

  it('names UTF-16 with or without a byte order mark, and says to save it as UTF-8', async () => {
    const text = `${emulator.jobs.detection.imageIds.slice(0, 3).join('\r\n')}\r\n`;
    const withBom = file('excel.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const bigEndian = file('be.txt', Buffer.from(text, 'utf16le').swap16());
    for (const [path, how] of [
      [withBom, 'it starts with a UTF-16 byte order mark'],
      [bigEndian, 'every other byte is NUL'],
    ] as const) {
      const { code, stderr } = await runCliProcess(['get', '287', '--file', path], { env: cleanEnv() });
      expect(code).toBe(1);
      expect(stderr).toContain(`modelarts-tags: ${path} looks like UTF-16 text (${how}); save it as UTF-8 text`);
      expect(stderr).not.toContain('U+0000');
    }
    const piped = await runCliProcess(['get', '287'], { env: cleanEnv(), input: Buffer.from(text, 'utf16le').toString('latin1') });
    expect(piped.stderr).toContain('looks like UTF-16 text');
  });

  it('never prints a raw control or bidi character of an ID, a file name or a CSV header', async () => {
    const hostile = 'ab\u001b]0;title\u0007\u001b[2J\u009b31m\u202egnp.exe\u007f';
    const ids = file(`ids-\u001b[31m.txt`, `${emulator.jobs.detection.imageIds[0]}\n${hostile}\n`);
    const csv = file('hostile.csv', `${hostile},x\n${emulator.jobs.detection.imageIds[0]},y\n`);
    const runs = [
      await runCliProcess(['get', '287', '--file', ids], { env: cleanEnv() }),
      await runCliProcess(['get', '287', hostile], { env: cleanEnv() }),
      await runCliProcess(['get', '287', '--file', csv, '--column', 'nope'], { env: cleanEnv() }),
      await runCliProcess(['get', '287', '--file', join(dir, 'absent-\u001b[2J.txt')], { env: cleanEnv() }),
      await runCliProcess(['get', `28\u001b[2J7`, 'abc'], { env: cleanEnv() }),
    ];
    for (const { code, stdout, stderr } of runs) {
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).not.toMatch(RAW_CONTROL);
      expect(stderr).toMatch(/\\u001b/i);
      expect(stderr).not.toContain(EMULATOR_NOTE);
    }
    expect(runs[0]!.stderr).toContain(':2: image ID "ab\\u001b]0;title\\u0007\\u001b[2J\\u009b31m\\u202egnp.exe\\u007f" contains');
  });
});

describe('checks before the embedded emulator starts', () => {
  it('refuses a bad job ID or a bad image ID without starting (or announcing) the emulator', async () => {
    for (const [args, says] of [
      [['get', '../282', 'abc'], 'The annotation job ID "../282" is not valid'],
      [['get', '282', 'abc', 'x'.repeat(2000)], 'ID argument 2: image ID is 2000 characters long'],
      [['export', '28 2', 'abc', '--format', 'csv', '--out', join(dir, 'x.csv')], 'The annotation job ID "28 2" is not valid'],
      [['check', '282', 'ok', 'a\u0007b'], 'ID argument 2: image ID "a\\u0007b" contains the control character U+0007'],
    ] as const) {
      const { code, stderr } = await runCliProcess(args, { env: cleanEnv() });
      expect(code, args.join(' ')).toBe(1);
      expect(stderr).toContain(says);
      expect(stderr).not.toContain(EMULATOR_NOTE);
    }
  });

  it('refuses two output options naming one file', async () => {
    const { code, stderr } = await runCliProcess(['get', '282', 'abc', '--missing-out', 'a.txt', '--failed-out', 'a.txt'], {
      env: cleanEnv(),
    });
    expect(code).toBe(1);
    expect(stderr).toContain('--missing-out and --failed-out name the same file');
  });
});

describe('long lists of missing and failed IDs', () => {
  it('counts 5,000 unknown IDs with the first 10 on stderr, and writes them all to --missing-out', async () => {
    const unknown = Array.from({ length: 5000 }, (_, i) => `unknown-${String(i).padStart(5, '0')}`);
    const input = `${emulator.jobs.detection.imageIds[0]}\n${unknown.join('\n')}\n`;
    const plain = await runCliProcess(['get', '287', '--quiet'], { env: tokenEnv(), input });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toBe(
      [
        'modelarts-tags: 5,000 image ID(s) not found in job 287:',
        ...unknown.slice(0, 10).map((id) => `  ${id}`),
        '  ... and 4,990 more (--missing-out FILE writes them all)',
        '',
      ].join('\n'),
    );

    const out = join(dir, 'lists', 'missing.txt');
    const written = await runCliProcess(['get', '287', '--quiet', '--missing-out', out], { env: tokenEnv(), input });
    expect(written.code).toBe(2);
    expect(written.stderr).toContain(`5,000 image ID(s) not found in job 287 (all written to ${out}):`);
    expect(written.stderr.split('\n').length).toBeLessThan(15);
    expect(readFileSync(out, 'utf8')).toBe(unknown.map((id) => `${id}\n`).join(''));
  });

  it('documents --missing-out and --failed-out in --help, and export takes them too', async () => {
    const help = await runCliProcess(['--help'], { env: cleanEnv() });
    expect(help.stdout).toMatch(/--missing-out FILE\s+write every image ID not found to FILE/);
    expect(help.stdout).toMatch(/--failed-out FILE\s+write every failed image ID with its error/);
    const out = join(dir, 'export-missing.txt');
    const ids = [...emulator.jobs.detection.imageIds.slice(0, 2), 'not-in-the-job'];
    const exported = await runCliProcess(
      ['export', '287', ...ids, '--format', 'jsonl', '--out', join(dir, 'tags.jsonl'), '--missing-out', out, '--quiet'],
      { env: tokenEnv() },
    );
    expect(exported.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('not-in-the-job\n');
  });

  it('writes failed IDs with their errors to --failed-out, a CSV that --file reads back', async () => {
    const ids = failing.jobs.classification.imageIds.slice(0, 30);
    const out = join(dir, 'failed.csv');
    const { code, stderr } = await runCliProcess(['get', '282', ...ids, '--failed-out', out, '--batch-size', '30'], {
      env: tokenEnv(failing),
    });
    expect(code).toBe(2);
    expect(stderr).toContain(`30 image ID(s) failed (all written to ${out})`);
    expect(stderr).toContain('  ... and 20 more\n');
    const [header, ...rows] = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(header).toBe('image_id,error,status,error_code,request_id,message');
    expect(rows.map((row) => row.split(',').slice(0, 4))).toEqual(ids.map((id) => [id, 'ServerError', '500', 'ModelArts.6102']));
    const again = await runCliProcess(['get', '282', '--file', out, '--quiet'], { env: tokenEnv(failing) });
    expect(again.stderr).toContain('30 image ID(s) failed: ServerError');
  });
});
