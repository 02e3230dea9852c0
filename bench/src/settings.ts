/** Sizes and round counts of every scenario; `quick` shrinks them for a smoke run. */
export interface Settings {
  quick: boolean;
  /** Install real n8n for scenario 6 when it is missing (minutes, once). */
  installN8n: boolean;
  log(line: string): void;
  latency: { calls: number; rounds: number; warmupCalls: number };
  signing: { signatures: number; rounds: number; warmup: number };
  throughput: { images: number; rounds: number; naiveImages: number; sweepImages: number };
  validation: { images: number; parses: number; rounds: number };
  footprint: { processes: number };
  n8n: { items: number; rounds: number };
  formats: { images: number; rounds: number };
  wholeJob: { images: number; rounds: number };
}

export function makeSettings(quick: boolean, log: (line: string) => void, installN8n = true): Settings {
  if (quick) {
    return {
      quick,
      installN8n,
      log,
      latency: { calls: 200, rounds: 3, warmupCalls: 50 },
      signing: { signatures: 10_000, rounds: 3, warmup: 1_000 },
      throughput: { images: 10_000, rounds: 2, naiveImages: 200, sweepImages: 5_000 },
      validation: { images: 1_000, parses: 20, rounds: 3 },
      footprint: { processes: 3 },
      n8n: { items: 100, rounds: 1 },
      formats: { images: 10_000, rounds: 2 },
      wholeJob: { images: 10_000, rounds: 2 },
    };
  }
  return {
    quick,
    installN8n,
    log,
    latency: { calls: 2_000, rounds: 7, warmupCalls: 300 },
    signing: { signatures: 100_000, rounds: 5, warmup: 5_000 },
    throughput: { images: 100_000, rounds: 5, naiveImages: 2_000, sweepImages: 50_000 },
    validation: { images: 1_000, parses: 200, rounds: 5 },
    footprint: { processes: 10 },
    n8n: { items: 5_000, rounds: 3 },
    formats: { images: 100_000, rounds: 3 },
    wholeJob: { images: 100_000, rounds: 5 },
  };
}
