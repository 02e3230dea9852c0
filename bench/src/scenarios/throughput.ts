import { DEFAULT_TOKEN } from '@modelarts-kit/emulator';
import { ModelArtsClient } from '@modelarts-kit/client';
import { metricOf, pairRatio, runInterleaved, type Sample, type Variant } from '../lib/rounds.js';
import { type ScenarioResult, target, throughputTable } from '../lib/report.js';
import { type EmulatorReady, forkEmulator, type ForkedServer } from '../lib/servers.js';
import { round } from '../lib/stats.js';
import type { Settings } from '../settings.js';

interface Tuning {
  batchSize: number;
  concurrency: number;
}

const DEFAULTS: Tuning = { batchSize: 100, concurrency: 8 };
const SWEEP_BATCH_SIZES = [100, 250, 500, 1000];
const SWEEP_CONCURRENCY = [2, 4, 8];

/**
 * Hand-written batching with plain fetch: the same batches and the same
 * number of requests in flight as the client, no checks at all.
 * `parse` false: only read the body text (the emulator's capacity);
 * true: also JSON.parse it (the least a hand-written client would do).
 */
async function rawFetchJob(url: string, ids: readonly string[], tuning: Tuning, parse: boolean): Promise<number> {
  let cursor = 0;
  let images = 0;
  const headers = { 'content-type': 'application/json', 'x-auth-token': DEFAULT_TOKEN };
  const worker = async (): Promise<void> => {
    while (cursor < ids.length) {
      const slice = ids.slice(cursor, cursor + tuning.batchSize);
      cursor += slice.length;
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ image_id: slice }) });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`raw fetch: HTTP ${response.status}: ${text.slice(0, 200)}`);
      images += parse ? (JSON.parse(text) as { images_tags: unknown[] }).images_tags.length : slice.length;
    }
  };
  await Promise.all(Array.from({ length: tuning.concurrency }, worker));
  return images;
}

export async function throughputScenario(settings: Settings): Promise<ScenarioResult> {
  const started = performance.now();
  const { images, rounds, naiveImages, sweepImages } = settings.throughput;
  const emulator: ForkedServer<EmulatorReady> = await forkEmulator({ imagesPerJob: images });
  try {
    const job = emulator.ready.jobs.classification;
    const ids = job.imageIds;
    const projectId = emulator.ready.projectId;
    const url = `${emulator.url}/v1/${projectId}/data-annotations/${job.id}/tags/show`;
    const client = new ModelArtsClient({ endpoint: emulator.url, projectId, auth: { token: DEFAULT_TOKEN } });

    // The emulator builds each entry's JSON on first use: one pass so every variant meets a warm server.
    await rawFetchJob(url, ids, { batchSize: 1000, concurrency: 2 }, false);

    const expectRequests = async (name: string, expected: number): Promise<void> => {
      const stats = await emulator.stats<{ requests: number; responses: Record<string, number> }>();
      if (stats.requests !== expected || stats.responses['200'] !== expected) {
        throw new Error(`${name}: expected ${expected} answered requests, the emulator saw ${JSON.stringify(stats)}`);
      }
    };
    const timed = async (name: string, count: number, requests: number, work: () => Promise<number>): Promise<Sample> => {
      await emulator.reset();
      const t0 = performance.now();
      const got = await work();
      const seconds = (performance.now() - t0) / 1000;
      if (got !== count) throw new Error(`${name}: ${got} images instead of ${count}`);
      await expectRequests(name, requests);
      return { imagesPerSecond: count / seconds, seconds };
    };
    const ours =
      (tuning: Tuning, subset: readonly string[] = ids) =>
      async () => {
        const result = await client.getImageTags({ annotationId: job.id, imageIds: subset }, tuning);
        if (result.missing.length + result.failed.length > 0)
          throw new Error(`ours: ${result.missing.length} missing, ${result.failed.length} failed`);
        return result.images.length;
      };
    const requestsFor = (count: number, tuning: Tuning): number => Math.ceil(count / tuning.batchSize);

    // Tuning sweep: ours over a part of the job, once per setting.
    const sweepIds = ids.slice(0, sweepImages);
    const sweep: { batchSize: number; concurrency: number; imagesPerSecond: number }[] = [];
    for (const batchSize of SWEEP_BATCH_SIZES) {
      for (const concurrency of SWEEP_CONCURRENCY) {
        const tuning = { batchSize, concurrency };
        const sample = await timed(
          `sweep ${batchSize}x${concurrency}`,
          sweepIds.length,
          requestsFor(sweepIds.length, tuning),
          ours(tuning, sweepIds),
        );
        sweep.push({ ...tuning, imagesPerSecond: round(sample.imagesPerSecond!) });
        settings.log(`  sweep batch ${batchSize}, concurrency ${concurrency}: ${sample.imagesPerSecond!.toFixed(0)} images/s`);
      }
    }
    const best = sweep.reduce((a, b) => (b.imagesPerSecond > a.imagesPerSecond ? b : a));
    const tuned: Tuning = { batchSize: best.batchSize, concurrency: best.concurrency };

    const naiveIds = ids.slice(0, naiveImages);
    const names = {
      oursDefault: `ours, default (batch ${DEFAULTS.batchSize}, concurrency ${DEFAULTS.concurrency})`,
      rawDefault: `raw fetch, same settings, text only (capacity)`,
      rawParseDefault: `raw fetch, same settings, + JSON.parse`,
      oursTuned: `ours, tuned (batch ${tuned.batchSize}, concurrency ${tuned.concurrency})`,
      rawTuned: `raw fetch, tuned settings, text only (capacity)`,
      naive: `naive: ours, 1 request per image, sequential (${naiveImages.toLocaleString('en-US')} images, rate extrapolated)`,
    };
    const variants: Variant[] = [
      { name: names.oursDefault, run: () => timed(names.oursDefault, ids.length, requestsFor(ids.length, DEFAULTS), ours(DEFAULTS)) },
      {
        name: names.rawDefault,
        run: () => timed(names.rawDefault, ids.length, requestsFor(ids.length, DEFAULTS), () => rawFetchJob(url, ids, DEFAULTS, false)),
      },
      {
        name: names.rawParseDefault,
        run: () => timed(names.rawParseDefault, ids.length, requestsFor(ids.length, DEFAULTS), () => rawFetchJob(url, ids, DEFAULTS, true)),
      },
      { name: names.oursTuned, run: () => timed(names.oursTuned, ids.length, requestsFor(ids.length, tuned), ours(tuned)) },
      {
        name: names.rawTuned,
        run: () => timed(names.rawTuned, ids.length, requestsFor(ids.length, tuned), () => rawFetchJob(url, ids, tuned, false)),
      },
      {
        name: names.naive,
        run: () =>
          timed(names.naive, naiveIds.length, naiveIds.length, async () => {
            let found = 0;
            for (const id of naiveIds) found += (await client.getImageTags({ annotationId: job.id, imageIds: [id] })).images.length;
            return found;
          }),
      },
    ];
    const results = await runInterleaved(variants, rounds, (r, sample) =>
      settings.log(
        `  round ${r + 1}/${rounds}: ${[...sample].map(([n, s]) => `${n.split(' (')[0]} ${s.imagesPerSecond!.toFixed(0)}/s`).join(', ')}`,
      ),
    );

    const ratios = [
      pairRatio(results, 'ours default / raw capacity (same settings)', names.oursDefault, names.rawDefault, 'imagesPerSecond'),
      pairRatio(results, 'ours tuned / raw capacity (same settings)', names.oursTuned, names.rawTuned, 'imagesPerSecond'),
      pairRatio(results, 'ours default / raw + JSON.parse', names.oursDefault, names.rawParseDefault, 'imagesPerSecond'),
      pairRatio(results, 'ours default / naive per-image loop', names.oursDefault, names.naive, 'imagesPerSecond'),
      pairRatio(results, 'ours tuned / naive per-image loop', names.oursTuned, names.naive, 'imagesPerSecond'),
    ];
    const [defaultVsRaw, tunedVsRaw, , defaultVsNaive, tunedVsNaive] = ratios as [
      (typeof ratios)[0],
      (typeof ratios)[0],
      unknown,
      (typeof ratios)[0],
      (typeof ratios)[0],
    ];
    const rows = variants.map((v) => ({
      name: v.name,
      imagesPerSecond: metricOf(results, v.name, 'imagesPerSecond'),
      seconds: metricOf(results, v.name, 'seconds'),
    }));
    const fullJobSeconds = (name: string): number => ids.length / metricOf(results, name, 'imagesPerSecond').median;

    return {
      id: '3',
      title: `Large job throughput: ${ids.length.toLocaleString('en-US')} image IDs against the emulator`,
      status: 'ok',
      method: [
        `The emulator (imagesPerJob ${images.toLocaleString('en-US')}, classification job ${job.id}, token auth) runs in its own process; one warm-up pass first, so every entry is cached.`,
        `Tuning: a sweep of ours over ${sweepIds.length.toLocaleString('en-US')} IDs, batch size ${SWEEP_BATCH_SIZES.join('/')} x concurrency ${SWEEP_CONCURRENCY.join('/')}; the fastest is "tuned".`,
        'Raw capacity: plain fetch workers with the same batch size and concurrency, reading the body text only (nothing parsed): what the emulator can serve to the cheapest possible client on this machine.',
        `Naive: one getImageTags call per image, one after another, over the first ${naiveImages.toLocaleString('en-US')} IDs; its rate is extrapolated to the whole job (it would take ~${Math.round(fullJobSeconds(names.naive))} s).`,
        `${rounds} interleaved rounds; after every run the emulator's request count is checked (one answered request per batch) and every ID must come back.`,
        'Client and emulator share the same 2 CPUs: client CPU time is taken from the server.',
      ],
      rounds,
      tables: [
        {
          title: 'Throughput',
          table: throughputTable(rows, ids.length),
        },
        {
          title: `Tuning sweep (ours, ${sweepIds.length.toLocaleString('en-US')} IDs, one run each)`,
          table: {
            columns: ['batch size', 'concurrency 2', 'concurrency 4', 'concurrency 8'],
            rows: SWEEP_BATCH_SIZES.map((b) => [
              String(b),
              ...SWEEP_CONCURRENCY.map((c) => sweep.find((s) => s.batchSize === b && s.concurrency === c)!.imagesPerSecond),
            ]),
          },
        },
      ],
      ratios,
      targets: [
        target('ours (default settings) >= 1.0 x raw capacity at the same settings', defaultVsRaw.median, '>=', 1),
        target('ours (tuned) >= 0.9 x raw capacity at the same settings', tunedVsRaw.median, '>=', 0.9),
        target('ours (default settings) >= 20 x the naive per-image loop', defaultVsNaive.median, '>=', 20),
        target('ours (tuned) >= 20 x the naive per-image loop', tunedVsNaive.median, '>=', 20),
      ],
      notes: [],
      data: { images, rounds, naiveImages, sweepImages, defaults: DEFAULTS, tuned, sweep, variants: rows, ratios },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await emulator.close();
  }
}
