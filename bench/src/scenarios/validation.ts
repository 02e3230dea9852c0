import { DEFAULT_TOKEN } from '@modelarts-kit/emulator';
import { ModelArtsClient, type Transport } from '@modelarts-kit/client';
import { metricOf, pairRatio, runInterleaved, type Variant } from '../lib/rounds.js';
import { type ScenarioResult, target } from '../lib/report.js';
import { type EmulatorJob, forkEmulator } from '../lib/servers.js';
import type { Settings } from '../settings.js';

/** Answers every request with the same captured body, without any I/O. */
function cannedTransport(body: string): Transport {
  return async () => ({
    status: 200,
    headers: { get: (name: string) => (name.toLowerCase() === 'content-type' ? 'application/json' : null) },
    text: async () => body,
  });
}

interface Captured {
  kind: 'detection' | 'classification';
  job: EmulatorJob;
  body: string;
  bytes: number;
  tags: number;
}

/**
 * The cost of turning one large response into typed, validated entries.
 * Each response is captured once from the emulator (its own process); then
 * the client is handed it through an in-memory transport, so the timing holds
 * input checks, parse, validation and normalisation, and no network. The
 * detection response is the scenario; the classification one is the job type
 * of scenario 3, and explains its client-side cost per image.
 */
export async function validationScenario(settings: Settings): Promise<ScenarioResult> {
  const started = performance.now();
  const { images, parses, rounds } = settings.validation;
  const emulator = await forkEmulator({ imagesPerJob: images });
  const captured: Captured[] = [];
  const projectId = emulator.ready.projectId;
  try {
    for (const kind of ['detection', 'classification'] as const) {
      const job = emulator.ready.jobs[kind];
      const response = await fetch(`${emulator.url}/v1/${projectId}/data-annotations/${job.id}/tags/show`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-auth-token': DEFAULT_TOKEN },
        body: JSON.stringify({ image_id: job.imageIds }),
      });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`capturing the ${kind} response: HTTP ${response.status}`);
      const entries = (JSON.parse(body) as { images_tags: { tags: unknown[] }[] }).images_tags;
      if (entries.length !== images) throw new Error(`the ${kind} response has ${entries.length} entries, not ${images}`);
      captured.push({ kind, job, body, bytes: Buffer.byteLength(body), tags: entries.reduce((n, e) => n + e.tags.length, 0) });
    }
  } finally {
    await emulator.close();
  }

  let sink = 0;
  const perResponse = (name: string, bytes: number, once: () => Promise<number> | number): Variant => ({
    name,
    async run() {
      const t0 = performance.now();
      for (let i = 0; i < parses; i++) sink += await once();
      const ms = (performance.now() - t0) / parses;
      return { msPerResponse: ms, mbPerSecond: bytes / 1e6 / (ms / 1000) };
    },
  });
  const names = (kind: string) => ({
    jsonParse: `${kind}: JSON.parse only (all the official SDK does)`,
    ours: `${kind}: ours, getImageTags over an in-memory transport`,
  });
  const variants: Variant[] = [];
  for (const c of captured) {
    const client = new ModelArtsClient({
      endpoint: 'http://127.0.0.1:9',
      projectId,
      auth: { token: DEFAULT_TOKEN },
      fetch: cannedTransport(c.body),
    });
    variants.push(
      perResponse(names(c.kind).jsonParse, c.bytes, () => (JSON.parse(c.body) as { images_tags: unknown[] }).images_tags.length),
      perResponse(names(c.kind).ours, c.bytes, async () => {
        const result = await client.getImageTags({ annotationId: c.job.id, imageIds: c.job.imageIds }, { batchSize: images });
        if (result.jobType !== c.kind || result.images.length !== images) throw new Error(`ours (${c.kind}): unexpected result`);
        return result.images.length;
      }),
    );
  }
  for (const v of variants) await v.run(0);

  // The fixed cost of one call (input checks, request building, a one-entry body), apart from the per-entry work.
  const detection = captured[0]!;
  const firstEntry = (JSON.parse(detection.body) as { images_tags: unknown[] }).images_tags[0];
  const smallClient = new ModelArtsClient({
    endpoint: 'http://127.0.0.1:9',
    projectId,
    auth: { token: DEFAULT_TOKEN },
    fetch: cannedTransport(JSON.stringify({ is_success: true, images_tags: [firstEntry] })),
  });
  const smallCall = async (): Promise<number> => {
    const n = 2000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++)
      sink += (await smallClient.getImageTags({ annotationId: detection.job.id, imageIds: [detection.job.imageIds[0]!] })).images.length;
    return (performance.now() - t0) / n;
  };
  await smallCall();
  const results = await runInterleaved(variants, rounds, (r, sample) =>
    settings.log(
      `  round ${r + 1}/${rounds}: ${[...sample].map(([n, s]) => `${n.split(',')[0]} ${s.msPerResponse!.toFixed(2)} ms`).join(', ')}`,
    ),
  );
  const fixedCostMs = await smallCall();
  if (sink === 0) throw new Error('nothing was parsed');

  const ratios = captured.map((c) =>
    pairRatio(results, `${c.kind}: ours / JSON.parse, ms per response`, names(c.kind).ours, names(c.kind).jsonParse, 'msPerResponse'),
  );
  const rows = variants.map((v) => ({
    name: v.name,
    msPerResponse: metricOf(results, v.name, 'msPerResponse'),
    mbPerSecond: metricOf(results, v.name, 'mbPerSecond'),
  }));
  const row = (name: string) => rows.find((r) => r.name === name)!;
  const extraPerImage = (kind: string): number =>
    ((row(names(kind).ours).msPerResponse.median - row(names(kind).jsonParse).msPerResponse.median) * 1000) / images;
  return {
    id: '4',
    title: `Response validation: one ${images.toLocaleString('en-US')}-image detection response`,
    status: 'ok',
    method: [
      `Responses of the emulator for ${images.toLocaleString('en-US')} IDs, captured once: detection ${(detection.bytes / 1e6).toFixed(3)} MB with ${detection.tags.toLocaleString('en-US')} boxes; classification (the job type of scenario 3) ${(captured[1]!.bytes / 1e6).toFixed(3)} MB.`,
      'Ours: a whole getImageTags call whose transport hands back the body from memory: input checks, JSON.parse, zod validation, normalisation to typed entries (boxes, sizes), ordering by input.',
      `${parses} responses per variant per round, ${rounds} interleaved rounds, after a warm-up.`,
    ],
    rounds,
    tables: [
      {
        title: 'Per response',
        table: {
          columns: ['variant', 'ms/response', 'min', 'max', 'MB/s', 'us/image'],
          rows: rows.map((r) => [
            r.name,
            r.msPerResponse.median,
            r.msPerResponse.min,
            r.msPerResponse.max,
            r.mbPerSecond.median,
            (r.msPerResponse.median * 1000) / images,
          ]),
        },
      },
    ],
    ratios,
    targets: [target('detection: ours <= 1.4 x JSON.parse alone, ms per response', ratios[0]!.median, '<=', 1.4)],
    notes: [
      `About ${(fixedCostMs * 1000).toFixed(0)} us of a call is fixed (measured with a one-entry body). Over JSON.parse, validation and normalisation add ${extraPerImage('detection').toFixed(2)} us per detection image and ${extraPerImage('classification').toFixed(2)} us per classification image.`,
    ],
    data: {
      images,
      parses,
      rounds,
      responses: captured.map((c) => ({ kind: c.kind, bytes: c.bytes, tags: c.tags })),
      variants: rows,
      ratios,
      fixedCallCostMs: fixedCostMs,
      extraUsPerImage: { detection: extraPerImage('detection'), classification: extraPerImage('classification') },
    },
    seconds: (performance.now() - started) / 1000,
  };
}
