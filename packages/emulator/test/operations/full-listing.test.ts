import { Agent } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_TOKEN, SHELF_DETECTION_JOB_ID, startEmulator, type RunningEmulator } from '../../src/index.js';
import { paths } from '../support/api.js';
import { send } from '../support/http.js';

const IMAGES = 100_000;
const PER_PAGE = 100;
let emulator: RunningEmulator;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  emulator = await startEmulator({ imagesPerJob: IMAGES, keepAliveTimeoutMs: 60_000 });
});
afterAll(async () => {
  agent.destroy();
  await emulator.close();
});

async function listEvery(selector: string): Promise<{ ids: string[]; counts: Set<number> }> {
  const ids: string[] = [];
  const counts = new Set<number>();
  for (let page = 0; ; page++) {
    const response = await send(emulator.url, {
      method: 'GET',
      path: `${paths().images(SHELF_DETECTION_JOB_ID)}?per_page=${PER_PAGE}&page=${page}${selector}`,
      headers: { 'x-auth-token': DEFAULT_TOKEN },
      agent,
    });
    expect(response.status).toBe(200);
    const body = response.json() as { image_count: number; images: { image_id: string }[] };
    counts.add(body.image_count);
    for (const image of body.images) ids.push(image.image_id);
    if (body.images.length < PER_PAGE) return { ids, counts };
  }
}

it('lists every image of a 100,000-image job exactly once, page by page (tagged, then untagged)', async () => {
  const tagged = await listEvery('');
  const untagged = await listEvery('&tag_name=__none__');
  // The total is the same on every page, and it is what the pages added up to.
  expect([...tagged.counts]).toEqual([tagged.ids.length]);
  expect([...untagged.counts]).toEqual([untagged.ids.length]);
  const all = [...tagged.ids, ...untagged.ids];
  expect(all).toHaveLength(IMAGES);
  expect(new Set(all).size).toBe(IMAGES);
  expect(new Set(all)).toEqual(new Set(emulator.imageIds(SHELF_DETECTION_JOB_ID)));
  expect(untagged.ids.length).toBe(emulator.jobList().find((job) => job.dls_prj_id === 302)?.progress_detail.not_tag_count);
});
