// Measures how fast the emulator answers tags/show: it starts the CLI in a
// child process (so the load generator does not share its CPU), asks for every
// image of a large job once (entries generated on first use), then hammers it
// with warm batches for a few seconds.
//
//   node --import tsx scripts/measure-throughput.ts [--images 100000] [--concurrency 16] [--seconds 5] [--batch 100]

import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CLASSIFICATION_JOB_ID, DEFAULT_PROJECT_ID, DEFAULT_TOKEN, DETECTION_JOB_ID } from '../src/constants.js';
import { JobCatalog } from '../src/data/job-catalog.js';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '100000' },
    concurrency: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '5' },
    batch: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
  },
});
const images = Number(values.images);
const concurrency = Number(values.concurrency);
const seconds = Number(values.seconds);
const batchSize = Number(values.batch);
const seed = Number(values.seed);

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const startedAt = performance.now();
const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--images', String(images), '--seed', String(seed)], {
  cwd: packageDir,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (data: string) => {
    output += data;
    if (output.includes('\n')) resolve(output.split('\n')[0] as string);
  });
  child.on('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
});
const startupMs = performance.now() - startedAt;

// The same seed gives the same image IDs here as in the child.
const catalog = new JobCatalog(seed, images);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

function post(jobId: string, imageIds: readonly string[]): Promise<number> {
  const body = JSON.stringify({ image_id: imageIds });
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/${DEFAULT_PROJECT_ID}/data-annotations/${jobId}/tags/show`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'x-auth-token': DEFAULT_TOKEN, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => (res.statusCode === 200 ? resolve(bytes) : reject(new Error(`status ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `next` from `concurrency` workers until it returns undefined; returns requests, IDs, bytes. */
async function drive(next: () => [string, readonly string[]] | undefined) {
  let requests = 0;
  let ids = 0;
  let bytes = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let work = next(); work; work = next()) {
        // Awaited first: `bytes += await ...` would read `bytes` before the
        // await and lose the other workers' additions.
        const received = await post(...work);
        bytes += received;
        requests += 1;
        ids += work[1].length;
      }
    }),
  );
  return { requests, ids, bytes };
}

function report(label: string, elapsedMs: number, totals: { requests: number; ids: number; bytes: number }) {
  const perSecond = (n: number) => Math.round((n * 1000) / elapsedMs).toLocaleString('en');
  console.log(
    `${label}: ${totals.requests.toLocaleString('en')} requests in ${(elapsedMs / 1000).toFixed(2)} s = ` +
      `${perSecond(totals.requests)} req/s, ${perSecond(totals.ids)} image IDs/s, ` +
      `${((totals.bytes * 1000) / elapsedMs / 1e6).toFixed(1)} MB/s`,
  );
}

console.log(`emulator with ${images.toLocaleString('en')} images per job ready in ${Math.round(startupMs)} ms (${url})`);
console.log(`batches of ${batchSize} IDs, ${concurrency} concurrent keep-alive connections`);

for (const jobId of [CLASSIFICATION_JOB_ID, DETECTION_JOB_ID]) {
  const ids = catalog.get(jobId)!.imageIds;
  let offset = 0;
  const coldStart = performance.now();
  const cold = await drive(() => {
    if (offset >= ids.length) return undefined;
    const batch = ids.slice(offset, offset + batchSize);
    offset += batchSize;
    return [jobId, batch];
  });
  report(`job ${jobId}, every image once (cold)`, performance.now() - coldStart, cold);

  const warmStart = performance.now();
  const deadline = warmStart + seconds * 1000;
  let cursor = 0;
  const warm = await drive(() => {
    if (performance.now() >= deadline) return undefined;
    cursor = (cursor + batchSize) % Math.max(1, ids.length - batchSize);
    return [jobId, ids.slice(cursor, cursor + batchSize)];
  });
  report(`job ${jobId}, warm for ${seconds} s`, performance.now() - warmStart, warm);
}

agent.destroy();
child.kill('SIGTERM');
