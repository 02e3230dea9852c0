import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLASSIFICATION_JOB_ID, DETECTION_JOB_ID, startEmulator, type RunningEmulator } from '../../src/index.js';
import { call, get, listAll, paths } from '../support/api.js';

const api = paths();
// The server clock is the test's: a sync's duration passes when the test says so.
let now = 1_700_000_000_000;
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ imagesPerJob: 100, clock: () => now, obsSync: { durationMs: 5_000, addImages: 4 } });
});
beforeEach(() => emulator.reset());
afterAll(() => emulator.close());

const status = async (jobId: string) =>
  (await get<{ sync_status: number }>(emulator, 'showObsSyncStatus', api.syncStatus(jobId))).body.sync_status;
const start = async (jobId: string) => (await call(emulator, 'startObsSync', 'POST', api.sync(jobId))).body;

describe('OBS sync', () => {
  it('reports 0 before any sync, 3 while it runs, then 1, and adds untagged images exactly once', async () => {
    const before = emulator.imageIds(DETECTION_JOB_ID);
    expect(await status(DETECTION_JOB_ID)).toBe(0);
    expect(await start(DETECTION_JOB_ID)).toEqual({ is_success: true });
    expect(await status(DETECTION_JOB_ID)).toBe(3);
    now += 4_999;
    expect(await status(DETECTION_JOB_ID)).toBe(3);
    expect(emulator.imageIds(DETECTION_JOB_ID)).toEqual(before);
    now += 1;
    expect(await status(DETECTION_JOB_ID)).toBe(1);
    expect(await status(DETECTION_JOB_ID)).toBe(1);

    const after = emulator.imageIds(DETECTION_JOB_ID);
    expect(after).toHaveLength(104);
    expect(after.slice(0, 100)).toEqual(before);
    const added = after.slice(100);
    const untagged = await listAll(emulator, DETECTION_JOB_ID, '&tag_name=__none__');
    expect(untagged.slice(-4)).toEqual(added);
    for (const id of added) {
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(emulator.groundTruth(DETECTION_JOB_ID, id)).toMatchObject({ image_id: id, tags: [], size: expect.any(Array) });
    }
    expect(emulator.jobList().find((job) => job.dls_prj_id === 287)?.progress_detail.total_count).toBe(104);
  });

  it('adds images when the time is up even if nobody asks for the status', async () => {
    await start(CLASSIFICATION_JOB_ID);
    now += 5_000;
    const page = await get<{ image_count: number }>(emulator, 'listImages', `${api.images(CLASSIFICATION_JOB_ID)}?tag_name=__none__`);
    expect(page.body.image_count).toBe(4);
  });

  it('joins a running sync when started again, and a later sync adds other images', async () => {
    await start(CLASSIFICATION_JOB_ID);
    now += 2_000;
    await start(CLASSIFICATION_JOB_ID);
    now += 3_000;
    expect(await status(CLASSIFICATION_JOB_ID)).toBe(1);
    expect(emulator.imageIds(CLASSIFICATION_JOB_ID)).toHaveLength(104);
    await start(CLASSIFICATION_JOB_ID);
    now += 5_000;
    expect(await status(CLASSIFICATION_JOB_ID)).toBe(1);
    expect(new Set(emulator.imageIds(CLASSIFICATION_JOB_ID)).size).toBe(108);
  });

  it('can be made to fail (status 2, nothing added) or to hang (status 3 for ever), per job or for all', async () => {
    emulator.setObsSync({ outcome: 'failed' }, DETECTION_JOB_ID);
    emulator.setObsSync({ outcome: 'hang' });
    await start(DETECTION_JOB_ID);
    await start(CLASSIFICATION_JOB_ID);
    now += 1_000_000;
    expect(await status(DETECTION_JOB_ID)).toBe(2);
    expect(await status(CLASSIFICATION_JOB_ID)).toBe(3);
    expect(emulator.obsSyncStatus(CLASSIFICATION_JOB_ID)).toBe(3);
    expect(emulator.imageIds(DETECTION_JOB_ID)).toHaveLength(100);

    emulator.setObsSync({ outcome: 'done', durationMs: 0, addImages: 1 }, DETECTION_JOB_ID);
    await start(DETECTION_JOB_ID);
    expect(await status(DETECTION_JOB_ID)).toBe(1);
    expect(emulator.imageIds(DETECTION_JOB_ID)).toHaveLength(101);
  });

  it('is back to status 0 and the seeded images after reset(), with the settings of the options', async () => {
    emulator.setObsSync({ outcome: 'failed' });
    await start(DETECTION_JOB_ID);
    emulator.reset();
    expect(await status(DETECTION_JOB_ID)).toBe(0);
    await start(DETECTION_JOB_ID);
    now += 5_000;
    expect(await status(DETECTION_JOB_ID)).toBe(1);
  });

  it('refuses bad settings by name', () => {
    expect(() => emulator.setObsSync({ durationMs: -1 })).toThrow(/durationMs/);
    expect(() => emulator.setObsSync({ outcome: 'later' as 'done' })).toThrow(/outcome/);
    expect(() => emulator.setObsSync({}, '999')).toThrow(/no job 999/);
  });

  it('answers 404 for an unknown job', async () => {
    expect((await call(emulator, 'startObsSync', 'POST', api.sync('999'))).status).toBe(404);
    expect((await get(emulator, 'showObsSyncStatus', api.syncStatus('999'))).status).toBe(404);
  });
});
