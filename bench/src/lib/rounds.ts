import { max, median, min, round } from './stats.js';

/** One measurement of one variant in one round: metric name -> value. */
export type Sample = Record<string, number>;

export interface Variant {
  name: string;
  run(round: number): Promise<Sample>;
}

export interface RoundResults {
  /** Variant name -> its sample of each round, in round order. */
  samples: Map<string, Sample[]>;
  rounds: number;
}

/**
 * Runs every variant once per round, rotating the order each round so that
 * no variant always goes first (a warm cache, a cooling CPU) or last.
 */
export async function runInterleaved(
  variants: readonly Variant[],
  rounds: number,
  onRound?: (round: number, sample: Map<string, Sample>) => void,
): Promise<RoundResults> {
  const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
  for (let r = 0; r < rounds; r++) {
    const order = variants.map((_, i) => variants[(i + r) % variants.length]!);
    const thisRound = new Map<string, Sample>();
    for (const variant of order) {
      const sample = await variant.run(r);
      samples.get(variant.name)!.push(sample);
      thisRound.set(variant.name, sample);
    }
    onRound?.(r, thisRound);
  }
  return { samples, rounds };
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  perRound: number[];
}

export function summarize(values: readonly number[], digits = 4): Summary {
  return {
    median: round(median(values), digits),
    min: round(min(values), digits),
    max: round(max(values), digits),
    perRound: values.map((v) => round(v, digits)),
  };
}

/** A metric of one variant over the rounds. */
export function metricOf(results: RoundResults, variant: string, metric: string): Summary {
  const samples = results.samples.get(variant);
  if (!samples) throw new Error(`no variant "${variant}"`);
  return summarize(samples.map((s) => s[metric]!));
}

export interface Ratio extends Summary {
  name: string;
  numerator: string;
  denominator: string;
  metric: string;
}

/**
 * numerator/denominator computed within each round (the two ran back to
 * back under the same conditions), then the median of those ratios.
 */
export function pairRatio(results: RoundResults, name: string, numerator: string, denominator: string, metric: string): Ratio {
  const a = results.samples.get(numerator)!;
  const b = results.samples.get(denominator)!;
  const ratios = a.map((sample, i) => sample[metric]! / b[i]![metric]!);
  return { name, numerator, denominator, metric, ...summarize(ratios, 3) };
}
