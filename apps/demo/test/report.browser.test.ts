import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ModelArtsClient } from '@modelarts-kit/client';
import { DEFAULT_TOKEN, startEmulator, type ClassificationEntry, type DetectionEntry, type RunningEmulator } from '@modelarts-kit/emulator';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport, reportJob } from '@modelarts-kit/cli';
import { launchBrowser, type Browser } from './support/browser.js';
import { assertBuilt, cleanEnv, PACKAGE_DIR, run, runCliProcess, SHOWCASE_PATH } from './support/run-cli.js';

// The report in a real browser (headless Chromium): boxes drawn, filtering, pages.

const SCREENSHOTS = join(PACKAGE_DIR, 'test-output');
const UNKNOWN_IDS = ['00000000000000000000000000000000', '11111111111111111111111111111111'];

let emulator: RunningEmulator;
let failing: RunningEmulator;
let browser: Browser;
let dir: string;
let detectionIds: string[];
const offNetwork: string[] = [];

interface ReportApi {
  ready: boolean;
  job: string;
  query: string;
  page: number;
  pageCount: number;
  pageSize: number;
  matching: number;
  shown: number;
  boxesDrawn: number;
  boxesDrawnTotal: number;
}

/** Boxes per image according to the emulator's own data, not the report's. */
function truthBoxes(imageId: string): { tag: string }[] {
  const entry = emulator.groundTruth('287', imageId) as DetectionEntry;
  return typeof entry.tags === 'string' ? (JSON.parse(entry.tags) as { tag: string }[]) : entry.tags;
}

function truthSize(imageId: string): [number, number] {
  const [width, height] = (emulator.groundTruth('287', imageId) as DetectionEntry).size;
  return [width!, height!];
}

/** The JSON the report embeds, read from the file on disk. */
function embeddedData(path: string): { jobs: { annotationId: string; images: unknown[][]; missing: string[] }[] } {
  const html = readFileSync(path, 'utf8');
  return JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1]!);
}

async function open(path: string): Promise<Page> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(pathToFileURL(path).href);
  await page.waitForFunction(() => (window as unknown as { __report?: ReportApi }).__report?.ready === true);
  expect(errors).toEqual([]);
  return page;
}

const api = (page: Page): Promise<ReportApi> => page.evaluate(() => ({ ...(window as unknown as { __report: ReportApi }).__report }));

/** Opens a lazily built ID list (built on the asynchronous `toggle` event) and reads it once it exists. */
async function openIdList(page: Page, detailsId: string): Promise<(string | null)[]> {
  await page.click(`#${detailsId} summary`);
  await page.waitForSelector(`#${detailsId} .id-list div`);
  return page.$$eval(`#${detailsId} .id-list div`, (elements) => elements.map((element) => element.textContent));
}

async function setFilter(page: Page, query: string): Promise<void> {
  await page.fill('#filter', query);
  await page.waitForFunction((q) => (window as unknown as { __report: ReportApi }).__report.query === q, query);
}

/** Visits every page of the current filter, returning what each card showed. */
async function collectAllPages(
  page: Page,
): Promise<{ id: string; tags: string[]; boxCount: number | null; width: number; height: number }[]> {
  const cards = [];
  const { pageCount } = await api(page);
  for (let number = 1; number <= pageCount; number++) {
    if (number > 1) {
      await page.click('#next-page');
      await page.waitForFunction((n) => (window as unknown as { __report: ReportApi }).__report.page === n, number);
    }
    const onPage = await page.$$eval('#grid [data-image-id]', (elements) =>
      elements.map((element) => {
        const canvas = element.querySelector('canvas');
        return {
          id: (element as HTMLElement).dataset.imageId!,
          tags: JSON.parse((element as HTMLElement).dataset.tags!) as string[],
          boxCount: canvas ? Number(canvas.dataset.boxCount) : null,
          width: canvas?.width ?? 0,
          height: canvas?.height ?? 0,
        };
      }),
    );
    const state = await api(page);
    expect(state.shown).toBe(onPage.length);
    // What the page says it drew equals what its canvases carry.
    expect(state.boxesDrawn).toBe(onPage.reduce((sum, card) => sum + (card.boxCount ?? 0), 0));
    cards.push(...onPage);
  }
  return cards;
}

beforeAll(async () => {
  assertBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'modelarts-report-'));
  browser = await launchBrowser();
  // Only the report file itself may load: anything else is recorded and refused.
  await browser.context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    offNetwork.push(url);
    return route.abort();
  });
  emulator = await startEmulator();
  failing = await startEmulator({ imagesPerJob: 20, faults: { jobs: { '282': { rate: 1, kinds: ['500'] } } } });
  detectionIds = emulator.jobs.detection.imageIds.slice(0, 250);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
  await failing?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('detection report', () => {
  let reportPath: string;

  beforeAll(async () => {
    reportPath = join(dir, 'detection.html');
    const ids = join(dir, 'detection-ids.txt');
    writeFileSync(ids, [...detectionIds, ...UNKNOWN_IDS].join('\n'));
    const env = cleanEnv({
      MODELARTS_ENDPOINT: emulator.url,
      MODELARTS_TOKEN: DEFAULT_TOKEN,
      HUAWEICLOUD_SDK_PROJECT_ID: emulator.projectId,
    });
    const { code, stderr } = await runCliProcess(['get', '287', '--file', ids, '--report', reportPath, '--quiet'], { env });
    expect(code, stderr).toBe(2); // the two unknown IDs
  });

  it("draws every box of the data on canvases with the images' aspect ratios", async () => {
    const page = await open(reportPath);
    const initial = await api(page);
    expect(initial).toMatchObject({ job: '287', page: 1, pageCount: 3, matching: 250, shown: 100 });
    await page.screenshot({ path: join(SCREENSHOTS, 'report-detection.png') });

    const cards = await collectAllPages(page);
    expect(cards.map((card) => card.id)).toEqual(detectionIds);
    for (const card of cards) {
      expect(card.boxCount, card.id).toBe(truthBoxes(card.id).length);
      const [width, height] = truthSize(card.id);
      expect(Math.abs(card.width / card.height - width / height) / (width / height), card.id).toBeLessThan(0.02);
    }
    const inData = embeddedData(reportPath).jobs[0]!.images.reduce((sum, image) => sum + (image[3] as number[]).length / 5, 0);
    const inTruth = detectionIds.reduce((sum, id) => sum + truthBoxes(id).length, 0);
    expect(inData).toBe(inTruth);
    expect((await api(page)).boxesDrawnTotal).toBe(inTruth);
    expect(cards.reduce((sum, card) => sum + card.boxCount!, 0)).toBe(inTruth);
    await page.close();
  });

  it('filters by a tag: only matching images remain, on every page', async () => {
    const page = await open(reportPath);
    const expected = detectionIds.filter((id) => truthBoxes(id).some((box) => box.tag === 'bus'));
    expect(expected.length).toBeGreaterThan(10);

    await setFilter(page, '"bus"');
    expect((await api(page)).matching).toBe(expected.length);
    await page.screenshot({ path: join(SCREENSHOTS, 'report-detection-filtered.png') });
    const cards = await collectAllPages(page);
    expect(cards.map((card) => card.id)).toEqual(expected);
    for (const card of cards) expect(card.tags).toContain('bus');

    // A tag chip in the summary filters too, and clicking it again clears the filter.
    const cats = detectionIds.filter((id) => truthBoxes(id).some((box) => box.tag === 'cat'));
    await page.click('.tag-counts button.chip[data-tag="cat"]');
    await page.waitForFunction(() => /cat/.test((window as unknown as { __report: ReportApi }).__report.query));
    expect((await api(page)).matching).toBe(cats.length);
    await page.click('.tag-counts button.chip[data-tag="cat"]');
    await page.waitForFunction(() => (window as unknown as { __report: ReportApi }).__report.query === '');
    expect((await api(page)).matching).toBe(250);

    await setFilter(page, 'no-such-tag');
    expect(await api(page)).toMatchObject({ matching: 0, shown: 0, boxesDrawn: 0 });
    await expect(page.textContent('#grid')).resolves.toContain('No image has a tag matching');
    await page.close();
  });

  it('lists the label QA findings by kind, each with its image', async () => {
    const expected = new Map<string, string[]>();
    const add = (kind: string, message: string) => expected.set(kind, [...(expected.get(kind) ?? []), message]);
    for (const id of detectionIds) {
      const entry = emulator.groundTruth('287', id) as DetectionEntry;
      const boxes = truthBoxes(id) as { tag: string; pos: number[] }[];
      const [width, height] = truthSize(id);
      if (boxes.length === 0) add('imageWithoutTags', `image ${id} has no tags`);
      boxes.forEach(({ tag, pos }, index) => {
        const [xmin, xmax] = [Math.min(pos[0]!, pos[2]!), Math.max(pos[0]!, pos[2]!)];
        const [ymin, ymax] = [Math.min(pos[1]!, pos[3]!), Math.max(pos[1]!, pos[3]!)];
        if (xmin === xmax || ymin === ymax)
          add('zeroAreaBox', `image ${id}, box ${index} (${tag}): zero area ([${xmin}, ${ymin}, ${xmax}, ${ymax}])`);
        if (xmin < 0 || ymin < 0 || xmax > width || ymax > height) {
          add(
            'boxOutsideImage',
            `image ${id}, box ${index} (${tag}): [${xmin}, ${ymin}, ${xmax}, ${ymax}] reaches outside the ${width}x${height} image`,
          );
        }
      });
      expect(entry.size).toBeDefined();
    }
    expect(expected.get('imageWithoutTags')?.length).toBeGreaterThan(0);
    const page = await open(reportPath);
    await page.click('#qa summary');
    await page.waitForSelector('#qa .qa-kind li');
    const shown = await page.$$eval('#qa .qa-kind', (elements) =>
      elements.map(
        (element) => [(element as HTMLElement).dataset.kind!, [...element.querySelectorAll('li')].map((li) => li.textContent!)] as const,
      ),
    );
    expect(new Map(shown)).toEqual(expected);
    await page.close();
  });

  it('lists the missing IDs and the request IDs in the summary', async () => {
    const page = await open(reportPath);
    expect(await openIdList(page, 'missing')).toEqual(UNKNOWN_IDS);
    const requestIds = await openIdList(page, 'request-ids');
    expect(requestIds).toHaveLength(3);
    for (const id of requestIds) expect(id).toMatch(/^[0-9a-f]{32}$/);
    await page.close();
  });

  it('looks right in dark mode', async () => {
    const page = await browser.context.newPage();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(pathToFileURL(reportPath).href);
    await page.waitForFunction(() => (window as unknown as { __report?: ReportApi }).__report?.ready === true);
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(18, 22, 31)');
    await page.screenshot({ path: join(SCREENSHOTS, 'report-detection-dark.png') });
    await page.close();
  });
});

describe('showcase report (classification and detection)', () => {
  let reportPath: string;

  beforeAll(async () => {
    reportPath = join(dir, 'showcase.html');
    const { code, stdout, stderr } = await run(process.execPath, [SHOWCASE_PATH, '--sample', '120', '--report', reportPath], {
      env: cleanEnv(),
    });
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`Report: ${reportPath}`);
  });

  it('shows classification images with tag chips, and filters them by a tag', async () => {
    const page = await open(reportPath);
    expect(await page.$$eval('[role="tab"]', (tabs) => tabs.map((tab) => tab.getAttribute('data-job')))).toEqual(['282', '287']);
    const state = await api(page);
    expect(state.job).toBe('282');
    expect(await page.locator('#grid canvas').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'report-classification.png') });

    const ids = embeddedData(reportPath).jobs[0]!.images.map((image) => image[0] as string);
    expect(ids).toHaveLength(120);
    const tagsOf = (id: string) => (emulator.groundTruth('282', id) as ClassificationEntry).tags;
    const chips = await page.$$eval('#grid [data-image-id]', (cards) =>
      cards.map((card) => ({
        id: (card as HTMLElement).dataset.imageId!,
        chips: [...card.querySelectorAll('.chip')].map((chip) => chip.textContent),
      })),
    );
    for (const card of chips) expect(card.chips).toEqual(tagsOf(card.id));

    const expected = ids.filter((id) => tagsOf(id).includes('猫'));
    await setFilter(page, '猫');
    expect((await api(page)).matching).toBe(expected.length);
    const cards = await collectAllPages(page);
    expect(cards.map((card) => card.id)).toEqual(expected);

    // Two terms: images with both tags.
    const both = ids.filter((id) => tagsOf(id).includes('night') && tagsOf(id).includes('cat'));
    await setFilter(page, '"night", "cat"');
    expect((await api(page)).matching).toBe(both.length);
    await page.close();
  });

  it('switches to the detection job', async () => {
    const page = await open(reportPath);
    await page.click('[role="tab"][data-job="287"]');
    await page.waitForFunction(() => (window as unknown as { __report: ReportApi }).__report.job === '287');
    const state = await api(page);
    expect(state.matching).toBe(120);
    expect(state.boxesDrawn).toBeGreaterThan(0);
    await page.close();
  });
});

describe('report of failed requests', () => {
  it('shows the failed IDs with the error and its request ID', async () => {
    const reportPath = join(dir, 'failed.html');
    const ids = failing.jobs.classification.imageIds.slice(0, 4);
    const env = cleanEnv({
      MODELARTS_ENDPOINT: failing.url,
      MODELARTS_TOKEN: DEFAULT_TOKEN,
      HUAWEICLOUD_SDK_PROJECT_ID: failing.projectId,
    });
    const { code } = await runCliProcess(['get', '282', ...ids, '--report', reportPath, '--quiet', '--format', 'json'], { env });
    expect(code).toBe(2);
    const page = await open(reportPath);
    await page.click('#failed summary');
    const text = await page.textContent('#failed');
    expect(text).toContain('ServerError');
    expect(text).toMatch(/request ID [0-9a-f]{32}/);
    for (const id of ids) expect(text).toContain(id);
    await page.close();
  });
});

describe('at 10,000 images', () => {
  it('stays under 1 MB and pages through them', async () => {
    const big = await startEmulator({ imagesPerJob: 10_000 });
    let html: string;
    try {
      const client = new ModelArtsClient({ endpoint: big.url, projectId: big.projectId, auth: { token: DEFAULT_TOKEN } });
      const result = await client.getImageTags({ annotationId: '287', imageIds: big.jobs.detection.imageIds });
      expect(result.images).toHaveLength(10_000);
      html = renderReport({
        version: 1,
        title: '10,000 detection images',
        generatedAt: new Date().toISOString(),
        source: { kind: 'emulator', label: 'test' },
        jobs: [reportJob({ annotationId: '287', result })],
      });
    } finally {
      await big.close();
    }
    // About 880 KB: most of it is the 10,000 image IDs and 25,000 boxes as compact JSON.
    expect(Buffer.byteLength(html)).toBeLessThan(1_000_000);
    const path = join(dir, 'ten-thousand.html');
    writeFileSync(path, html);

    const page = await open(path);
    expect(await api(page)).toMatchObject({ matching: 10_000, pageCount: 100, shown: 100 });
    expect(await page.locator('#grid canvas').count()).toBe(100);
    await page.selectOption('#page-size', '500');
    await page.waitForFunction(() => (window as unknown as { __report: ReportApi }).__report.pageSize === 500);
    const state = await api(page);
    expect(state).toMatchObject({ pageCount: 20, shown: 500 });
    const drawn = await page.$$eval('#grid canvas', (canvases) =>
      canvases.reduce((sum, canvas) => sum + Number((canvas as HTMLCanvasElement).dataset.boxCount), 0),
    );
    expect(state.boxesDrawn).toBe(drawn);
    await setFilter(page, '"行人"');
    const filtered = await api(page);
    expect(filtered.matching).toBeGreaterThan(1000);
    expect(filtered.matching).toBeLessThan(10_000);
    await page.close();
  });
});

describe('offline', () => {
  it('no report asked for anything beyond its own file', () => {
    expect(offNetwork).toEqual([]);
  });
});
