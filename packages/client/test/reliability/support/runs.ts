import type { Parameters } from 'fast-check';

/**
 * Runs per property: FC_NUM_RUNS, default 10,000 (what CI runs). Lower it for
 * a quick local loop, raise it for a soak. FC_SEED replays a reported failure.
 */
export const NUM_RUNS = intFromEnv('FC_NUM_RUNS', 10_000);
const SEED = process.env.FC_SEED === undefined || process.env.FC_SEED === '' ? undefined : intFromEnv('FC_SEED', 0);

export function runs<T>(overrides: Parameters<T> = {}): Parameters<T> {
  return { numRuns: NUM_RUNS, ...(SEED === undefined ? {} : { seed: SEED }), ...overrides };
}

/** A vitest timeout that grows with the number of runs: `msPerRun` each, at least a minute. Only a guard against a hang: generous, since a loaded CI machine can be 5x slower. */
export function timeoutFor(msPerRun: number): number {
  return Math.max(60_000, Math.ceil(NUM_RUNS * msPerRun));
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, not ${JSON.stringify(raw)}`);
  return value;
}
