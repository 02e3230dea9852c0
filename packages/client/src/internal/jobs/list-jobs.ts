import type { AnnotationJob, ListJobsOptions } from '../../core/annotation-types.js';
import { ConfigurationError } from '../../core/errors.js';
import { parseFamilyBody } from '../response/parse-family.js';
import { assertKnownOptions, CALL_OPTION_NAMES, intInRange } from '../options/validate.js';
import { Call, type OperationContext } from './call.js';
import { toAnnotationJob } from './normalise.js';
import { pages } from './pages.js';

const LIST_JOBS_OPTIONS = [...CALL_OPTION_NAMES, 'search', 'sortBy', 'order', 'perPage'];

/** Checks the options before any request; returns the query of every page. */
function jobQuery(options: ListJobsOptions) {
  assertKnownOptions(options, LIST_JOBS_OPTIONS, 'listJobs');
  const { search, sortBy, order } = options;
  if (search !== undefined && (typeof search !== 'string' || search.length > 256)) {
    throw new ConfigurationError('search must be a string of at most 256 characters');
  }
  if (sortBy !== undefined && sortBy !== 'name' && sortBy !== 'create_time') {
    throw new ConfigurationError(`sortBy must be "name" or "create_time", not ${String(sortBy)}`);
  }
  if (order !== undefined && order !== 'asc' && order !== 'desc') {
    throw new ConfigurationError(`order must be "asc" or "desc", not ${String(order)}`);
  }
  const perPage = intInRange(options.perPage ?? 100, 'perPage', 1, 100);
  return { perPage, searchContent: search === '' ? undefined : search, sortBy, order };
}

/**
 * Every job of the project, page by page (reads retry). Options are checked
 * here, before the first request, so a bad option throws at the call and
 * not at the first `next()`.
 */
export function listJobs(context: OperationContext, options: ListJobsOptions = {}): AsyncGenerator<AnnotationJob> {
  const query = jobQuery(options);
  return iterateJobs(Call.later(context, options), query);
}

async function* iterateJobs(start: () => Call, query: ReturnType<typeof jobQuery>): AsyncGenerator<AnnotationJob> {
  const { perPage, ...filters } = query;
  const call = start();
  try {
    const listing = pages(
      async (index) => {
        const { value, requestId } = await call.run(
          `job list page ${index}`,
          (apis, init, projectId) =>
            apis.annotationJobs.listAnnotationJobsRaw({ projectId, offset: index, limit: perPage, ...filters }, init),
          (text, meta) => parseFamilyBody(text, meta, (s) => s.listJobsResponse),
        );
        return { entries: (value.jobs ?? []).map(toAnnotationJob), total: value.job_total_count, requestId };
      },
      perPage,
      (job) => job.jobId,
    );
    for await (const page of listing) yield* page;
  } finally {
    call.close();
  }
}

/** Every job of the project in one array. */
export async function listAllJobs(context: OperationContext, options: ListJobsOptions = {}): Promise<AnnotationJob[]> {
  const jobs: AnnotationJob[] = [];
  for await (const job of listJobs(context, options)) jobs.push(job);
  return jobs;
}
