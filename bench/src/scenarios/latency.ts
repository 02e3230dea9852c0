// Why one long file: each competing client's per-call loop sits beside the others, so their set-ups can
// be compared line by line.
import { Agent, request } from 'node:http';
import { DEFAULT_CREDENTIALS, DEFAULT_PROJECT_ID, DEFAULT_TOKEN } from '@modelarts-kit/emulator';
import { ModelArtsClient } from '@modelarts-kit/client';
import { createOfficialClient } from '../lib/official-sdk.js';
import { metricOf, pairRatio, runInterleaved, type Variant } from '../lib/rounds.js';
import { type ScenarioResult, target } from '../lib/report.js';
import { forkEmulator, forkFixedResponseServer } from '../lib/servers.js';
import { median, quantile, round } from '../lib/stats.js';
import type { Settings } from '../settings.js';

const ANNOTATION_ID = '282';
// The image the fixed-response server always answers with.
const IMAGE_ID = '076e3caed758a1c18c91a0e9cae3368f';

type Call = () => Promise<void>;

interface Contender {
  name: string;
  /** Which auth header the server must have seen on every call. */
  auth: 'token' | 'signature';
  make(url: string, projectId: string, imageId: string): Call;
}

const CONTENDERS: Contender[] = [
  {
    name: 'fetch, precomputed headers (floor)',
    auth: 'token',
    make(url, projectId, imageId) {
      const target = `${url}/v1/${projectId}/data-annotations/${ANNOTATION_ID}/tags/show`;
      const headers = { 'content-type': 'application/json', 'x-auth-token': DEFAULT_TOKEN };
      const body = JSON.stringify({ image_id: [imageId] });
      return async () => {
        const response = await fetch(target, { method: 'POST', headers, body });
        const json = JSON.parse(await response.text()) as { is_success?: boolean };
        if (response.status !== 200 || json.is_success !== true) throw new Error(`fetch: HTTP ${response.status}`);
      };
    },
  },
  {
    name: 'ours, token',
    auth: 'token',
    make(url, projectId, imageId) {
      const client = new ModelArtsClient({ endpoint: url, projectId, auth: { token: DEFAULT_TOKEN } });
      return async () => {
        const result = await client.getImageTags({ annotationId: ANNOTATION_ID, imageIds: [imageId] });
        if (result.images.length !== 1) throw new Error('ours (token): no image in the result');
      };
    },
  },
  {
    name: 'node:http, precomputed headers (floor of our transport)',
    auth: 'token',
    make(url, projectId, imageId) {
      const target = new URL(`${url}/v1/${projectId}/data-annotations/${ANNOTATION_ID}/tags/show`);
      const body = JSON.stringify({ image_id: [imageId] });
      const headers = { 'content-type': 'application/json', 'x-auth-token': DEFAULT_TOKEN, 'content-length': Buffer.byteLength(body) };
      const agent = new Agent({ keepAlive: true });
      return () =>
        new Promise<void>((resolve, reject) => {
          const req = request(target, { method: 'POST', headers, agent }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('error', reject);
            response.on('end', () => {
              const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { is_success?: boolean };
              if (response.statusCode !== 200 || json.is_success !== true) reject(new Error(`node:http: HTTP ${response.statusCode}`));
              else resolve();
            });
          });
          req.on('error', reject);
          req.end(body);
        });
    },
  },
  {
    name: 'ours, token, over fetch',
    auth: 'token',
    make(url, projectId, imageId) {
      const client = new ModelArtsClient({ endpoint: url, projectId, auth: { token: DEFAULT_TOKEN }, fetch: globalThis.fetch });
      return async () => {
        const result = await client.getImageTags({ annotationId: ANNOTATION_ID, imageIds: [imageId] });
        if (result.images.length !== 1) throw new Error('ours (token, fetch): no image in the result');
      };
    },
  },
  {
    name: 'ours, AK/SK',
    auth: 'signature',
    make(url, projectId, imageId) {
      const client = new ModelArtsClient({ endpoint: url, projectId, auth: { ...DEFAULT_CREDENTIALS } });
      return async () => {
        const result = await client.getImageTags({ annotationId: ANNOTATION_ID, imageIds: [imageId] });
        if (result.images.length !== 1) throw new Error('ours (AK/SK): no image in the result');
      };
    },
  },
  {
    name: 'official SDK core, AK/SK',
    auth: 'signature',
    make(url, projectId, imageId) {
      const client = createOfficialClient(url, { ...DEFAULT_CREDENTIALS, projectId });
      return async () => {
        const result = (await client.showImageTags(ANNOTATION_ID, [imageId])) as { images_tags?: unknown[] };
        if (result.images_tags?.length !== 1) throw new Error('official: no image in the result');
      };
    },
  },
];

const [FETCH, OURS_TOKEN, NODE_HTTP, OURS_OVER_FETCH, OURS_AKSK, OFFICIAL] = CONTENDERS.map((c) => c.name) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const TOKEN_CONTENDERS = CONTENDERS.filter((c) => c.auth === 'token').length;
const SIGNING_CONTENDERS = CONTENDERS.length - TOKEN_CONTENDERS;

/**
 * Each contender first makes one real call to the emulator, which checks
 * token and AK/SK signatures: a contender that signs wrongly fails here,
 * before any timing.
 */
async function preflight(): Promise<string[]> {
  const emulator = await forkEmulator({ imagesPerJob: 10 });
  try {
    const imageId = emulator.ready.jobs.classification.imageIds[0]!;
    const checked: string[] = [];
    for (const contender of CONTENDERS) {
      await contender.make(emulator.url, emulator.ready.projectId, imageId)();
      checked.push(contender.name);
    }
    const stats = await emulator.stats<{ auth: { token: number; signature: number; rejected: number } }>();
    if (stats.auth.rejected !== 0 || stats.auth.signature !== SIGNING_CONTENDERS || stats.auth.token !== TOKEN_CONTENDERS) {
      throw new Error(`preflight: the emulator saw ${JSON.stringify(stats.auth)}`);
    }
    return checked;
  } finally {
    await emulator.close();
  }
}

export async function latencyScenario(settings: Settings): Promise<ScenarioResult> {
  const started = performance.now();
  const { calls, rounds, warmupCalls } = settings.latency;
  await preflight();
  const server = await forkFixedResponseServer();
  try {
    const callsOf = new Map(CONTENDERS.map((c) => [c.name, c.make(server.url, DEFAULT_PROJECT_ID, IMAGE_ID)]));
    const rawSamples = new Map<string, number[][]>(CONTENDERS.map((c) => [c.name, []]));

    const measure = async (contender: Contender, count: number): Promise<number[]> => {
      const call = callsOf.get(contender.name)!;
      await server.reset();
      const times = new Array<number>(count);
      for (let i = 0; i < count; i++) {
        const t0 = performance.now();
        await call();
        times[i] = performance.now() - t0;
      }
      const seen = await server.stats<{ requests: number; withToken: number; withSignature: number }>();
      const authorised = contender.auth === 'token' ? seen.withToken : seen.withSignature;
      if (seen.requests !== count || authorised !== count) {
        throw new Error(`${contender.name}: the server saw ${JSON.stringify(seen)} for ${count} calls`);
      }
      return times;
    };

    // Warm-up: JIT, connection pools, lazy requires.
    for (const contender of CONTENDERS) await measure(contender, warmupCalls);

    const variants: Variant[] = CONTENDERS.map((contender) => ({
      name: contender.name,
      async run() {
        const times = await measure(contender, calls);
        rawSamples.get(contender.name)!.push(times);
        return {
          medianUs: median(times) * 1000,
          p99Us: quantile(times, 0.99) * 1000,
          meanUs: (times.reduce((a, b) => a + b, 0) / times.length) * 1000,
        };
      },
    }));
    const results = await runInterleaved(variants, rounds, (r, sample) =>
      settings.log(`  round ${r + 1}/${rounds}: ${[...sample].map(([n, s]) => `${n} ${s.medianUs!.toFixed(0)} us`).join(', ')}`),
    );

    const rows = CONTENDERS.map((c) => {
      const med = metricOf(results, c.name, 'medianUs');
      const p99 = metricOf(results, c.name, 'p99Us');
      const mean = metricOf(results, c.name, 'meanUs');
      const pooled = rawSamples.get(c.name)!.flat();
      return {
        name: c.name,
        median: med,
        p99,
        mean,
        pooledMedianUs: round(median(pooled) * 1000),
        pooledP99Us: round(quantile(pooled, 0.99) * 1000),
      };
    });
    const ratios = [
      pairRatio(results, 'ours (token) / fetch, median', OURS_TOKEN, FETCH, 'medianUs'),
      pairRatio(results, 'ours (AK/SK) / fetch, median', OURS_AKSK, FETCH, 'medianUs'),
      pairRatio(results, 'ours (token) / node:http, median', OURS_TOKEN, NODE_HTTP, 'medianUs'),
      pairRatio(results, 'ours (AK/SK) / node:http, median', OURS_AKSK, NODE_HTTP, 'medianUs'),
      pairRatio(results, 'ours over fetch (token) / fetch, median', OURS_OVER_FETCH, FETCH, 'medianUs'),
      pairRatio(results, 'official / ours (AK/SK), median', OFFICIAL, OURS_AKSK, 'medianUs'),
      pairRatio(results, 'ours (token) / fetch, p99', OURS_TOKEN, FETCH, 'p99Us'),
      pairRatio(results, 'official / ours (AK/SK), p99', OFFICIAL, OURS_AKSK, 'p99Us'),
    ];
    const [oursFetch, oursAkskFetch, oursNodeHttp, oursAkskNodeHttp, oursOverFetch, officialOurs] = ratios as [
      (typeof ratios)[0],
      (typeof ratios)[0],
      (typeof ratios)[0],
      (typeof ratios)[0],
      (typeof ratios)[0],
      (typeof ratios)[0],
    ];

    return {
      id: '1',
      title: 'Per-call latency: sequential tags/show calls, 1 image each, fixed-response server',
      status: 'ok',
      method: [
        `${calls.toLocaleString('en-US')} sequential calls per contender per round, ${rounds} interleaved rounds (order rotated each round), after ${warmupCalls} warm-up calls each.`,
        'Server: a fixed-response HTTP server in its own process on 127.0.0.1 (keep-alive); it counts requests and auth headers, and every round is checked against that count.',
        'Floor: fetch with headers and body computed once, then text() and JSON.parse. Ours: getImageTags (input checks, retries/timeout machinery, zod validation) over its default transport, node:http with keep-alive.',
        'Two references: node:http with precomputed headers and a keep-alive agent (the floor of our default transport), and ours given the global fetch as its transport (what the client adds around one fetch).',
        'Official: @huaweicloud/huaweicloud-sdk-core ClientBuilder + BasicCredentials with the http endpoint, hcClient.sendRequest as its generated clients call it; AKSKSigner signs every call (axios transport).',
        'Before timing, each contender made one call to the emulator, which verified its token or AK/SK signature.',
      ],
      rounds,
      tables: [
        {
          title: "Latency per call in microseconds (median over rounds of each round's statistic)",
          table: {
            columns: ['contender', 'median us', 'p99 us', 'mean us', 'median range', 'calls/s'],
            rows: rows.map((r) => [
              r.name,
              r.median.median,
              r.p99.median,
              r.mean.median,
              `${r.median.min.toFixed(0)}-${r.median.max.toFixed(0)}`,
              1e6 / r.mean.median,
            ]),
          },
        },
      ],
      ratios,
      targets: [
        target('ours (token) <= 1.10 x plain fetch, median latency', oursFetch.median, '<=', 1.1),
        target('official SDK >= 1.2 x ours (AK/SK vs AK/SK), median latency', officialOurs.median, '>=', 1.2),
        target('ours (token) <= 1.15 x bare node:http with precomputed headers, median latency', oursNodeHttp.median, '<=', 1.15),
        target('ours (AK/SK) <= 1.30 x bare node:http with precomputed headers, median latency', oursAkskNodeHttp.median, '<=', 1.3),
      ],
      notes: [
        `ours (AK/SK) / fetch = ${oursAkskFetch.median}: the AK/SK path signs each call (see scenario 2); the fetch floor sends precomputed headers.`,
        `ours (token) / node:http = ${oursNodeHttp.median}: what the client itself costs per call over the cheapest transport; ours over fetch / fetch = ${oursOverFetch.median}: the same over fetch.`,
      ],
      data: { calls, rounds, warmupCalls, contenders: rows, ratios },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await server.close();
  }
}
