import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS, startEmulator, type RunningEmulator } from '@modelarts-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cleanEnv, run, SHOWCASE_PATH } from './support/run-cli.js';

// `npm run demo` runs dist/showcase.js: against the embedded emulator by
// default, against a configured endpoint when credentials are set.

let emulator: RunningEmulator;
let dir: string;

beforeAll(async () => {
  assertBuilt();
  emulator = await startEmulator({ imagesPerJob: 200 });
  dir = mkdtempSync(join(tmpdir(), 'modelarts-showcase-'));
});

afterAll(async () => {
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const showcase = (args: string[], env: Record<string, string>) => run(process.execPath, [SHOWCASE_PATH, ...args], { env, cwd: dir });

describe('showcase', () => {
  it('runs against the embedded emulator with nothing configured, says so, and writes the report', async () => {
    const report = join(dir, 'default.html');
    const { code, stdout, stderr } = await showcase(['--report', report], cleanEnv());
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ModelArts tags showcase: running against the LOCAL EMULATOR at http:\/\/127\.0\.0\.1:\d+\n/);
    expect(stdout).toMatch(/Image classification · job 282 · 301 IDs asked, 300 found, 1 missing/);
    expect(stdout).toMatch(/Object detection · job 287 · 300 IDs asked, 300 found, 0 missing/);
    expect(stdout).toMatch(/^IMAGE ID\s+TAGS$/m);
    expect(stdout).toMatch(/^IMAGE ID\s+SIZE\s+BOXES/m);
    expect(stdout).toMatch(/[0-9a-f]{32}\s+\d+×\d+\s+\S+@\[\d+,\d+,\d+,\d+\]/);
    expect(stdout).toMatch(/images per tag: .+ \d+/);
    expect(stdout).toMatch(/boxes per tag: .+ \d+/);
    expect(stdout).toContain('made up on purpose');
    expect(stdout).toContain(`Report: ${report}\n`);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('Local emulator');
  });

  it('writes to apps/demo/report/modelarts-report.html by default', async () => {
    const { code, stdout } = await showcase(['--sample', '5'], cleanEnv());
    expect(code).toBe(0);
    const path = /^Report: (.+)$/m.exec(stdout)![1]!;
    expect(path.replaceAll('\\', '/')).toMatch(/apps\/demo\/report\/modelarts-report\.html$/);
    expect(existsSync(path)).toBe(true);
  });

  it('targets the configured endpoint with AK/SK and the jobs named in the environment', async () => {
    const idsFile = join(dir, 'detection-ids.txt');
    writeFileSync(idsFile, emulator.jobs.detection.imageIds.slice(0, 30).join('\n'));
    const report = join(dir, 'remote.html');
    const { code, stdout, stderr } = await showcase(
      ['--report', report],
      cleanEnv({
        MODELARTS_ENDPOINT: emulator.url,
        HUAWEICLOUD_SDK_PROJECT_ID: emulator.projectId,
        HUAWEICLOUD_SDK_AK: DEFAULT_CREDENTIALS.accessKey,
        HUAWEICLOUD_SDK_SK: DEFAULT_CREDENTIALS.secretKey,
        MODELARTS_CLASSIFICATION_JOB: '282',
        MODELARTS_CLASSIFICATION_IMAGES: emulator.jobs.classification.imageIds.slice(0, 10).join(','),
        MODELARTS_DETECTION_JOB: '287',
        MODELARTS_DETECTION_IMAGES: `@${idsFile}`,
      }),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(
      `running against ${emulator.url} (project ${emulator.projectId}, AK/SK from HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK)`,
    );
    expect(stdout).not.toContain('EMULATOR');
    expect(stdout).toContain('Image classification · job 282 · 10 IDs asked, 10 found');
    expect(stdout).toContain('Object detection · job 287 · 30 IDs asked, 30 found');
    expect(stdout + readFileSync(report, 'utf8')).not.toContain(DEFAULT_CREDENTIALS.secretKey);
    expect(emulator.stats.auth.signature).toBeGreaterThan(0);
  });

  it('says which variables to set when credentials are present but no jobs are named', async () => {
    const { code, stderr } = await showcase(
      [],
      cleanEnv({ MODELARTS_ENDPOINT: emulator.url, HUAWEICLOUD_SDK_PROJECT_ID: emulator.projectId, MODELARTS_TOKEN: 'x' }),
    );
    expect(code).toBe(1);
    expect(stderr).toContain('MODELARTS_CLASSIFICATION_JOB and MODELARTS_CLASSIFICATION_IMAGES');
    expect(stderr).toContain('unset the ModelArts credentials to run against the local emulator');
  });
});
