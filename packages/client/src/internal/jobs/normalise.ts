import type { output } from 'zod/mini';
import type { AnnotationJob, ListedImage, ObsSyncStatus, TagStatistics, ValidationData } from '../../core/annotation-types.js';
import { InvalidResponseError } from '../../core/errors.js';
import type { FamilySchemas } from '../response/family-schemas.js';
import { type ResponseMeta, toImageTags, type WireEntry } from '../response/to-image-tags.js';

/** From the checked wire shapes of the family to what the client returns: IDs as strings, counts as numbers, tags typed. */

type Wire<K extends keyof FamilySchemas> = output<FamilySchemas[K]>;

const JOB_TYPES: Record<string, AnnotationJob['type']> = {
  'Manual Image classify': 'classification',
  'Manual Object detection': 'detection',
};

export function toAnnotationJob(wire: Wire<'annotationJob'>): AnnotationJob {
  const { id, dls_prj_id, name, description, type, path, progress, progress_detail, create_time, ...extra } = wire;
  const job: AnnotationJob = {
    annotationId: String(dls_prj_id),
    jobId: id,
    name: name ?? '',
    type: type === undefined ? 'unknown' : (JOB_TYPES[type] ?? type),
    extra,
  };
  if (description !== undefined) job.description = description;
  if (path !== undefined) job.path = path;
  const percent = toNumber(progress);
  if (percent !== undefined) job.progress = percent;
  if (progress_detail) {
    job.counts = {};
    const total = toNumber(progress_detail.total_count);
    const tagged = toNumber(progress_detail.has_tag_count);
    const untagged = toNumber(progress_detail.not_tag_count);
    if (total !== undefined) job.counts.total = total;
    if (tagged !== undefined) job.counts.tagged = tagged;
    if (untagged !== undefined) job.counts.untagged = untagged;
  }
  if (create_time !== undefined) job.createTime = create_time;
  return job;
}

/** A count or percentage sent as a number or a numeric string; a string that is not a number is left out. */
function toNumber(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** One entry of the image list or the validation data; `list` names the array in error paths. */
export function toListedImage(wire: Wire<'listedImage'>, index: number, meta: ResponseMeta, list: string): ListedImage {
  const { image_id, url, tags, size, ...extra } = wire;
  const image: ListedImage = { imageId: image_id, extra };
  if (url !== undefined) image.url = url;
  if (tags !== undefined) {
    try {
      image.tags = toImageTags({ image_id, tags, ...(size ? { size } : {}) } as WireEntry, index, meta);
    } catch (error) {
      if (!(error instanceof InvalidResponseError)) throw error;
      const problem = error.message.slice(error.message.indexOf(': ') + 2).replace(/ \(HTTP [^)]*\)$/, '');
      throw new InvalidResponseError(problem, {
        ...meta,
        path: error.path.replace(/^images_tags\[/, `${list}[`),
      });
    }
  }
  return image;
}

export function toTagStatistics(wire: Wire<'tagStatisticsResponse'>): TagStatistics {
  const statistics: TagStatistics = { tags: (wire.tag_count ?? []).map(({ tag, count }) => ({ tag, count })) };
  for (const { has_tag, count } of wire.tags_stat ?? []) {
    if (has_tag) statistics.tagged = count;
    else statistics.untagged = count;
  }
  return statistics;
}

const SYNC_STATES = ['not-started', 'done', 'failed', 'running'] as const;

export function toSyncStatus(wire: Wire<'syncStatusResponse'>, meta: ResponseMeta): ObsSyncStatus {
  if (wire.sync_status === undefined) {
    throw new InvalidResponseError('sync_status is missing', { ...meta, path: 'sync_status' });
  }
  return { state: SYNC_STATES[wire.sync_status], code: wire.sync_status, requestId: meta.requestId };
}

export function toValidationData(wire: Wire<'validationResponse'>, meta: ResponseMeta): ValidationData {
  const data: ValidationData = { images: (wire.images ?? []).map((entry, i) => toListedImage(entry, i, meta, 'images')) };
  if (wire.image_count !== undefined) data.imageCount = wire.image_count;
  if (wire.last_pass_rate !== undefined) data.lastPassRate = wire.last_pass_rate;
  if (wire.last_validation_time !== undefined) data.lastValidationTime = wire.last_validation_time;
  return data;
}
