import { DEFAULT_TOKEN } from '@modelarts-kit/emulator';
import { ModelArtsClient, type Transport } from '@modelarts-kit/client';
import { metricOf, pairRatio, runInterleaved, type Variant } from '../lib/rounds.js';
import type { ScenarioResult } from '../lib/report.js';
import { forkEmulator } from '../lib/servers.js';
import type { Settings } from '../settings.js';

/** Answers every request with the same captured body, without any I/O. */
function cannedTransport(body: string): Transport {
  return async () => ({
    status: 200,
    headers: { get: (name: string) => (name.toLowerCase() === 'content-type' ? 'application/json' : null) },
    text: async () => body,
  });
}

/**
 * The cost of turning one large detection response into typed, validated
 * entries. The response is captured once from the emulator (its own process);
 * then the client is given it through an in-memory transport, so the timing
 * holds parse + validation + normalisation and no network.
 */
export async function validationScenario(settings: Settings): Promise<ScenarioResult> {
  const started = performance.now();
  const { images, parses, rounds } = settings.validation;
  const emulator = await forkEmulator({ imagesPerJob: images });
  let body: string;
  let ids: string[];
  let projectId: string;
  let jobId: string;
  try {
    const job = emulator.ready.jobs.detection;
    ids = job.imageIds;
    jobId = job.id;
    projectId = emulator.ready.projectId;
    const response = await fetch(`${emulator.url}/v1/${projectId}/data-annotations/${job.id}/tags/show`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': DEFAULT_TOKEN },
      body: JSON.stringify({ image_id: ids }),
    });
    body = await response.text();
    if (response.status !== 200) throw new Error(`capturing the response: HTTP ${response.status}`);
  } finally {
    await emulator.close();
  }
  const bytes = Buffer.byteLength(body);
  const parsedOnce = JSON.parse(body) as { images_tags: { tags: unknown[] }[] };
  const boxes = parsedOnce.images_tags.reduce((n, e) => n + e.tags.length, 0);

  const client = new ModelArtsClient({ endpoint: 'http://127.0.0.1:9', projectId, auth: { token: DEFAULT_TOKEN }, fetch: cannedTransport(body) });
  const smallBody = JSON.stringify({ is_success: true, images_tags: [parsedOnce.images_tags[0]] });
  const smallClient = new ModelArtsClient({ endpoint: 'http://127.0.0.1:9', projectId, auth: { token: DEFAULT_TOKEN }, fetch: cannedTransport(smallBody) });

  let sink = 0;
  const perResponse = (name: string, once: () => Promise<number> | number): Variant => ({
    name,
    async run() {
      const t0 = performance.now();
      for (let i = 0; i < parses; i++) sink += await once();
      const ms = (performance.now() - t0) / parses;
      return { msPerResponse: ms, mbPerSecond: bytes / 1e6 / (ms / 1000) };
    },
  });
  const names = {
    jsonParse: 'JSON.parse only (floor; all the official SDK does)',
    ours: `ours: getImageTags, in-memory transport (${images} IDs, 1 batch)`,
  };
  const variants = [
    perResponse(names.jsonParse, () => (JSON.parse(body) as { images_tags: unknown[] }).images_tags.length),
    perResponse(names.ours, async () => {
      const result = await client.getImageTags({ annotationId: jobId, imageIds: ids }, { batchSize: images });
      if (result.jobType !== 'detection' || result.images.length !== images) throw new Error('ours: unexpected result');
      return result.images.length;
    }),
  ];
  for (const v of variants) await v.run(0);
  // The fixed cost of one call (input checks, request building, one-entry body), to separate it from the per-entry work.
  const smallCall = async (): Promise<number> => {
    const n = 2000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) sink += (await smallClient.getImageTags({ annotationId: jobId, imageIds: [ids[0]!] })).images.length;
    return (performance.now() - t0) / n;
  };
  await smallCall();
  const results = await runInterleaved(variants, rounds, (r, sample) =>
    settings.log(`  round ${r + 1}/${rounds}: ${[...sample].map(([n, s]) => `${n.split(':')[0]} ${s.msPerResponse!.toFixed(2)} ms`).join(', ')}`),
  );
  const fixedCostMs = await smallCall();
  if (sink === 0) throw new Error('nothing was parsed');

  const ratios = [pairRatio(results, 'ours / JSON.parse, ms per response', names.ours, names.jsonParse, 'msPerResponse')];
  const rows = variants.map((v) => ({
    name: v.name,
    msPerResponse: metricOf(results, v.name, 'msPerResponse'),
    mbPerSecond: metricOf(results, v.name, 'mbPerSecond'),
  }));
  const ours = rows[1]!;
  return {
    id: '4',
    title: `Response validation: one ${images.toLocaleString('en-US')}-image detection response`,
    status: 'ok',
    method: [
      `The response of the emulator's detection job for ${images.toLocaleString('en-US')} IDs, captured once: ${(bytes / 1e6).toFixed(3)} MB, ${boxes.toLocaleString('en-US')} boxes.`,
      'Ours: a whole getImageTags call whose transport hands back that body from memory: input checks, JSON.parse, zod validation, normalisation to typed entries (boxes, sizes), ordering by input.',
      `${parses} responses per variant per round, ${rounds} interleaved rounds, after a warm-up.`,
    ],
    rounds,
    tables: [
      {
        title: 'Per response',
        table: {
          columns: ['variant', 'ms/response', 'min', 'max', 'MB/s', 'us/image'],
          rows: rows.map((r) => [r.name, r.msPerResponse.median, r.msPerResponse.min, r.msPerResponse.max, r.mbPerSecond.median, (r.msPerResponse.median * 1000) / images]),
        },
      },
    ],
    ratios,
    targets: [],
    notes: [
      `Of ours, ~${(fixedCostMs * 1000).toFixed(0)} us is the fixed cost of a call (measured with a one-entry body); validation and normalisation add ~${(((ours.msPerResponse.median - rows[0]!.msPerResponse.median) * 1000) / images).toFixed(2)} us per image over JSON.parse.`,
    ],
    data: { images, bytes, boxes, parses, rounds, variants: rows, ratios, fixedCallCostMs: fixedCostMs },
    seconds: (performance.now() - started) / 1000,
  };
}
