import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DETECTION_JOB_ID, startEmulator, type JobListEntry, type RunningEmulator } from '../../src/index.js';
import { call, get, paths } from '../support/api.js';

const api = paths();
let now = Date.parse('2026-01-02T03:04:05Z');
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ imagesPerJob: 200, clock: () => now });
});
afterAll(() => emulator.close());

interface JobPage {
  job_total_count: number;
  manual_annotation_count_limit: number;
  jobs: JobListEntry[];
}

const names = (page: JobPage) => page.jobs.map((job) => job.name);

describe('listAnnotationJobs', () => {
  it('lists five jobs of both types, newest first, with numeric dls_prj_id and progress from the state', async () => {
    const { body } = await get<JobPage>(emulator, 'listAnnotationJobs', api.jobs);
    expect(body.job_total_count).toBe(5);
    expect(body.jobs.map((job) => job.dls_prj_id)).toEqual([302, 301, 288, 287, 282]);
    expect(new Set(body.jobs.map((job) => job.type))).toEqual(new Set(['Manual Image classify', 'Manual Object detection']));
    expect(names(body)).toContain('商品图片分类');
    for (const job of body.jobs) {
      expect(job.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const ids = emulator.imageIds(String(job.dls_prj_id));
      const tagged = ids.filter((id) => {
        const tags = emulator.groundTruth(String(job.dls_prj_id), id)!.tags;
        return (typeof tags === 'string' ? JSON.parse(tags) : tags).length > 0;
      }).length;
      expect(job.progress_detail).toEqual({ total_count: 200, has_tag_count: tagged, not_tag_count: 200 - tagged });
      expect(job.progress).toBe(Math.floor((tagged * 10_000) / 200) / 100);
    }
    expect(body.jobs).toEqual([...emulator.jobList()].reverse());
  });

  it('pages with offset as the page index and limit as the page size', async () => {
    const pages: string[] = [];
    for (let offset = 0; offset < 3; offset++) {
      const { body } = await get<JobPage>(emulator, 'listAnnotationJobs', `${api.jobs}?limit=2&offset=${offset}&sort_by=name`);
      expect(body.job_total_count).toBe(5);
      pages.push(...names(body));
    }
    expect(pages).toEqual(['parking-lot-cameras', 'photo-themes', 'street-objects', 'warehouse-shelves', '商品图片分类']);
  });

  it('sorts by name or create time in either order, and searches names', async () => {
    const desc = await get<JobPage>(emulator, 'listAnnotationJobs', `${api.jobs}?sort_by=name&order=desc`);
    expect(names(desc.body)[0]).toBe('商品图片分类');
    const oldest = await get<JobPage>(emulator, 'listAnnotationJobs', `${api.jobs}?sort_by=create_time&order=asc&limit=1`);
    expect(oldest.body.jobs[0]?.dls_prj_id).toBe(282);
    const search = await get<JobPage>(emulator, 'listAnnotationJobs', `${api.jobs}?search_content=${encodeURIComponent('商品')}`);
    expect(search.body).toMatchObject({ job_total_count: 1, jobs: [{ dls_prj_id: 301 }] });
    const street = await get<JobPage>(emulator, 'listAnnotationJobs', `${api.jobs}?search_content=STREET`);
    expect(names(street.body)).toEqual(['street-objects']);
  });

  it.each(['limit=0', 'limit=101', 'offset=-1', 'sort_by=size', 'order=up'])('refuses %s with 400', async (query) => {
    const { status, body } = await get(emulator, 'listAnnotationJobs', `${api.jobs}?${query}`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error_code: 'ModelArts.0104' });
  });
});

describe('validation', () => {
  const job = () => emulator.jobList().find((entry) => entry.dls_prj_id === Number(DETECTION_JOB_ID))!;

  it('shows a deterministic sample of the images, with no pass rate before any save', async () => {
    const first = await get<{ image_count: number; images: { image_id: string; url: string }[] }>(
      emulator,
      'showValidation',
      api.validation(job().id),
    );
    expect(first.body.image_count).toBe(20);
    expect(first.body.images).toHaveLength(20);
    expect(first.body).not.toHaveProperty('last_pass_rate');
    expect(first.body).not.toHaveProperty('last_validation_time');
    for (const image of first.body.images) {
      expect(emulator.imageIds(DETECTION_JOB_ID)).toContain(image.image_id);
      expect(image).toEqual({
        image_id: image.image_id,
        url: `obs://modelarts-kit-demo/street-objects/${image.image_id}.jpg`,
        tags: emulator.groundTruth(DETECTION_JOB_ID, image.image_id)!.tags,
      });
    }
    expect((await get(emulator, 'showValidation', api.validation(job().id))).body).toEqual(first.body);
  });

  it('keeps the pass rate and when it was saved', async () => {
    now += 1_000;
    const saved = await call(emulator, 'saveValidation', 'POST', api.validation(job().id), { pass_rate: 97.25 });
    expect(saved.body).toEqual({ is_success: true });
    const { body } = await get(emulator, 'showValidation', api.validation(job().id));
    expect(body).toMatchObject({ last_pass_rate: 97.25, last_validation_time: now });
  });

  it.each([[{ pass_rate: 100.5 }], [{ pass_rate: -1 }], [{ pass_rate: '90' }], [{}]])('refuses the body %j with 400', async (body) => {
    const { status } = await call(emulator, 'saveValidation', 'POST', api.validation(job().id), body);
    expect(status).toBe(400);
  });

  it('answers 404 for a job ID that is not in the job list, including a dls_prj_id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', DETECTION_JOB_ID]) {
      const { status, body } = await get(emulator, 'showValidation', api.validation(id));
      expect(status).toBe(404);
      expect(body).toMatchObject({ error_code: 'ModelArts.4104' });
    }
  });
});
