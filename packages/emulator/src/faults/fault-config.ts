/** The failures the emulator can inject, as named in options and on the command line. */
export const FAULT_KINDS = ['429', '500', '503', 'reset', 'delay', 'truncated', 'html502', 'unsuccessful'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSettings {
  /** Probability in [0, 1] that a request gets a fault. Default 0. */
  rate?: number;
  /** The kinds drawn from, uniformly. Default: all of FAULT_KINDS. */
  kinds?: readonly FaultKind[];
  /** Seed of the fault decisions. Default: the emulator's seed. */
  seed?: number;
  /**
   * Faults for the first requests, in order, before `rate` takes over;
   * `null` lets that request through. For tests that need an exact story
   * ("a 429, then success").
   */
  sequence?: readonly (FaultKind | null)[];
  /** How long a 'delay' fault holds the response. Default 10,000 ms. */
  delayMs?: number;
  /** The `Retry-After` of a '429' fault, in seconds. Default 1. */
  retryAfterSeconds?: number;
  /** Requests with more image IDs than this are refused with 400. Default: no limit. */
  maxBatchSize?: number;
}

/** Fault settings for all jobs, with overrides per job ID. */
export interface FaultConfig extends FaultSettings {
  /** A job's settings replace the global ones field by field. */
  jobs?: Record<string, FaultSettings>;
}

export interface ResolvedFaultSettings {
  rate: number;
  kinds: readonly FaultKind[];
  seed: number;
  sequence: readonly (FaultKind | null)[];
  delayMs: number;
  retryAfterSeconds: number;
  maxBatchSize: number | undefined;
}

export const DEFAULT_FAULT_DELAY_MS = 10_000;
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

export function isFaultKind(value: unknown): value is FaultKind {
  return typeof value === 'string' && (FAULT_KINDS as readonly string[]).includes(value);
}

/** Applies defaults and checks every field, naming the bad one. */
export function resolveFaultSettings(settings: FaultSettings, defaults: ResolvedFaultSettings, where: string): ResolvedFaultSettings {
  const resolved: ResolvedFaultSettings = {
    rate: settings.rate ?? defaults.rate,
    kinds: settings.kinds ?? defaults.kinds,
    seed: settings.seed ?? defaults.seed,
    sequence: settings.sequence ?? defaults.sequence,
    delayMs: settings.delayMs ?? defaults.delayMs,
    retryAfterSeconds: settings.retryAfterSeconds ?? defaults.retryAfterSeconds,
    maxBatchSize: settings.maxBatchSize ?? defaults.maxBatchSize,
  };
  if (!(resolved.rate >= 0 && resolved.rate <= 1)) throw new RangeError(`${where}.rate must be between 0 and 1`);
  if (resolved.kinds.length === 0 && resolved.rate > 0) throw new RangeError(`${where}.kinds must not be empty`);
  for (const kind of [...resolved.kinds, ...resolved.sequence]) {
    if (kind !== null && !isFaultKind(kind)) {
      throw new RangeError(`${where} names an unknown fault kind '${String(kind)}'; known: ${FAULT_KINDS.join(', ')}`);
    }
  }
  if (!Number.isInteger(resolved.seed)) throw new RangeError(`${where}.seed must be an integer`);
  if (!(Number.isFinite(resolved.delayMs) && resolved.delayMs >= 0)) {
    throw new RangeError(`${where}.delayMs must be a non-negative number`);
  }
  if (!(Number.isInteger(resolved.retryAfterSeconds) && resolved.retryAfterSeconds >= 0)) {
    throw new RangeError(`${where}.retryAfterSeconds must be a non-negative integer`);
  }
  if (resolved.maxBatchSize !== undefined && !(Number.isInteger(resolved.maxBatchSize) && resolved.maxBatchSize >= 1)) {
    throw new RangeError(`${where}.maxBatchSize must be a positive integer`);
  }
  return resolved;
}

export function noFaults(seed: number): ResolvedFaultSettings {
  return {
    rate: 0,
    kinds: FAULT_KINDS,
    seed,
    sequence: [],
    delayMs: DEFAULT_FAULT_DELAY_MS,
    retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
    maxBatchSize: undefined,
  };
}
