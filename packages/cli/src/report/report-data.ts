import type { ImageTagsResult } from '@modelarts-kit/client';
import { LabelChecker, type FindingKind } from '@modelarts-kit/formats';

/**
 * What the HTML report embeds, in a compact form: at 10,000 detection
 * images the JSON is most of the file, so tag names are stored once per job
 * and images are arrays rather than objects.
 *
 *   classification image: [imageId, [tagIndex, ...]]
 *   detection image:      [imageId, width, height, [tagIndex, xmin, ymin, xmax, ymax, tagIndex, ...]]
 *                         (width and height are 0 when the service sent no size)
 */
export interface ReportData {
  version: 1;
  title: string;
  generatedAt: string;
  source: { kind: 'emulator' | 'modelarts'; label: string };
  jobs: ReportJob[];
}

export type CompactClassificationImage = [imageId: string, tags: number[]];
export type CompactDetectionImage = [imageId: string, width: number, height: number, boxes: number[]];
export type CompactImage = CompactClassificationImage | CompactDetectionImage;

export interface ReportJob {
  annotationId: string;
  jobType: ImageTagsResult['jobType'];
  /** Image IDs asked for, after removing repeats. */
  requested: number;
  /** Tag names; images refer to them by index. */
  tags: string[];
  images: CompactImage[];
  missing: string[];
  /** Failed IDs grouped by error, so 10,000 IDs that failed the same way carry one message. */
  failed: { error: string; requestId?: string; imageIds: string[] }[];
  requestIds: string[];
  elapsedMs?: number;
  /** Label QA of the images found (see @modelarts-kit/formats checkLabels). */
  qa?: ReportQa;
}

/** QA findings, at most QA_LIMIT of them embedded; `counts` counts them all. */
export interface ReportQa {
  counts: Record<FindingKind, number>;
  findings: { kind: FindingKind; imageId?: string; message: string }[];
}

/** Enough to act on; a report of 10,000 images stays small. */
export const QA_LIMIT = 500;

export interface ReportJobInput {
  annotationId: string;
  // The lists only: a result the client returned, or one written by hand (its per-ID view is not needed).
  result: Omit<ImageTagsResult, 'outcomes'>;
  elapsedMs?: number;
}

export function reportJob({ annotationId, result, elapsedMs }: ReportJobInput): ReportJob {
  const tagIndex = new Map<string, number>();
  const indexOf = (tag: string): number => {
    let index = tagIndex.get(tag);
    if (index === undefined) {
      index = tagIndex.size;
      tagIndex.set(tag, index);
    }
    return index;
  };

  const images: CompactImage[] = result.images.map((image) => {
    if (image.type === 'classification') return [image.imageId, image.tags.map(indexOf)];
    const boxes: number[] = [];
    for (const { tag, box } of image.tags) boxes.push(indexOf(tag), box.xmin, box.ymin, box.xmax, box.ymax);
    return [image.imageId, image.size?.width ?? 0, image.size?.height ?? 0, boxes];
  });

  const groups = new Map<string, ReportJob['failed'][number]>();
  for (const { imageId, error } of result.failed) {
    let group = groups.get(error.message);
    if (!group) {
      group = { error: `${error.name}: ${error.message}`, imageIds: [] };
      if (error.requestId) group.requestId = error.requestId;
      groups.set(error.message, group);
    }
    group.imageIds.push(imageId);
  }

  const job: ReportJob = {
    annotationId,
    jobType: result.jobType,
    requested: result.images.length + result.missing.length + result.failed.length,
    tags: [...tagIndex.keys()],
    images,
    missing: result.missing,
    failed: [...groups.values()],
    requestIds: result.requestIds,
  };
  if (elapsedMs !== undefined) job.elapsedMs = Math.round(elapsedMs);
  const checker = new LabelChecker();
  for (const image of result.images) checker.add(image);
  const qa = checker.finish();
  job.qa = {
    counts: qa.counts,
    findings: qa.findings
      .slice(0, QA_LIMIT)
      .map(({ kind, imageId, message }) => (imageId === undefined ? { kind, message } : { kind, imageId, message })),
  };
  return job;
}
