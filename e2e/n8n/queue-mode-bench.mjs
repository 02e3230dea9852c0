#!/usr/bin/env node
// Executions per second of n8n 2.x in queue mode with one worker, then with two, running the production
// webhook workflow of the queue-mode scenario (job ID + image IDs -> tags, the ModelArts node's Get Tags)
// against the emulator. Prints the numbers; asserts nothing about speed.
//
//   node e2e/n8n/queue-mode-bench.mjs [--calls 300] [--in-flight 40] [--images 5] [--concurrency 10]
//
//   --calls        webhook calls measured per configuration (after 20 warm-up calls)
//   --in-flight    calls kept open at once by the client
//   --images       image IDs per call
//   --concurrency  executions one worker runs at once (n8n worker --concurrency)
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CLASSIFICATION_JOB_ID, DEFAULT_CREDENTIALS, DEFAULT_PROJECT_ID, startEmulator } from '@modelarts-kit/emulator';
import { ensureInstalled } from './install.mjs';
import { modelArtsCredential } from './lib/modelarts-node.mjs';
import { resolveNodePackage } from './lib/node-package.mjs';
import { startQueueMode } from './lib/queue-mode.mjs';
import { VERSIONS } from './versions.mjs';
import { postJson, webhookTagsWorkflow } from './workflows/webhook-tags.mjs';

const WARM_UP_CALLS = 20;
const PATH = 'modelarts-tags-bench';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '300' },
    'in-flight': { type: 'string', default: '40' },
    images: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '10' },
  },
});
const calls = Number(values.calls);
const inFlight = Number(values['in-flight']);
const images = Number(values.images);
const concurrency = Number(values.concurrency);

const version = VERSIONS['2'];
await ensureInstalled([version]);
const nodePackage = await resolveNodePackage();
const emulator = await startEmulator();
const credential = modelArtsCredential({
  id: 'benchQueueModeAk',
  name: 'ModelArts AK/SK (queue mode benchmark)',
  endpoint: emulator.url,
  projectId: DEFAULT_PROJECT_ID,
  authType: 'accessKey',
  ...DEFAULT_CREDENTIALS,
});
const ids = emulator.jobs.classification.imageIds;
const body = (i) => ({
  job_id: CLASSIFICATION_JOB_ID,
  image_ids: Array.from({ length: images }, (_, k) => ids[(i * images + k) % ids.length]),
});

let cluster;
// Interrupted: stop PostgreSQL, Redis and n8n (each in its own process group) before leaving.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await cluster?.stop();
    await emulator.close();
    process.exit(130);
  });
}
try {
  cluster = await startQueueMode({
    version: '2',
    nodePackage,
    credentials: [credential],
    workflows: [webhookTagsWorkflow({ id: 'benchQueueTags01', name: 'Queue mode benchmark: tags webhook', path: PATH, credential })],
    workers: 1,
    concurrency,
    log: (line) => console.log(line),
  });
  const results = [];
  for (const workers of [1, 2]) {
    if (workers === 2) await cluster.addWorker();
    await fire(WARM_UP_CALLS, 0);
    const began = performance.now();
    const failed = await fire(calls, WARM_UP_CALLS);
    const seconds = (performance.now() - began) / 1000;
    const perSecond = Math.round((calls / seconds) * 10) / 10;
    results.push({ workers, calls, seconds: Math.round(seconds * 10) / 10, executionsPerSecond: perSecond, failed });
    console.log(`${workers} worker(s): ${calls} executions in ${seconds.toFixed(1)}s = ${perSecond} executions/s (${failed} failed)`);
  }
  console.log(
    JSON.stringify(
      {
        machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadAverage: os.loadavg() },
        n8n: version.n8n,
        images,
        inFlight,
        concurrency,
        results,
      },
      null,
      2,
    ),
  );
} finally {
  await cluster?.stop();
  await emulator.close();
  if (!process.env.N8N_E2E_NODE_PACKAGE) await fs.rm(path.dirname(nodePackage), { recursive: true, force: true });
}

/** `count` calls, `inFlight` open at a time; returns how many did not answer 200. */
async function fire(count, offset) {
  let next = 0;
  let failed = 0;
  const lane = async () => {
    while (next < count) {
      const i = offset + next++;
      const r = await postJson(cluster.webhookUrl(PATH), body(i));
      if (r.status !== 200 || !Array.isArray(r.body) || r.body.length !== images) failed++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane));
  return failed;
}
