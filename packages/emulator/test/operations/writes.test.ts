import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CLASSIFICATION_JOB_ID,
  DETECTION_JOB_ID,
  DETECTION_STRING_TAGS_JOB_ID,
  startEmulator,
  type DetectionEntry,
  type RunningEmulator,
} from '../../src/index.js';
import { call, get, listAll, paths } from '../support/api.js';

const api = paths();
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ imagesPerJob: 300, seed: 5 });
});
beforeEach(() => emulator.reset());
afterAll(() => emulator.close());

const update = (jobId: string, body: unknown) => call(emulator, 'updateImageTags', 'PUT', api.images(jobId), body);
const tagsShow = async (jobId: string, ids: string[]) =>
  (await call<{ images_tags: unknown[] }>(emulator, 'showImageTags', 'POST', api.tagsShow(jobId), { image_id: ids })).body.images_tags;
const detectionImage = (index: number) => {
  const imageId = emulator.imageIds(DETECTION_JOB_ID)[index]!;
  return { imageId, size: (emulator.groundTruth(DETECTION_JOB_ID, imageId) as DetectionEntry).size };
};

describe('updateImageTags', () => {
  it('writes classification tags that tags/show, showImageTag, the image list and the statistics then report', async () => {
    const [a, b] = emulator.imageIds(CLASSIFICATION_JOB_ID);
    const written = await update(CLASSIFICATION_JOB_ID, {
      images: [
        { image_id: a, tags: ['zebra', '猫'] },
        { image_id: b, tags: [] },
      ],
    });
    expect(written.body).toEqual({ is_success: true });
    expect(await tagsShow(CLASSIFICATION_JOB_ID, [a!, b!])).toEqual([
      { image_id: a, tags: ['zebra', '猫'] },
      { image_id: b, tags: [] },
    ]);
    expect((await get(emulator, 'showImageTag', api.imageTags(CLASSIFICATION_JOB_ID, a!))).body.tags).toEqual(['zebra', '猫']);
    expect(await listAll(emulator, CLASSIFICATION_JOB_ID, '&tag_name=zebra')).toEqual([a]);
    expect(await listAll(emulator, CLASSIFICATION_JOB_ID, '&tag_name=__none__')).toEqual([b]);
    expect((await get(emulator, 'listTags', api.tags(CLASSIFICATION_JOB_ID))).body.tags).toContain('zebra');
    const stats = await get(emulator, 'showTagStatistics', api.stats(CLASSIFICATION_JOB_ID));
    expect(stats.body.tags_stat).toEqual([
      { has_tag: true, count: 299 },
      { has_tag: false, count: 1 },
    ]);
    expect(emulator.jobList()[0]).toMatchObject({ progress: 99.66, progress_detail: { has_tag_count: 299, not_tag_count: 1 } });
    expect(emulator.groundTruth(CLASSIFICATION_JOB_ID, a!)).toEqual({ image_id: a, tags: ['zebra', '猫'] });
  });

  it('writes boxes inside the image, keeping the size, and a second identical write changes nothing', async () => {
    const { imageId, size } = detectionImage(0);
    const body = { images: [{ image_id: imageId, tags: [{ tag: 'car', pos: [0, 0, size[0], size[1]] }], size: size.slice(0, 2) }] };
    for (let i = 0; i < 2; i++) expect((await update(DETECTION_JOB_ID, body)).body).toEqual({ is_success: true });
    expect(emulator.groundTruth(DETECTION_JOB_ID, imageId)).toEqual({ image_id: imageId, tags: body.images[0]!.tags, size });
  });

  it('keeps the string encoding of a job that sends tags as a JSON string', async () => {
    const imageId = emulator.imageIds(DETECTION_STRING_TAGS_JOB_ID)[0]!;
    const boxes = [{ tag: 'bus', pos: [1, 2, 30, 40] }];
    await update(DETECTION_STRING_TAGS_JOB_ID, { images: [{ image_id: imageId, tags: boxes }] });
    const [entry] = (await tagsShow(DETECTION_STRING_TAGS_JOB_ID, [imageId])) as { tags: string }[];
    expect(JSON.parse(entry!.tags)).toEqual(boxes);
  });

  it.each([
    ['xmin >= xmax', [10, 0, 10, 5], /xmin 10 must be less than xmax 10/],
    ['ymin >= ymax', [0, 9, 5, 3], /ymin 9 must be less than ymax 3/],
    ['a negative corner', [-1, 0, 5, 5], /starts outside the image/],
    ['a box wider than the image', [0, 0, 100_000, 5], /reaches outside the/],
  ])('refuses %s with 400 and writes nothing, not even the valid images before it', async (_, pos, message) => {
    const good = detectionImage(1);
    const bad = detectionImage(2);
    const before = [good.imageId, bad.imageId].map((id) => emulator.groundTruth(DETECTION_JOB_ID, id));
    const { status, body } = await update(DETECTION_JOB_ID, {
      images: [
        { image_id: good.imageId, tags: [{ tag: 'ok', pos: [0, 0, 1, 1] }] },
        { image_id: bad.imageId, tags: [{ tag: 'bad', pos }] },
      ],
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error_code: 'ModelArts.0104', error_msg: expect.stringMatching(message) });
    expect([good.imageId, bad.imageId].map((id) => emulator.groundTruth(DETECTION_JOB_ID, id))).toEqual(before);
  });

  it('refuses unknown image IDs with 400 naming them, and writes none of the known ones', async () => {
    const known = emulator.imageIds(CLASSIFICATION_JOB_ID)[0]!;
    const before = emulator.groundTruth(CLASSIFICATION_JOB_ID, known);
    const { status, body } = await update(CLASSIFICATION_JOB_ID, {
      images: [
        { image_id: known, tags: ['x'] },
        { image_id: 'a'.repeat(32), tags: ['x'] },
        { image_id: 'b'.repeat(32), tags: ['x'] },
      ],
    });
    expect(status).toBe(400);
    expect(body.error_msg).toContain(`${'a'.repeat(32)}, ${'b'.repeat(32)}`);
    expect(emulator.groundTruth(CLASSIFICATION_JOB_ID, known)).toEqual(before);
  });

  it('refuses boxes for a classification job, names for a detection job, and a size that is not the image size', async () => {
    const classification = emulator.imageIds(CLASSIFICATION_JOB_ID)[0]!;
    const boxes = await update(CLASSIFICATION_JOB_ID, { images: [{ image_id: classification, tags: [{ tag: 'a', pos: [0, 0, 1, 1] }] }] });
    expect(boxes.body.error_msg).toMatch(/image classification job/);
    const { imageId, size } = detectionImage(0);
    const names = await update(DETECTION_JOB_ID, { images: [{ image_id: imageId, tags: ['car'] }] });
    expect(names.body.error_msg).toMatch(/object detection job/);
    const wrongSize = await update(DETECTION_JOB_ID, { images: [{ image_id: imageId, tags: [] }], size: [size[0]! + 1, size[1]] });
    expect(wrongSize.status).toBe(400);
    expect(wrongSize.body.error_msg).toMatch(/is not the image's size/);
  });

  it.each([
    [{}],
    [{ images: [] }],
    [{ images: [{ image_id: 'x' }] }],
    [{ images: [{ image_id: 'x', tags: [{ tag: 'a', pos: [1, 2, 3] }] }] }],
  ])('refuses the malformed body %j with 400', async (body) => {
    expect((await update(CLASSIFICATION_JOB_ID, body)).status).toBe(400);
  });
});

describe('deleteImages and deleteImage', () => {
  it('remove images from every operation, ignoring unknown IDs in a batch', async () => {
    const ids = emulator.imageIds(DETECTION_JOB_ID).slice(0, 3) as string[];
    const deleted = await call(emulator, 'deleteImages', 'POST', api.deleteImages(DETECTION_JOB_ID), { image_id: [ids[0], ids[1], 'zz'] });
    expect(deleted.body).toEqual({ is_success: true });
    const one = await call(emulator, 'deleteImage', 'DELETE', api.image(DETECTION_JOB_ID, ids[2]!));
    expect(one.body).toEqual({ is_success: true });

    expect(emulator.imageIds(DETECTION_JOB_ID)).toHaveLength(297);
    expect(await tagsShow(DETECTION_JOB_ID, ids)).toEqual([]);
    for (const id of ids) {
      expect(emulator.groundTruth(DETECTION_JOB_ID, id)).toBeUndefined();
      expect((await get(emulator, 'showImageTag', api.imageTags(DETECTION_JOB_ID, id))).status).toBe(404);
    }
    const listed = [...(await listAll(emulator, DETECTION_JOB_ID)), ...(await listAll(emulator, DETECTION_JOB_ID, '&tag_name=__none__'))];
    expect(listed.sort()).toEqual([...emulator.imageIds(DETECTION_JOB_ID)].sort());
    const stats = (await get<{ tags_stat: { count: number }[] }>(emulator, 'showTagStatistics', api.stats(DETECTION_JOB_ID))).body;
    expect(stats.tags_stat[0]!.count + stats.tags_stat[1]!.count).toBe(297);
    expect(emulator.jobList().find((job) => job.dls_prj_id === 287)?.progress_detail.total_count).toBe(297);
  });

  it('answers 404 to deleting one image the job does not hold, and a second batch delete is harmless', async () => {
    const id = emulator.imageIds(CLASSIFICATION_JOB_ID)[0]!;
    expect((await call(emulator, 'deleteImage', 'DELETE', api.image(CLASSIFICATION_JOB_ID, id))).status).toBe(200);
    const again = await call(emulator, 'deleteImage', 'DELETE', api.image(CLASSIFICATION_JOB_ID, id));
    expect(again.status).toBe(404);
    const batch = await call(emulator, 'deleteImages', 'POST', api.deleteImages(CLASSIFICATION_JOB_ID), { image_id: [id] });
    expect(batch.status).toBe(200);
  });

  it('are undone by reset()', async () => {
    const before = emulator.imageIds(CLASSIFICATION_JOB_ID);
    await call(emulator, 'deleteImages', 'POST', api.deleteImages(CLASSIFICATION_JOB_ID), { image_id: before.slice(0, 10) });
    await update(CLASSIFICATION_JOB_ID, { images: [{ image_id: before[20], tags: ['changed'] }] });
    emulator.reset();
    expect(emulator.imageIds(CLASSIFICATION_JOB_ID)).toEqual(before);
    expect(emulator.jobs.classification.imageIds).toEqual(before);
    expect(emulator.groundTruth(CLASSIFICATION_JOB_ID, before[20]!)?.tags).not.toEqual(['changed']);
  });
});
