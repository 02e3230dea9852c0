import { ModelArtsClient } from '@modelarts-kit/client';
import { DEFAULT_TOKEN } from '@modelarts-kit/emulator';
import { metricOf, pairRatio, runInterleaved, type Sample, type Variant } from '../lib/rounds.js';
import { type ScenarioResult, target, throughputTable } from '../lib/report.js';
import { type EmulatorReady, forkEmulator, type ForkedServer } from '../lib/servers.js';
import type { Settings } from '../settings.js';

interface OperationStats {
  requests: number;
  responses: Record<string, number>;
  operations?: Record<string, number>;
}

/**
 * All the tags of a whole job: the image list (paged) feeding batched
 * tags/show calls, against the tags/show calls alone for the same IDs
 * (scenario 3's operation at default settings). The ratio says what
 * finding the images costs on top of fetching their tags.
 */
export async function wholeJobScenario(settings: Settings): Promise<ScenarioResult> {
  const started = performance.now();
  const { images, rounds } = settings.wholeJob;
  const emulator: ForkedServer<EmulatorReady> = await forkEmulator({ imagesPerJob: images });
  try {
    // Every image of the classification job has 1-3 tags, so "every tagged image" is the whole job.
    const job = emulator.ready.jobs.classification;
    const ids = job.imageIds;
    const client = new ModelArtsClient({ endpoint: emulator.url, projectId: emulator.ready.projectId, auth: { token: DEFAULT_TOKEN } });
    const pages = Math.floor(ids.length / 100) + 1;
    const batches = Math.ceil(ids.length / 100);

    const timed = async (name: string, work: () => Promise<readonly { imageId: string }[]>, expected: Record<string, number>) => {
      await emulator.reset();
      const t0 = performance.now();
      const got = await work();
      const seconds = (performance.now() - t0) / 1000;
      if (got.length !== ids.length || new Set(got.map((image) => image.imageId)).size !== ids.length) {
        throw new Error(`${name}: ${got.length} images instead of each of the ${ids.length} once`);
      }
      const stats = await emulator.stats<OperationStats>();
      for (const [operation, count] of Object.entries(expected)) {
        if (stats.operations?.[operation] !== count) {
          throw new Error(`${name}: expected ${count} ${operation} requests, the emulator saw ${JSON.stringify(stats.operations)}`);
        }
      }
      return { imagesPerSecond: ids.length / seconds, seconds } satisfies Sample;
    };
    const tagsShowOnly = async () => {
      const result = await client.getImageTags({ annotationId: job.id, imageIds: ids });
      if (result.missing.length + result.failed.length > 0) throw new Error('tags/show only: images missing or failed');
      return result.images;
    };
    const wholeJob = async () => {
      const result = await client.getAllImageTags(job.id);
      if (result.missing.length + result.failed.length > 0) throw new Error('whole job: images missing or failed');
      return result.images;
    };
    const listOnly = async () => {
      const listed: { imageId: string }[] = [];
      for await (const image of client.listImages({ annotationId: job.id })) listed.push(image);
      return listed;
    };

    // The emulator builds each entry's JSON and the job's tag index on first use: warm both.
    await tagsShowOnly();
    await listOnly();

    const names = {
      tagsShow: 'tags/show only: getImageTags over the known IDs (default settings)',
      wholeJob: 'whole job: getAllImageTags (image list + tags/show, default settings)',
      listOnly: 'image list only: listImages, 100 per page',
    };
    const variants: Variant[] = [
      { name: names.tagsShow, run: () => timed(names.tagsShow, tagsShowOnly, { showImageTags: batches }) },
      { name: names.wholeJob, run: () => timed(names.wholeJob, wholeJob, { showImageTags: batches, listImages: pages }) },
      { name: names.listOnly, run: () => timed(names.listOnly, listOnly, { listImages: pages }) },
    ];
    const results = await runInterleaved(variants, rounds, (r, sample) =>
      settings.log(
        `  round ${r + 1}/${rounds}: ${[...sample].map(([n, s]) => `${n.split(':')[0]} ${s.imagesPerSecond!.toFixed(0)}/s`).join(', ')}`,
      ),
    );
    const ratios = [pairRatio(results, 'whole job / tags/show only', names.wholeJob, names.tagsShow, 'imagesPerSecond')];
    const rows = variants.map((v) => ({ name: v.name, imagesPerSecond: metricOf(results, v.name, 'imagesPerSecond') }));

    return {
      id: '8',
      title: `All the tags of a whole job: ${ids.length.toLocaleString('en-US')} images, image list + tags/show, against the emulator`,
      status: 'ok',
      method: [
        `The emulator (imagesPerJob ${images.toLocaleString('en-US')}, classification job ${job.id}, every image tagged, token auth) runs in its own process; one warm-up pass of each variant first (entries cached, tag index built).`,
        `Whole job: \`getAllImageTags(job)\` pages through the image list (${pages.toLocaleString('en-US')} pages of 100) and sends tags/show batches of 100 as IDs arrive, 8 in flight. Tags/show only: \`getImageTags\` over the same IDs, already known (scenario 3's default row).`,
        `${rounds} interleaved rounds; after every run the emulator's request counts per operation are checked and every image must come back exactly once.`,
        'Client and emulator share the same 2 CPUs.',
      ],
      rounds,
      tables: [
        {
          title: 'Throughput',
          table: throughputTable(rows, ids.length),
        },
      ],
      ratios,
      targets: [target('whole job (list + tags/show) >= 0.7 x tags/show only', ratios[0]!.median, '>=', 0.7)],
      notes: [],
      data: { images, rounds, pages, batches, variants: rows, ratios },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await emulator.close();
  }
}
