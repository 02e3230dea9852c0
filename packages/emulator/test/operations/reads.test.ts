import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DETECTION_JOB_ID, DETECTION_STRING_TAGS_JOB_ID, startEmulator, type RunningEmulator } from '../../src/index.js';
import { CLASSIFICATION_JOB_ID, PRODUCT_CLASSIFICATION_JOB_ID } from '../../src/index.js';
import { tagNamesOf } from '../../src/state/tag-index.js';
import { get, listAll, paths } from '../support/api.js';

const api = paths();
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ imagesPerJob: 400, seed: 11 });
});
afterAll(() => emulator.close());

/** What the ground truth says the image list must hold, in the job's order. */
function expected(jobId: string, select: (names: string[]) => boolean): string[] {
  return emulator.imageIds(jobId).filter((id) => select(tagNamesOf(emulator.groundTruth(jobId, id)!)));
}

interface ImagePage {
  image_count: number;
  images: { image_id: string; url: string; tags: unknown; size?: number[] }[];
}

describe('listImages', () => {
  it.each([
    ['every tagged image', DETECTION_JOB_ID, '', (names: string[]) => names.length > 0],
    ['untagged images', DETECTION_JOB_ID, '&tag_name=__none__', (names: string[]) => names.length === 0],
    ['the images of one tag', DETECTION_JOB_ID, '&tag_name=car', (names: string[]) => names.includes('car')],
    ['a Chinese tag', CLASSIFICATION_JOB_ID, `&tag_name=${encodeURIComponent('猫')}`, (names: string[]) => names.includes('猫')],
    ['untagged images of a partly tagged job', PRODUCT_CLASSIFICATION_JOB_ID, '&tag_name=__none__', (n: string[]) => n.length === 0],
  ])('pages through %s, each exactly once, in a stable order', async (_, jobId, query, select) => {
    const want = expected(jobId, select);
    expect(want.length).toBeGreaterThan(0);
    expect(await listAll(emulator, jobId, query, 7)).toEqual(want);
  });

  it('answers entries with a stable OBS url, the tags as tags/show sends them and the total count', async () => {
    const first = await get<ImagePage>(emulator, 'listImages', `${api.images(DETECTION_STRING_TAGS_JOB_ID)}?per_page=3&page=2`);
    const again = await get<ImagePage>(emulator, 'listImages', `${api.images(DETECTION_STRING_TAGS_JOB_ID)}?per_page=3&page=2`);
    expect(first.body).toEqual(again.body);
    expect(first.body.image_count).toBe(expected(DETECTION_STRING_TAGS_JOB_ID, (n) => n.length > 0).length);
    for (const image of first.body.images) {
      const truth = emulator.groundTruth(DETECTION_STRING_TAGS_JOB_ID, image.image_id) as { tags: string; size: number[] };
      expect(image).toEqual({
        image_id: image.image_id,
        url: `obs://modelarts-kit-demo/parking-lot-cameras/${image.image_id}.jpg`,
        tags: truth.tags,
        size: truth.size,
      });
      expect(typeof image.tags).toBe('string');
    }
  });

  it('defaults to 10 per page from page 0', async () => {
    const { body } = await get<ImagePage>(emulator, 'listImages', api.images(CLASSIFICATION_JOB_ID));
    expect(body.images.map((image) => image.image_id)).toEqual(emulator.imageIds(CLASSIFICATION_JOB_ID).slice(0, 10));
  });

  it('answers an empty page past the end, and for a tag no image carries', async () => {
    const past = await get<ImagePage>(emulator, 'listImages', `${api.images(CLASSIFICATION_JOB_ID)}?per_page=100&page=4`);
    expect(past.body).toEqual({ is_success: true, image_count: 400, images: [] });
    const none = await get<ImagePage>(emulator, 'listImages', `${api.images(CLASSIFICATION_JOB_ID)}?tag_name=unicorn`);
    expect(none.body).toEqual({ is_success: true, image_count: 0, images: [] });
  });

  it.each([
    ['per_page=0', /per_page must be >= 1/],
    ['per_page=101', /per_page must be <= 100/],
    ['per_page=abc', /per_page must be an integer/],
    ['page=-1', /page must be >= 0/],
    ['tag_name=', /tag_name must NOT have fewer than 1 characters/],
  ])('refuses %s with 400', async (query, message) => {
    const { status, body } = await get<{ error_code: string; error_msg: string }>(
      emulator,
      'listImages',
      `${api.images(CLASSIFICATION_JOB_ID)}?${query}`,
    );
    expect(status).toBe(400);
    expect(body.error_code).toBe('ModelArts.0104');
    expect(body.error_msg).toMatch(message);
  });

  it('answers 404 ModelArts.4104 for an unknown job or project', async () => {
    for (const path of [paths().images('999'), paths('f'.repeat(32)).images(CLASSIFICATION_JOB_ID)]) {
      const { status, body } = await get(emulator, 'listImages', path);
      expect(status).toBe(404);
      expect(body).toMatchObject({ error_code: 'ModelArts.4104' });
    }
  });
});

describe('showImageTag', () => {
  it('answers image_id and tags for a classification image', async () => {
    const imageId = emulator.imageIds(CLASSIFICATION_JOB_ID)[5]!;
    const { body } = await get(emulator, 'showImageTag', api.imageTags(CLASSIFICATION_JOB_ID, imageId));
    expect(body).toEqual({ is_success: true, ...emulator.groundTruth(CLASSIFICATION_JOB_ID, imageId) });
  });

  it('answers tags and size for a detection image', async () => {
    const imageId = emulator.imageIds(DETECTION_JOB_ID)[5]!;
    const { image_id: _, ...truth } = emulator.groundTruth(DETECTION_JOB_ID, imageId)!;
    const { body } = await get(emulator, 'showImageTag', api.imageTags(DETECTION_JOB_ID, imageId));
    expect(body).toEqual({ is_success: true, ...truth });
  });

  it('answers 404 for an image the job does not hold', async () => {
    const { status, body } = await get(emulator, 'showImageTag', api.imageTags(DETECTION_JOB_ID, 'f'.repeat(32)));
    expect(status).toBe(404);
    expect(body).toMatchObject({ error_code: 'ModelArts.4104', error_msg: expect.stringContaining('f'.repeat(32)) });
  });
});

describe('listTags and showTagStatistics', () => {
  it('agree with the ground truth', async () => {
    const counts = new Map<string, number>();
    let untagged = 0;
    for (const id of emulator.imageIds(DETECTION_JOB_ID)) {
      const names = tagNamesOf(emulator.groundTruth(DETECTION_JOB_ID, id)!);
      if (names.length === 0) untagged += 1;
      for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    const names = [...counts.keys()].sort();
    const tags = await get(emulator, 'listTags', api.tags(DETECTION_JOB_ID));
    expect(tags.body).toEqual({ is_success: true, tags: names });
    const stats = await get(emulator, 'showTagStatistics', api.stats(DETECTION_JOB_ID));
    expect(stats.body).toEqual({
      is_success: true,
      tag_count: names.map((tag) => ({ tag, count: counts.get(tag) })),
      tags_stat: [
        { has_tag: true, count: 400 - untagged },
        { has_tag: false, count: untagged },
      ],
    });
  });
});
