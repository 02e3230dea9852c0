import type { LiveJob } from '../../state/emulator-state.js';
import { selectJobs } from '../../state/job-directory.js';
import { listedImage } from './images.js';
import { jobOf, success, type OperationHandler } from './types.js';

// What the service allows a project; reported as the documented field, never enforced here.
const MANUAL_ANNOTATION_COUNT_LIMIT = 100;
// How many images a validation draws from a job.
const VALIDATION_SAMPLE_SIZE = 20;

const JOB_TYPE_NAMES = { classification: 'Manual Image classify', detection: 'Manual Object detection' } as const;

/** One entry of the job list, as `listAnnotationJobs` sends it now. */
export interface JobListEntry {
  id: string;
  name: string;
  description: string;
  data_type: number;
  path: string;
  type: 'Manual Image classify' | 'Manual Object detection';
  create_time: number;
  dls_prj_id: number;
  progress: number;
  progress_detail: { total_count: number; has_tag_count: number; not_tag_count: number };
}

/** One entry of the job list, counts and progress computed from the current state. */
export function jobListEntry(job: LiveJob): JobListEntry {
  const { record, images } = job;
  const total = images.imageCount;
  const tagged = images.taggedCount;
  return {
    id: record.uuid,
    name: record.name,
    description: record.description,
    data_type: 0,
    path: record.path,
    type: JOB_TYPE_NAMES[images.type],
    create_time: record.createTime,
    dls_prj_id: Number(record.dlsId),
    // Hundredths of a percent, rounded down, so 100 means every image is tagged.
    progress: total === 0 ? 0 : Math.floor((tagged * 10_000) / total) / 100,
    progress_detail: { total_count: total, has_tag_count: tagged, not_tag_count: total - tagged },
  };
}

/** GET /v1/{project_id}/annotation-jobs: one page (`offset` is the page index) of the jobs. */
export const listAnnotationJobs: OperationHandler = {
  run(request) {
    const { query, state } = request;
    const sortBy = (query.sort_by as 'name' | 'create_time' | undefined) ?? 'create_time';
    const order = (query.order as 'asc' | 'desc' | undefined) ?? (sortBy === 'name' ? 'asc' : 'desc');
    const live = new Map(state.allJobs().map((job) => [job.record.uuid, job]));
    const { total, page } = selectJobs(
      [...live.values()].map((job) => job.record),
      {
        offset: query.offset as number,
        limit: query.limit as number,
        sortBy,
        order,
        search: query.search_content as string | undefined,
      },
    );
    return success({
      job_total_count: total,
      manual_annotation_count_limit: MANUAL_ANNOTATION_COUNT_LIMIT,
      jobs: page.map((record) => jobListEntry(live.get(record.uuid) as LiveJob)),
    });
  },
};

/** GET …/annotation-jobs/{job_id}/validation: an evenly spread sample of the current images, and the last pass rate. */
export const showValidation: OperationHandler = {
  run(request) {
    const job = jobOf(request);
    const ids = job.images.imageIds();
    const step = Math.max(1, Math.floor(ids.length / VALIDATION_SAMPLE_SIZE));
    const sample: string[] = [];
    for (let i = 0; i < ids.length && sample.length < VALIDATION_SAMPLE_SIZE; i += step) sample.push(ids[i] as string);
    const last = job.validation ? { last_pass_rate: job.validation.passRate, last_validation_time: job.validation.time } : {};
    return success({ image_count: sample.length, images: sample.map((id) => listedImage(job, id, false)), ...last });
  },
};

/** POST …/annotation-jobs/{job_id}/validation: keeps the pass rate and when it was saved. */
export const saveValidation: OperationHandler = {
  run(request) {
    jobOf(request).validation = { passRate: (request.body as { pass_rate: number }).pass_rate, time: request.now() };
    return success();
  },
};
