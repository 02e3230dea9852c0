import type { WireEntry } from './data/entries.js';
import type { JobCatalog, JobInfo, SeededJob } from './data/job-catalog.js';
import { jobListEntry, type JobListEntry } from './http/operations/jobs.js';
import type { EmulatorState } from './state/emulator-state.js';
import type { ObsSyncSettings, SyncStatus } from './state/obs-sync.js';

export type { JobListEntry };

export interface EmulatorJobs {
  /** Image classification: each image has 1-3 tag names. */
  readonly classification: JobInfo;
  /** Object detection: each image has 0-4 boxes and a size. */
  readonly detection: JobInfo;
  /** Object detection whose `tags` are sent as a string holding the JSON array. */
  readonly detectionStringTags: JobInfo;
}

/** What tests can read and change of the emulator's state, besides HTTP. */
export interface StateInspection {
  readonly jobs: EmulatorJobs;
  /** The job with this ID (`data_annotation_id`), or undefined. Its members reflect writes. */
  job(jobId: string): JobInfo | undefined;
  /** The `images_tags` entry tags/show sends now (after writes), or undefined if the job or image is unknown. */
  groundTruth(jobId: string, imageId: string): WireEntry | undefined;
  /** The job's current image IDs (deleted ones gone, synced ones last), in a stable order; [] for an unknown job. */
  imageIds(jobId: string): readonly string[];
  /** Every job as the job list shows it now, in creation order. */
  jobList(): JobListEntry[];
  /** The `sync_status` the job reports now (0 never, 3 running, 1 done, 2 failed), or undefined for an unknown job. */
  obsSyncStatus(jobId: string): SyncStatus | undefined;
  /** How the next OBS syncs behave: of one job, or of every job without settings of its own. */
  setObsSync(settings: ObsSyncSettings, jobId?: string): void;
  /** Drops every write, deletion, sync and validation: the jobs are as seeded again. Stats are kept (see resetStats). */
  reset(): void;
}

/** A job's description whose counts and IDs follow the state, through resets. */
class LiveJobInfo implements JobInfo {
  constructor(
    private readonly seeded: SeededJob,
    private readonly state: EmulatorState,
  ) {}

  get id(): string {
    return this.seeded.id;
  }

  get type(): JobInfo['type'] {
    return this.seeded.type;
  }

  get tagsEncoding(): JobInfo['tagsEncoding'] {
    return this.seeded.tagsEncoding;
  }

  get imageCount(): number {
    return this.state.job(this.seeded.id)?.images.imageCount ?? 0;
  }

  get imageIds(): readonly string[] {
    return this.state.job(this.seeded.id)?.images.imageIds() ?? [];
  }
}

export function inspectState(catalog: JobCatalog, state: EmulatorState): StateInspection {
  const views = new Map(catalog.list().map((seeded) => [seeded.id, new LiveJobInfo(seeded, state)]));
  const view = (seeded: SeededJob): JobInfo => views.get(seeded.id) as JobInfo;
  return {
    jobs: Object.freeze({
      classification: view(catalog.jobs.classification),
      detection: view(catalog.jobs.detection),
      detectionStringTags: view(catalog.jobs.detectionStringTags),
    }),
    job: (jobId) => views.get(jobId),
    groundTruth: (jobId, imageId) => state.job(jobId)?.images.entry(imageId),
    imageIds: (jobId) => state.job(jobId)?.images.imageIds() ?? [],
    jobList: () => state.allJobs().map(jobListEntry),
    obsSyncStatus: (jobId) => state.job(jobId)?.sync.currentStatus(),
    setObsSync: (settings, jobId) => state.setObsSync(settings, jobId),
    reset: () => state.reset(),
  };
}
