/**
 * Where does the client's per-call time go? Isolates each piece of work the
 * client does around one fetch, against the same fixed-response server
 * process as scenario 1, and the client's CPU cost without any network
 * (an in-memory transport). Run: node --import tsx src/profile-latency.ts
 */
import { DEFAULT_PROJECT_ID, DEFAULT_TOKEN } from '@modelarts-kit/emulator';
import { ModelArtsClient, type Transport } from '@modelarts-kit/client';
import { metricOf, pairRatio, runInterleaved, type Sample, type Variant } from './lib/rounds.js';
import { renderTable, ratioTable } from './lib/report.js';
import { forkFixedResponseServer } from './lib/servers.js';
import { median } from './lib/stats.js';
import diagnostics from 'node:diagnostics_channel';
import http from 'node:http';
import { createOfficialClient } from './lib/official-sdk.js';
import { DEFAULT_CREDENTIALS } from '@modelarts-kit/emulator';

const CALLS = Number(process.env.PROFILE_CALLS ?? 2000);
const ROUNDS = Number(process.env.PROFILE_ROUNDS ?? 5);
const IMAGE_ID = '076e3caed758a1c18c91a0e9cae3368f';
const FIXED_BODY = JSON.stringify({ is_success: true, images_tags: [{ image_id: IMAGE_ID, tags: ['animal', 'fish'] }] });

const server = await forkFixedResponseServer();
const target = `${server.url}/v1/${DEFAULT_PROJECT_ID}/data-annotations/282/tags/show`;
const headers = { 'content-type': 'application/json', 'x-auth-token': DEFAULT_TOKEN };
const body = JSON.stringify({ image_id: [IMAGE_ID] });

async function readStream(response: Response): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

const inMemory: Transport = async () => ({
  status: 200,
  headers: { get: (name: string) => (name === 'content-type' ? 'application/json' : null) },
  text: async () => FIXED_BODY,
});

const ours = new ModelArtsClient({ endpoint: server.url, projectId: DEFAULT_PROJECT_ID, auth: { token: DEFAULT_TOKEN } });
const oursNoNetwork = new ModelArtsClient({
  endpoint: server.url,
  projectId: DEFAULT_PROJECT_ID,
  auth: { token: DEFAULT_TOKEN },
  fetch: inMemory,
});

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const targetUrl = new URL(target);
/** node:http, the transport under axios (and so under the official SDK). */
const httpPost = (): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: targetUrl.hostname,
        port: targetUrl.port,
        path: targetUrl.pathname,
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve(JSON.parse(text)));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
/** The client over the global fetch instead of its default node:http transport. */
const oursOverFetch = new ModelArtsClient({
  endpoint: server.url,
  projectId: DEFAULT_PROJECT_ID,
  auth: { token: DEFAULT_TOKEN },
  fetch: globalThis.fetch,
});
const official = createOfficialClient(server.url, { ...DEFAULT_CREDENTIALS, projectId: DEFAULT_PROJECT_ID });
const oursAkSk = new ModelArtsClient({ endpoint: server.url, projectId: DEFAULT_PROJECT_ID, auth: { ...DEFAULT_CREDENTIALS } });

const steps: Record<string, () => Promise<unknown>> = {
  'fetch + text + JSON.parse (floor)': async () => JSON.parse(await (await fetch(target, { method: 'POST', headers, body })).text()),
  '+ AbortSignal per call': async () => {
    const controller = new AbortController();
    return JSON.parse(await (await fetch(target, { method: 'POST', headers, body, signal: controller.signal })).text());
  },
  '+ signal + timeout timer': async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    try {
      return JSON.parse(await (await fetch(target, { method: 'POST', headers, body, signal: controller.signal })).text());
    } finally {
      clearTimeout(timer);
    }
  },
  '+ redirect manual': async () => JSON.parse(await (await fetch(target, { method: 'POST', headers, body, redirect: 'manual' })).text()),
  'body via getReader loop': async () => JSON.parse(await readStream(await fetch(target, { method: 'POST', headers, body }))),
  'fetch as the client calls it (signal, manual redirect, streamed body)': async () => {
    const controller = new AbortController();
    const response = await fetch(target, { method: 'POST', headers, body, signal: controller.signal, redirect: 'manual' });
    return JSON.parse(await readStream(response));
  },
  'node:http request, keep-alive (what axios uses)': httpPost,
  'official SDK core (axios, AK/SK)': () => official.showImageTags('282', [IMAGE_ID]),
  'ours (AK/SK)': () => oursAkSk.getImageTags({ annotationId: '282', imageIds: [IMAGE_ID] }),
  'ours (token)': () => ours.getImageTags({ annotationId: '282', imageIds: [IMAGE_ID] }),
  'ours (token) over fetch': () => oursOverFetch.getImageTags({ annotationId: '282', imageIds: [IMAGE_ID] }),
  'ours (token), in-memory transport': () => oursNoNetwork.getImageTags({ annotationId: '282', imageIds: [IMAGE_ID] }),
  // The sum of the two parts, one after the other: what ours would cost if its work cost as much between
  // real requests as it does alone.
  'node:http request, then ours over the in-memory transport': async () => {
    await httpPost();
    return oursNoNetwork.getImageTags({ annotationId: '282', imageIds: [IMAGE_ID] });
  },
};

/**
 * node:http publishes when a request goes out and when its response's
 * headers are in (diagnostics_channel); each call of a variant built on
 * node:http is split there into the client's work before sending, the wire
 * (network and server), and its work after the headers.
 */
let sentAt = 0;
let headersAt = 0;
diagnostics.subscribe('http.client.request.start', () => {
  sentAt = performance.now();
});
diagnostics.subscribe('http.client.response.finish', () => {
  headersAt = performance.now();
});

const variants: Variant[] = Object.entries(steps).map(([name, call]) => ({
  name,
  async run() {
    const times: number[] = [];
    const before: number[] = [];
    const wire: number[] = [];
    const after: number[] = [];
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < CALLS; i++) {
      sentAt = headersAt = 0;
      const t0 = performance.now();
      await call();
      const t1 = performance.now();
      times.push(t1 - t0);
      if (sentAt >= t0 && headersAt >= sentAt) {
        before.push(sentAt - t0);
        wire.push(headersAt - sentAt);
        after.push(t1 - headersAt);
      }
    }
    const cpu = process.cpuUsage(cpu0);
    const sample: Sample = { medianUs: median(times) * 1000, cpuUs: (cpu.user + cpu.system) / CALLS };
    if (before.length === CALLS)
      Object.assign(sample, { beforeUs: median(before) * 1000, wireUs: median(wire) * 1000, afterUs: median(after) * 1000 });
    return sample;
  },
}));
for (const v of variants) await v.run(0);
const results = await runInterleaved(variants, ROUNDS);
console.log(
  renderTable({
    columns: ['variant', 'median us', 'min', 'max', 'CPU us/call (this process)'],
    rows: variants.map((v) => {
      const m = metricOf(results, v.name, 'medianUs');
      return [v.name, m.median, m.min, m.max, metricOf(results, v.name, 'cpuUs').median];
    }),
  }),
);
const phased = variants.filter((v) => results.samples.get(v.name)!.every((sample) => sample.wireUs !== undefined));
console.log(
  `\n${renderTable({
    columns: ['variant (node:http underneath)', 'before sending, us', 'wire (network + server), us', 'after the headers, us'],
    rows: phased.map((v) => [
      v.name,
      metricOf(results, v.name, 'beforeUs').median,
      metricOf(results, v.name, 'wireUs').median,
      metricOf(results, v.name, 'afterUs').median,
    ]),
  })}`,
);
const floor = variants[0]!.name;
console.log(
  `\n${renderTable(ratioTable(variants.slice(1).map((v) => pairRatio(results, `${v.name} / floor`, v.name, floor, 'medianUs'))))}`,
);
await server.close();
