import { untaggedDetectionEntry, type WireEntry } from '../data/entries.js';
import { hashInts, SeededRandom } from '../data/prng.js';
import type { JobState } from './job-state.js';

export type ObsSyncOutcome = 'done' | 'failed' | 'hang';

/** How the next OBS syncs behave. */
export interface ObsSyncSettings {
  /** How long a sync reports status 3 (running). Default 2,000 ms. */
  durationMs?: number;
  /** Untagged images a successful sync adds. Default 10. */
  addImages?: number;
  /** 'done' (status 1, images added), 'failed' (status 2) or 'hang' (status 3 for ever). Default 'done'. */
  outcome?: ObsSyncOutcome;
}

export type ResolvedObsSyncSettings = Required<ObsSyncSettings>;

/** `sync_status` values: 0 never started, 1 done, 2 failed, 3 running. */
export type SyncStatus = 0 | 1 | 2 | 3;

export const DEFAULT_OBS_SYNC: ResolvedObsSyncSettings = Object.freeze({ durationMs: 2_000, addImages: 10, outcome: 'done' });

export function resolveObsSync(settings: ObsSyncSettings, defaults: ResolvedObsSyncSettings, where = 'obsSync'): ResolvedObsSyncSettings {
  const resolved = { ...defaults, ...definedFields(settings) };
  if (!(Number.isFinite(resolved.durationMs) && resolved.durationMs >= 0))
    throw new RangeError(`${where}.durationMs must be a non-negative number`);
  if (!(Number.isSafeInteger(resolved.addImages) && resolved.addImages >= 0)) {
    throw new RangeError(`${where}.addImages must be a non-negative integer`);
  }
  if (!['done', 'failed', 'hang'].includes(resolved.outcome)) throw new RangeError(`${where}.outcome must be 'done', 'failed' or 'hang'`);
  return resolved;
}

interface RunningSync {
  settings: ResolvedObsSyncSettings;
  endsAt: number;
}

/**
 * The OBS sync of one job, as a state machine read against the clock: a
 * started sync is 3 until its duration has passed, then becomes 1 (adding
 * its images) or 2. Nothing runs in the background; every request to the
 * job first settles the sync, so the images appear exactly once, when due.
 */
export class ObsSync {
  private status: SyncStatus = 0;
  private running: RunningSync | undefined;
  private completed = 0;

  constructor(
    private readonly job: JobState,
    private readonly now: () => number,
  ) {}

  /** Starts a sync with these settings; a start while one runs joins it. */
  start(settings: ResolvedObsSyncSettings): void {
    this.settle();
    if (this.running) return;
    this.running = { settings, endsAt: this.now() + settings.durationMs };
    this.status = 3;
  }

  currentStatus(): SyncStatus {
    this.settle();
    return this.status;
  }

  /** Finishes a sync whose time is up. */
  settle(): void {
    const running = this.running;
    if (!running || running.settings.outcome === 'hang' || this.now() < running.endsAt) return;
    this.running = undefined;
    if (running.settings.outcome === 'failed') {
      this.status = 2;
      return;
    }
    this.completed += 1;
    this.job.add(this.newImages(running.settings.addImages));
    this.status = 1;
  }

  // The same seed, job and sync number give the same new images.
  private newImages(count: number): WireEntry[] {
    const random = new SeededRandom(hashInts(this.job.seeded.seed, 0x73796e63, this.completed));
    const bytes = Buffer.allocUnsafe(16);
    const entries: WireEntry[] = [];
    while (entries.length < count) {
      for (let word = 0; word < 4; word++) bytes.writeUInt32BE(random.nextUint32(), word * 4);
      const imageId = bytes.toString('hex');
      if (this.job.has(imageId)) continue;
      entries.push(
        this.job.type === 'classification'
          ? { image_id: imageId, tags: [] }
          : untaggedDetectionEntry(imageId, random, this.job.seeded.tagsEncoding === 'string'),
      );
    }
    return entries;
  }
}

function definedFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
