import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_CREDENTIALS,
  DEFAULT_PROJECT_ID,
  DEFAULT_TOKEN,
  startEmulator,
  type DetectionEntry,
  type RunningEmulator,
} from '@modelarts-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../src/cli/csv.js';
import { assertBuilt, cleanEnv, CLI_PATH, run, runCliProcess } from './support/run-cli.js';

// The CLI as users run it (node dist/cli.js), against an emulator on 127.0.0.1.

let emulator: RunningEmulator;
let failing: RunningEmulator;
let dir: string;
let classificationIds: string[];
let detectionIds: string[];
const UNKNOWN_ID = '00000000000000000000000000000000';

/** The environment that points the CLI at the test's emulator with a token. */
const tokenEnv = (emu: RunningEmulator = emulator, extra: Record<string, string> = {}) =>
  cleanEnv({ MODELARTS_ENDPOINT: emu.url, MODELARTS_TOKEN: DEFAULT_TOKEN, HUAWEICLOUD_SDK_PROJECT_ID: emu.projectId, ...extra });

/** What the CLI prints for a detection entry, computed from the emulator's wire format (not from client code). */
function expectedDetection(entry: DetectionEntry) {
  const tags = typeof entry.tags === 'string' ? (JSON.parse(entry.tags) as DetectionEntry['tags']) : entry.tags;
  return (tags as { tag: string; pos: number[] }[]).map(({ tag, pos }) => ({
    tag,
    box: { xmin: pos[0], ymin: pos[1], xmax: pos[2], ymax: pos[3] },
  }));
}

function detectionTruth(imageId: string): DetectionEntry {
  return emulator.groundTruth('287', imageId) as DetectionEntry;
}

function ndjson(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeAll(async () => {
  assertBuilt();
  emulator = await startEmulator();
  failing = await startEmulator({ imagesPerJob: 50, faults: { jobs: { '282': { rate: 1, kinds: ['500'] } } } });
  dir = mkdtempSync(join(tmpdir(), 'modelarts-tags-cli-'));
  classificationIds = emulator.jobs.classification.imageIds.slice(0, 5);
  detectionIds = emulator.jobs.detection.imageIds.slice(0, 5);
});

afterAll(async () => {
  await emulator?.close();
  await failing?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('input modes', () => {
  it('takes image IDs as arguments', async () => {
    const { code, stdout, stderr } = await runCliProcess(['get', '282', ...classificationIds], { env: tokenEnv() });
    expect(stderr).not.toContain('emulator answers');
    expect(code).toBe(0);
    const lines = ndjson(stdout);
    expect(lines.map((line) => line.imageId)).toEqual(classificationIds);
    for (const line of lines) {
      expect(line.type).toBe('classification');
      expect(line.tags).toEqual(emulator.groundTruth('282', line.imageId as string)!.tags);
    }
  });

  it('reads a text file with one ID per line, skipping blank lines and # comments', async () => {
    const file = join(dir, 'ids.txt');
    writeFileSync(file, `# detection sample\r\n${detectionIds[0]}\r\n\r\n  ${detectionIds[1]}  \n# done\n${detectionIds[2]}\n`);
    const { code, stdout } = await runCliProcess(['get', '287', '--file', file], { env: tokenEnv() });
    expect(code).toBe(0);
    const lines = ndjson(stdout);
    expect(lines.map((line) => line.imageId)).toEqual(detectionIds.slice(0, 3));
    for (const line of lines) {
      const truth = detectionTruth(line.imageId as string);
      expect((line.tags as unknown[]).map((tag) => ({ tag: (tag as { tag: string }).tag, box: (tag as { box: unknown }).box }))).toEqual(
        expectedDetection(truth),
      );
      expect(line.size).toMatchObject({ width: truth.size![0], height: truth.size![1] });
    }
  });

  it('reads a named CSV column, with quoted fields and a byte order mark', async () => {
    const file = join(dir, 'images.csv');
    const rows = detectionIds.slice(0, 3).map((id, i) => `"photo ${i}, archived",${id},ok`);
    writeFileSync(file, `\ufeffname,Image_ID,status\r\n${rows.join('\r\n')}\r\n`);
    const { code, stdout } = await runCliProcess(['get', '287', '--file', file, '--column', 'image_id'], { env: tokenEnv() });
    expect(code).toBe(0);
    expect(ndjson(stdout).map((line) => line.imageId)).toEqual(detectionIds.slice(0, 3));
  });

  it('reads the first CSV column and recognises its header', async () => {
    const file = join(dir, 'first-column.csv');
    writeFileSync(file, `image_id,note\n${classificationIds.map((id) => `${id},x`).join('\n')}\n`);
    const { code, stdout } = await runCliProcess(['get', '282', '-f', file], { env: tokenEnv() });
    expect(code).toBe(0);
    expect(ndjson(stdout).map((line) => line.imageId)).toEqual(classificationIds);
  });

  it('reads a CSV file without a header', async () => {
    const file = join(dir, 'no-header.csv');
    writeFileSync(file, classificationIds.map((id) => `${id},1`).join('\n'));
    const { code, stdout } = await runCliProcess(['get', '282', '--file', file], { env: tokenEnv() });
    expect(code).toBe(0);
    expect(ndjson(stdout).map((line) => line.imageId)).toEqual(classificationIds);
  });

  it('reads IDs piped on stdin, as text or as CSV', async () => {
    const text = await runCliProcess(['get', '282'], { env: tokenEnv(), input: `${classificationIds.join('\n')}\n` });
    expect(text.code).toBe(0);
    expect(ndjson(text.stdout).map((line) => line.imageId)).toEqual(classificationIds);

    const csv = await runCliProcess(['get', '282', '--column', 'id', '--file', '-'], {
      env: tokenEnv(),
      input: `n,id\n${classificationIds.map((id, i) => `${i},${id}`).join('\n')}\n`,
    });
    expect(csv.code).toBe(0);
    expect(ndjson(csv.stdout).map((line) => line.imageId)).toEqual(classificationIds);
  });

  it('works in a shell pipeline: IDs in from one program, ndjson out to the next', async () => {
    const ids = join(dir, 'pipeline.txt');
    writeFileSync(ids, detectionIds.join('\n'));
    const count = `process.stdin.setEncoding('utf8');let t='';process.stdin.on('data',c=>t+=c).on('end',()=>console.log(t.trim().split('\\n').map(JSON.parse).filter(x=>x.type==='detection').length))`;
    const script = `cat "${ids}" | "${process.execPath}" "${CLI_PATH}" get 287 | "${process.execPath}" -e "${count}"`;
    const { code, stdout } = await run('sh', ['-c', script], { env: tokenEnv() });
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(String(detectionIds.length));
  });

  it('stops quietly when the reader of its output goes away (| head)', async () => {
    const ids = join(dir, 'many.txt');
    writeFileSync(ids, emulator.jobs.detection.imageIds.slice(0, 3000).join('\n'));
    const script = `"${process.execPath}" "${CLI_PATH}" get 287 --file "${ids}" --quiet | head -n 2`;
    const { code, stdout, stderr } = await run('sh', ['-c', script], { env: tokenEnv() });
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(2);
    expect(stderr).not.toMatch(/EPIPE|Error/);
  });
});

describe('output formats', () => {
  it('writes ndjson when stdout is not a terminal', async () => {
    const { stdout } = await runCliProcess(['get', '287', ...detectionIds], { env: tokenEnv() });
    expect(ndjson(stdout)).toHaveLength(detectionIds.length);
  });

  it('--format json writes one document with images, missing IDs and request IDs', async () => {
    const { code, stdout } = await runCliProcess(['get', '287', ...detectionIds, UNKNOWN_ID, '--format', 'json'], { env: tokenEnv() });
    expect(code).toBe(2);
    const document = JSON.parse(stdout) as {
      annotationId: string;
      jobType: string;
      images: { imageId: string }[];
      missing: string[];
      requestIds: string[];
    };
    expect(document.annotationId).toBe('287');
    expect(document.jobType).toBe('detection');
    expect(document.images.map((image) => image.imageId)).toEqual(detectionIds);
    expect(document.missing).toEqual([UNKNOWN_ID]);
    expect(document.requestIds.length).toBeGreaterThan(0);
  });

  it('--format csv writes one row per box, with a header', async () => {
    const { code, stdout } = await runCliProcess(['get', '287', ...detectionIds, '--format', 'csv'], { env: tokenEnv() });
    expect(code).toBe(0);
    const [header, ...rows] = parseCsv(stdout).map((row) => row.cells);
    expect(header).toEqual(['image_id', 'tag', 'xmin', 'ymin', 'xmax', 'ymax', 'width', 'height']);
    const expected = detectionIds.flatMap((id) => {
      const truth = detectionTruth(id);
      const boxes = expectedDetection(truth);
      const size = [String(truth.size![0]), String(truth.size![1])];
      return boxes.length === 0
        ? [[id, '', '', '', '', '', ...size]]
        : boxes.map(({ tag, box }) => [id, tag, ...[box.xmin, box.ymin, box.xmax, box.ymax].map(String), ...size]);
    });
    expect(rows).toEqual(expected);
  });

  it('--format csv for classification writes image_id,tag rows', async () => {
    const { stdout } = await runCliProcess(['get', '282', ...classificationIds, '--format', 'csv'], { env: tokenEnv() });
    const [header, ...rows] = parseCsv(stdout).map((row) => row.cells);
    expect(header).toEqual(['image_id', 'tag']);
    const expected = classificationIds.flatMap((id) => (emulator.groundTruth('282', id)!.tags as string[]).map((tag) => [id, tag]));
    expect(rows).toEqual(expected);
  });

  it('--format table aligns IDs and writes detection boxes as tag@[x,y,x,y]', async () => {
    const { code, stdout } = await runCliProcess(['get', '287', ...detectionIds, '--format', 'table'], { env: tokenEnv() });
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^IMAGE ID\s+SIZE\s+BOXES/);
    const first = detectionTruth(detectionIds[0]!);
    const [box] = expectedDetection(first);
    expect(stdout).toContain(`${detectionIds[0]}  ${first.size![0]}×${first.size![1]}`);
    if (box) expect(stdout).toContain(`${box.tag}@[${box.box.xmin},${box.box.ymin},${box.box.xmax},${box.box.ymax}]`);
    expect(stdout).not.toContain('\u001b['); // no colour codes when not a terminal
  });
});

describe('exit codes and messages', () => {
  it('exits 0 when every ID is found, and --quiet keeps stderr empty', async () => {
    const { code, stderr } = await runCliProcess(['get', '282', ...classificationIds, '--quiet'], { env: tokenEnv() });
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('exits 2 and lists the missing IDs on stderr', async () => {
    const { code, stdout, stderr } = await runCliProcess(['get', '282', classificationIds[0]!, UNKNOWN_ID, 'not-an-image'], {
      env: tokenEnv(),
    });
    expect(code).toBe(2);
    expect(ndjson(stdout)).toHaveLength(1);
    expect(stderr).toContain('2 image ID(s) not found in job 282');
    expect(stderr).toContain(`  ${UNKNOWN_ID}\n`);
    expect(stderr).toContain('  not-an-image\n');
  });

  it('exits 2 and prints failed IDs with the error and its request ID', async () => {
    const ids = failing.jobs.classification.imageIds.slice(0, 3);
    const { code, stderr } = await runCliProcess(['get', '282', ...ids], { env: tokenEnv(failing) });
    expect(code).toBe(2);
    expect(stderr).toContain('3 image ID(s) failed: ServerError');
    expect(stderr).toMatch(/HTTP 500, ModelArts\.6102[^\n]*request ID [0-9a-f]{32}/);
    for (const id of ids) expect(stderr).toContain(`  ${id}\n`);
  });

  it('exits 1 with the usage hint for command-line mistakes', async () => {
    for (const args of [
      [],
      ['list'],
      ['get'],
      ['get', '282', '--format', 'xml'],
      ['get', '282', 'a', '--nope'],
      ['get', '282', '--batch-size', '0', 'a'],
    ]) {
      const { code, stdout, stderr } = await runCliProcess(args, { env: tokenEnv() });
      expect(code, args.join(' ')).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^modelarts-tags: .+\nRun "modelarts-tags --help" for the options\.\n$/);
    }
  });

  it('exits 1 when no IDs are given at all', async () => {
    const { code, stderr } = await runCliProcess(['get', '282'], { env: tokenEnv(), input: '\n# nothing\n' });
    expect(code).toBe(1);
    expect(stderr).toContain('No image IDs found in stdin');
    const missingFile = await runCliProcess(['get', '282', '--file', join(dir, 'absent.txt')], { env: tokenEnv() });
    expect(missingFile.code).toBe(1);
    expect(missingFile.stderr).toContain('no such file');
  });

  it('exits 1 naming the bad line when an ID is unusable', async () => {
    const file = join(dir, 'bad.txt');
    writeFileSync(file, `${classificationIds[0]}\nab\u0007cd\n`);
    const { code, stderr } = await runCliProcess(['get', '282', '--file', file], { env: tokenEnv() });
    expect(code).toBe(1);
    expect(stderr).toContain(`${file}:2: `);
    expect(stderr).toContain('control character');
  });

  it('exits 1 when an unknown CSV column is named, listing the columns', async () => {
    const file = join(dir, 'cols.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const { code, stderr } = await runCliProcess(['get', '282', '--file', file, '--column', 'image'], { env: tokenEnv() });
    expect(code).toBe(1);
    expect(stderr).toContain('no column named "image"');
    expect(stderr).toContain('"a", "b"');
  });

  it('exits 1 on a wrong token, says what to check, and never prints the token', async () => {
    const secretToken = 'MIIT-secret-token-value-0123456789';
    const { code, stdout, stderr } = await runCliProcess(['get', '282', ...classificationIds], {
      env: tokenEnv(emulator, { MODELARTS_TOKEN: secretToken }),
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('Authentication failed');
    expect(stderr).toContain(`requests went to ${emulator.url}`);
    expect(stderr + stdout).not.toContain(secretToken);
  });

  it('exits 1 on a wrong secret key, and never prints the secret', async () => {
    const wrongSecret = 'wrong-secret-key/ZZZZ9999+YYYYxxxx';
    const { code, stdout, stderr } = await runCliProcess(['get', '287', ...detectionIds, '--format', 'json'], {
      env: cleanEnv({
        MODELARTS_ENDPOINT: emulator.url,
        HUAWEICLOUD_SDK_PROJECT_ID: DEFAULT_PROJECT_ID,
        HUAWEICLOUD_SDK_AK: DEFAULT_CREDENTIALS.accessKey,
        HUAWEICLOUD_SDK_SK: wrongSecret,
      }),
    });
    expect(code).toBe(1);
    expect(stderr).toContain('Authentication failed');
    expect(stderr).toContain('AK/SK from HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK');
    expect(stderr + stdout).not.toContain(wrongSecret);
  });

  it('works with AK/SK from the environment', async () => {
    const { code, stdout, stderr } = await runCliProcess(['get', '287', ...detectionIds], {
      env: cleanEnv({
        MODELARTS_ENDPOINT: emulator.url,
        HUAWEICLOUD_SDK_PROJECT_ID: DEFAULT_PROJECT_ID,
        HUAWEICLOUD_SDK_AK: DEFAULT_CREDENTIALS.accessKey,
        HUAWEICLOUD_SDK_SK: DEFAULT_CREDENTIALS.secretKey,
      }),
    });
    expect(code).toBe(0);
    expect(ndjson(stdout)).toHaveLength(detectionIds.length);
    expect(stderr).not.toContain(DEFAULT_CREDENTIALS.secretKey);
  });

  it('exits 1 naming the variable to set when the configuration is incomplete', async () => {
    const { code, stderr } = await runCliProcess(['get', '282', 'abc'], {
      env: cleanEnv({ HUAWEICLOUD_SDK_AK: 'AK-only', HUAWEICLOUD_SDK_REGION_ID: 'cn-north-4' }),
    });
    expect(code).toBe(1);
    expect(stderr).toContain('HUAWEICLOUD_SDK_SK');
    expect(stderr).toContain('HUAWEICLOUD_SDK_PROJECT_ID');
    expect(stderr).toContain('--project-id');
  });

  it('exits 1 for an unknown job, naming the jobs the embedded emulator has', async () => {
    const { code, stderr } = await runCliProcess(['get', '999', 'abc'], { env: cleanEnv() });
    expect(code).toBe(1);
    expect(stderr).toContain('HTTP 404');
    expect(stderr).toMatch(/request ID [0-9a-f]{32}/);
    expect(stderr).toContain('serves jobs 282 (classification), 287');
  });

  it('flags override the environment', async () => {
    const { code, stdout } = await runCliProcess(
      ['get', '282', ...classificationIds, '--endpoint', emulator.url, '--project-id', emulator.projectId],
      {
        env: cleanEnv({
          MODELARTS_TOKEN: DEFAULT_TOKEN,
          MODELARTS_ENDPOINT: 'http://127.0.0.1:9',
          HUAWEICLOUD_SDK_PROJECT_ID: 'ffffffffffffffffffffffffffffffff',
        }),
      },
    );
    expect(code).toBe(0);
    expect(ndjson(stdout)).toHaveLength(classificationIds.length);
  });
});

describe('the embedded emulator', () => {
  it('answers when nothing is configured, and says so in one line', async () => {
    // The embedded emulator uses the default seed, as this test's emulator does: same IDs, same tags.
    const { code, stdout, stderr } = await runCliProcess(['get', '287', ...detectionIds, '--quiet'], { env: cleanEnv() });
    expect(code).toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /^modelarts-tags: no ModelArts endpoint or credentials configured, so the embedded emulator answers \(http:\/\/127\.0\.0\.1:\d+;/,
    );
    expect(ndjson(stdout).map((line) => line.imageId)).toEqual(detectionIds);
  });

  it('runs the examples of --help as written', async () => {
    const help = await runCliProcess(['--help'], { env: cleanEnv() });
    expect(help.code).toBe(0);
    const example = /modelarts-tags (get 287 [0-9a-f]{32} [0-9a-f]{32})\n/.exec(help.stdout);
    expect(example).not.toBeNull();
    const { code, stdout } = await runCliProcess(example![1]!.split(' '), { env: cleanEnv() });
    expect(code).toBe(0);
    expect(ndjson(stdout)).toHaveLength(2);
  });
});

describe('other options', () => {
  it('--report writes a self-contained HTML file with the data', async () => {
    const report = join(dir, 'out', 'report.html');
    const { code, stderr } = await runCliProcess(['get', '287', ...detectionIds, '--report', report], { env: tokenEnv() });
    expect(code).toBe(0);
    expect(stderr).toContain(`report written to ${report}`);
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    for (const id of detectionIds) expect(html).toContain(id);
    expect(html).not.toContain(DEFAULT_TOKEN);
  });

  it('--batch-size and --concurrency shape the requests', async () => {
    emulator.resetStats();
    const { code } = await runCliProcess(['get', '282', ...classificationIds, '--batch-size', '2', '--concurrency', '1'], {
      env: tokenEnv(),
    });
    expect(code).toBe(0);
    expect(emulator.stats.requests).toBe(3);
  });

  it('--version prints the package version and --help the usage', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect((await runCliProcess(['--version'], { env: cleanEnv() })).stdout).toBe(`${version}\n`);
    const help = await runCliProcess(['get', '--help'], { env: cleanEnv() });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: modelarts-tags get <annotationId>/);
  });

  it('shows no progress bar when stderr is not a terminal', async () => {
    const { stderr } = await runCliProcess(['get', '287', '--file', '-', '--batch-size', '5'], {
      env: tokenEnv(),
      input: emulator.jobs.detection.imageIds.slice(0, 100).join('\n'),
    });
    expect(stderr).not.toContain('█');
    expect(stderr).not.toContain('\r');
  });
});
