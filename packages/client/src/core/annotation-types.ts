import type { ModelArtsError } from './errors.js';
import type { BoundingBox, ImageSize, ImageTags, JobType } from './image-tags.js';
import type { GetImageTagsOptions, ImageTagsBatch, Progress } from './types.js';

/** The public types of the annotation-job operations (job list, image list, writes, OBS sync, validation). */

/** Settings every single-request operation takes. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Per request. */
  timeoutMs?: number;
  /** For the whole call, retries and paging included. */
  deadlineMs?: number;
  maxRetries?: number;
}

export interface ListJobsOptions extends CallOptions {
  /** Only jobs whose name contains this text. */
  search?: string;
  sortBy?: 'name' | 'create_time';
  order?: 'asc' | 'desc';
  /** Jobs per page, 1..100. Default 100. */
  perPage?: number;
}

/** One manual annotation job, normalised from the job list. */
export interface AnnotationJob {
  /** The numeric job ID the image and tag operations take (`dls_prj_id`), as a string. */
  annotationId: string;
  /** The job's UUID (`id`), which getValidation and saveValidation take. */
  jobId: string;
  name: string;
  description?: string;
  /** `classification` or `detection`; any other value as the service sent it. */
  type: JobType | (string & {});
  /** Where the images are stored (an OBS path). */
  path?: string;
  /** Percent of images tagged, 0 to 100, when the service gives it. */
  progress?: number;
  /** Image counts, when the service gives them. */
  counts?: { total?: number; tagged?: number; untagged?: number };
  /** As the service sent it: epoch milliseconds or a date string. */
  createTime?: number | string;
  /** Fields the service sent that this client does not model (data_type, filter_name, ...), kept as they came. */
  extra: Record<string, unknown>;
}

/** Which images of a job to list. */
export type ListImagesParams =
  | { annotationId: string; tag: string; untagged?: never }
  | { annotationId: string; untagged: true; tag?: never }
  | { annotationId: string; tag?: undefined; untagged?: false };

export interface ListImagesOptions extends CallOptions {
  /** Images per page, 1..100. Default 100. */
  perPage?: number;
}

/** One image of a job's image list. */
export interface ListedImage {
  imageId: string;
  /** Where the image is stored (an OBS URI), when the service says. */
  url?: string;
  /** The tags, when the listing carried them, typed as getImageTags types them. getAllImageTags fetches them for every image. */
  tags?: ImageTags;
  extra: Record<string, unknown>;
}

export interface GetAllImageTagsOptions extends Omit<GetImageTagsOptions, 'onError'> {
  /** Which images: all tagged ones (default), those with one tag, or the untagged ones. */
  tag?: string;
  untagged?: boolean;
  /** Images per list page, 1..100. Default 100. */
  perPage?: number;
}

/** A batch of getAllImageTags: a getImageTags batch whose `total` grows as the listing goes on. */
export type AllImageTagsBatch = ImageTagsBatch;

export interface TagStatistics {
  /** How many images carry each tag, in the service's order. */
  tags: { tag: string; count: number }[];
  /** Images with at least one tag, when the service says. */
  tagged?: number;
  /** Images without a tag, when the service says. */
  untagged?: number;
}

export type ObsSyncState = 'not-started' | 'done' | 'failed' | 'running';

export interface ObsSyncStatus {
  state: ObsSyncState;
  /** The service's code: 0 not started, 1 done, 2 failed, 3 running. */
  code: 0 | 1 | 2 | 3;
  requestId: string | undefined;
}

export interface SyncFromObsOptions extends CallOptions {
  /** Wait until the sync is done or failed (default true); false returns once it is started. */
  wait?: boolean;
  /** First pause between status reads, doubled up to maxPollIntervalMs. Default 1000. */
  pollIntervalMs?: number;
  /** Default 15000 (or pollIntervalMs, when that is longer). */
  maxPollIntervalMs?: number;
  /**
   * Called with every status the call reads (the first right after the
   * start, then each poll), e.g. to show progress. If it throws, the call
   * stops (no further request; the sync goes on in the service) and rejects
   * with a CallbackError whose `result` is the status it was called with.
   */
  onStatus?: (status: ObsSyncStatus) => void;
}

/** The tags to write for one image: names (classification) or boxes (detection). */
export type ImageTagsInput =
  | { imageId: string; tags: string[] }
  | { imageId: string; tags: { tag: string; box: BoundingBox }[]; size?: ImageSize };

export interface SetImageTagsOptions extends CallOptions {
  /** Images per request, 1..1000. Default 1000. */
  batchSize?: number;
  onProgress?: (progress: Progress) => void;
}

export interface DeleteImagesOptions extends CallOptions {
  /** IDs per request, 1..1000. Default 1000. */
  batchSize?: number;
  onProgress?: (progress: Progress) => void;
}

/** What a write did, per image: nothing is lost, every input ID is in exactly one list. */
export interface WriteResult {
  /** IDs written (or deleted), in input order. */
  succeeded: string[];
  failed: { imageId: string; error: ModelArtsError }[];
  requestIds: string[];
}

export interface ValidationData {
  imageCount?: number;
  images: ListedImage[];
  /** The pass rate of the last validation, 0 to 100. */
  lastPassRate?: number;
  lastValidationTime?: number | string;
}
