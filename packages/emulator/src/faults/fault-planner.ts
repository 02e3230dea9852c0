import { hashInts, hashString } from '../data/prng.js';
import { noFaults, resolveFaultSettings, type FaultConfig, type FaultKind, type ResolvedFaultSettings } from './fault-config.js';

export type FaultPlan =
  | { kind: 'none' }
  | { kind: 'batch-limit'; maxBatchSize: number }
  | { kind: FaultKind; settings: ResolvedFaultSettings };

// Bounds the memory of a long-running emulator; past it, repeat counts
// start again from zero, which only matters to runs of that size.
const MAX_REMEMBERED_BATCHES = 200_000;

/**
 * Decides, reproducibly, which requests fail and how. A decision depends on
 * the seed, the job, the set of image IDs asked for and how many times that
 * same set was asked for before: a retry gets a fresh draw, and the outcome
 * does not depend on the order in which concurrent requests arrive.
 */
export class FaultPlanner {
  private readonly global: ResolvedFaultSettings;
  private readonly perJob: Map<string, ResolvedFaultSettings>;
  private readonly sequencePositions = new Map<string, number>();
  private readonly timesSeen = new Map<string, number>();

  constructor(config: FaultConfig | undefined, defaultSeed: number) {
    const { jobs, ...globalSettings } = config ?? {};
    this.global = resolveFaultSettings(globalSettings, noFaults(defaultSeed), 'faults');
    this.perJob = new Map(
      Object.entries(jobs ?? {}).map(([jobId, settings]) => [
        jobId,
        resolveFaultSettings(settings, this.global, `faults.jobs['${jobId}']`),
      ]),
    );
  }

  settingsFor(jobId: string): ResolvedFaultSettings {
    return this.perJob.get(jobId) ?? this.global;
  }

  /** The plan of a tags/show request: its key is the set of image IDs asked for. */
  plan(jobId: string, imageIds: readonly string[]): FaultPlan {
    return this.planRequest(jobId, imageIds.join('\n'), imageIds.length);
  }

  /**
   * The plan of any request: `key` names what was asked (the same key asked
   * again is a retry and gets a fresh draw), `batchSize` the image IDs it
   * names, if any, for the batch limit.
   */
  planRequest(jobId: string, key: string, batchSize: number | undefined): FaultPlan {
    const settings = this.settingsFor(jobId);
    if (settings.maxBatchSize !== undefined && batchSize !== undefined && batchSize > settings.maxBatchSize) {
      return { kind: 'batch-limit', maxBatchSize: settings.maxBatchSize };
    }

    // Jobs with settings of their own keep their own place in their sequence.
    const scope = this.perJob.has(jobId) ? `job:${jobId}` : 'global';
    const position = this.sequencePositions.get(scope) ?? 0;
    if (position < settings.sequence.length) {
      this.sequencePositions.set(scope, position + 1);
      const scripted = settings.sequence[position];
      return scripted ? { kind: scripted, settings } : { kind: 'none' };
    }

    if (settings.rate === 0) return { kind: 'none' };
    const batchKey = [jobId, hashString(key, 1), hashString(key, 2), key.length].join(':');
    const occurrence = this.recordOccurrence(batchKey);
    const draw = hashInts(settings.seed, hashString(batchKey), occurrence);
    if (draw / 0x1_0000_0000 >= settings.rate) return { kind: 'none' };
    const kindDraw = hashInts(draw, settings.seed, 0x6b696e64);
    return { kind: settings.kinds[kindDraw % settings.kinds.length] as FaultKind, settings };
  }

  private recordOccurrence(batchKey: string): number {
    if (this.timesSeen.size >= MAX_REMEMBERED_BATCHES) this.timesSeen.clear();
    const occurrence = this.timesSeen.get(batchKey) ?? 0;
    this.timesSeen.set(batchKey, occurrence + 1);
    return occurrence;
  }
}
