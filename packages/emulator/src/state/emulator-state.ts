import type { JobCatalog } from '../data/job-catalog.js';
import { JOB_RECORDS, type JobRecord } from './job-directory.js';
import { JobState } from './job-state.js';
import { ObsSync, resolveObsSync, type ObsSyncSettings, type ResolvedObsSyncSettings } from './obs-sync.js';

export interface ValidationRecord {
  passRate: number;
  /** Epoch milliseconds. */
  time: number;
}

/** One job as the emulator holds it now: its list record, images and sync. */
export interface LiveJob {
  readonly record: JobRecord;
  readonly images: JobState;
  readonly sync: ObsSync;
  validation: ValidationRecord | undefined;
}

/**
 * Everything requests can change, on top of the seeded catalog. `reset()`
 * drops every change at once; the seeded data itself is never touched, so
 * after a reset the emulator answers exactly as when it started.
 */
export class EmulatorState {
  private jobs = new Map<string, LiveJob>();
  private byUuid = new Map<string, LiveJob>();
  private syncSettings: ResolvedObsSyncSettings;
  private readonly syncPerJob = new Map<string, ResolvedObsSyncSettings>();

  constructor(
    private readonly catalog: JobCatalog,
    private readonly initialSync: ResolvedObsSyncSettings,
    private readonly now: () => number,
  ) {
    this.syncSettings = initialSync;
    this.reset();
  }

  reset(): void {
    this.jobs = new Map();
    this.byUuid = new Map();
    this.syncSettings = this.initialSync;
    this.syncPerJob.clear();
    for (const record of JOB_RECORDS) {
      const seeded = this.catalog.get(record.dlsId);
      if (!seeded) throw new Error(`The job list names job ${record.dlsId}, which the catalog lacks`);
      const images = new JobState(seeded);
      const live: LiveJob = { record, images, sync: new ObsSync(images, this.now), validation: undefined };
      this.jobs.set(record.dlsId, live);
      this.byUuid.set(record.uuid, live);
    }
  }

  /** The job with this `data_annotation_id`, its OBS sync settled first. */
  job(dlsId: string): LiveJob | undefined {
    const live = this.jobs.get(dlsId);
    live?.sync.settle();
    return live;
  }

  /** The job with this UUID (the `id` of the job list). */
  jobByUuid(uuid: string): LiveJob | undefined {
    const live = this.byUuid.get(uuid);
    live?.sync.settle();
    return live;
  }

  /** Every job, in creation order, syncs settled. */
  allJobs(): LiveJob[] {
    const all = [...this.jobs.values()];
    for (const live of all) live.sync.settle();
    return all;
  }

  /** Changes how the next syncs behave: of one job, or (without `jobId`) of every job without settings of its own. */
  setObsSync(settings: ObsSyncSettings, jobId?: string): void {
    if (jobId === undefined) {
      this.syncSettings = resolveObsSync(settings, this.syncSettings);
      return;
    }
    if (!this.jobs.has(jobId)) throw new RangeError(`setObsSync: there is no job ${jobId}`);
    this.syncPerJob.set(jobId, resolveObsSync(settings, this.syncSettingsFor(jobId), `setObsSync(…, '${jobId}')`));
  }

  syncSettingsFor(jobId: string): ResolvedObsSyncSettings {
    return this.syncPerJob.get(jobId) ?? this.syncSettings;
  }
}
