// The ModelArts Trigger in real, running n8n (`n8n start`), against the emulator: two published
// (activated) workflows, each the trigger polling every minute (n8n's shortest polling interval) and an
// HTTP Request node that posts every item it gets to a recorder on 127.0.0.1:
//   - Images Labelled on job 301: tags written through the emulator's API reach the recorder, one
//     item per labelled image, with its tags;
//   - New Untagged Images on job 302: an OBS sync adds images; each reaches the recorder once.
// After the events, the test waits for one more poll of each trigger and checks nothing came twice.
// Each trigger's first poll only takes its baseline: the test writes nothing before it happened.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  DEFAULT_PROJECT_ID,
  DEFAULT_TOKEN,
  PRODUCT_CLASSIFICATION_JOB_ID,
  SHELF_DETECTION_JOB_ID,
  startEmulator,
} from '@modelarts-kit/emulator';
import { ModelArtsClient } from '@modelarts-kit/client';
import { freePort, createN8nSession } from '../harness.mjs';
import { startBackground } from '../lib/background.mjs';
import { jobById, modelArtsCredential } from '../lib/modelarts-node.mjs';
import { nodeBinary, REPO_ROOT } from '../versions.mjs';

const TRIGGER_TYPE = '@modelarts-kit/n8n-nodes-modelarts.modelArtsTrigger';
const IMAGES_PER_JOB = 60;
const ADDED_BY_SYNC = 5;
const LABELLED = 3;
/** A poll comes every minute at a random second; two polls plus a busy machine's execution time. */
const EVENT_TIMEOUT_MS = 150_000;
const READY_TIMEOUT_MS = 5 * 60_000;

/** An HTTP server that keeps the JSON body of every POST. */
async function startRecorder() {
  const bodies = [];
  const waiters = new Set();
  const server = http.createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      for (const check of waiters) check();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen({ port, host: '127.0.0.1' }, () => resolve(undefined)));
  return {
    url: `http://127.0.0.1:${port}/events`,
    bodies,
    /** Resolves when `predicate(bodies)` holds (checked at each arrival). */
    waitFor(predicate, what, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}; received ${JSON.stringify(bodies).slice(0, 600)}`));
        }, timeoutMs);
        const check = () => {
          if (!predicate(bodies)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(bodies);
        };
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Resolves once `condition()` (over the emulator's request counters) holds. */
function whenEmulator(condition, what, timeoutMs) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (condition()) return resolve(undefined);
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      // The emulator has no request event; its counters are read again shortly (no fixed wait for the outcome).
      setTimeout(check, 250);
    };
    check();
  });
}

function triggerWorkflow({ id, name, event, job, credential, recorderUrl }) {
  return {
    id,
    name,
    active: false,
    settings: { executionOrder: 'v1' },
    nodes: [
      {
        id: `${id}-trigger`,
        name: 'ModelArts Trigger',
        type: TRIGGER_TYPE,
        typeVersion: 1,
        position: [0, 0],
        parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, event, annotationId: jobById(job), options: {} },
        credentials: { modelArtsApi: { id: credential.id, name: credential.name } },
      },
      {
        id: `${id}-record`,
        name: 'Record',
        type: 'n8n-nodes-base.httpRequest',
        typeVersion: 4.2,
        position: [240, 0],
        parameters: {
          method: 'POST',
          url: recorderUrl,
          sendBody: true,
          specifyBody: 'json',
          jsonBody: '={{ JSON.stringify($json) }}',
          options: {},
        },
      },
    ],
    connections: { 'ModelArts Trigger': { main: [[{ node: 'Record', type: 'main', index: 0 }]] } },
  };
}

/**
 * The workflow templates of the package use only node types (and versions) this n8n has, besides the
 * package's own nodes (checked by the package's tests).
 */
function checkTemplates(version) {
  const known = JSON.parse(readFileSync(path.join(version.dir, 'node_modules', 'n8n-nodes-base', 'dist', 'types', 'nodes.json'), 'utf8'));
  const versions = new Map();
  for (const node of known) versions.set(node.name, [...(versions.get(node.name) ?? []), ...[node.version].flat()]);
  const dir = path.join(REPO_ROOT, 'packages', 'n8n-nodes-modelarts', 'templates');
  const files = readdirSync(dir).filter((file) => file.endsWith('.json'));
  assert.ok(files.length >= 2, 'the templates are there');
  for (const file of files) {
    for (const node of JSON.parse(readFileSync(path.join(dir, file), 'utf8')).nodes) {
      if (node.type.startsWith('@modelarts-kit/n8n-nodes-modelarts.')) continue;
      assert.match(node.type, /^n8n-nodes-base\./, `${file}: ${node.name}`);
      const available = versions.get(node.type.slice('n8n-nodes-base.'.length)) ?? [];
      assert.ok(
        available.includes(node.typeVersion),
        `${file}: ${node.type} ${node.typeVersion} is not in n8n ${version.n8n} (${available.join(', ')})`,
      );
    }
  }
  return files.length;
}

/** @type {import('../run.mjs').Scenario} */
export default {
  name: 'ModelArts Trigger in a running n8n: labelled images and an OBS sync, each delivered once',
  needsNodePackage: true,
  // Most of its three minutes is waiting for n8n's next poll: both versions run at once.
  parallelVersions: true,

  async run({ version, nodePackage, log }) {
    const stack = [];
    try {
      const emulator = await startEmulator({ imagesPerJob: IMAGES_PER_JOB, obsSync: { durationMs: 0, addImages: ADDED_BY_SYNC } });
      stack.push(() => emulator.close());
      const recorder = await startRecorder();
      stack.push(() => recorder.close());
      const credential = modelArtsCredential({
        id: 'trgcred0000001',
        name: 'ModelArts emulator',
        endpoint: emulator.url,
        projectId: DEFAULT_PROJECT_ID,
        authType: 'token',
        token: DEFAULT_TOKEN,
      });
      const workflows = [
        triggerWorkflow({
          id: 'trgwf000000001',
          name: 'Labelled',
          event: 'imagesLabelled',
          job: PRODUCT_CLASSIFICATION_JOB_ID,
          credential,
          recorderUrl: recorder.url,
        }),
        triggerWorkflow({
          id: 'trgwf000000002',
          name: 'New untagged',
          event: 'newUntaggedImages',
          job: SHELF_DETECTION_JOB_ID,
          credential,
          recorderUrl: recorder.url,
        }),
      ];
      const port = await freePort();
      const session = await createN8nSession({
        version,
        nodePackage,
        credentials: [credential],
        workflows,
        env: { N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1' },
        log,
      });
      stack.push(() => session.close());
      log(`[n8n ${session.version.n8n}] ${checkTemplates(session.version)} workflow templates use only nodes this n8n has`);
      for (const wf of workflows) {
        // n8n 2.x publishes a workflow (activation follows at start); 1.x marks it active.
        const args =
          session.version.key === '2' ? ['publish:workflow', `--id=${wf.id}`] : ['update:workflow', `--id=${wf.id}`, '--active=true'];
        const r = await session.cli(args, args[0]);
        assert.equal(r.exitCode, 0, `${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
      }
      const n8n = startBackground('n8n start', nodeBinary(session.version), [session.version.n8nBin, 'start'], {
        env: session.env,
        cwd: session.userFolder,
      });
      stack.push(() => n8n.stop());
      await n8n.waitFor(/Editor is now accessible via/, READY_TIMEOUT_MS);
      log(`[n8n ${session.version.n8n}] started with 2 published trigger workflows`);

      // The baselines: each trigger read its job's statistics and listed its images (untagged, then tagged).
      const jobRequests = (job) => emulator.stats.jobs[job]?.requests ?? 0;
      const baselineDone = () => jobRequests(PRODUCT_CLASSIFICATION_JOB_ID) >= 3 && jobRequests(SHELF_DETECTION_JOB_ID) >= 3;
      await whenEmulator(baselineDone, 'the first poll of both triggers', EVENT_TIMEOUT_MS);
      assert.equal(recorder.bodies.length, 0, 'the first poll emits nothing');

      const client = new ModelArtsClient({ endpoint: emulator.url, projectId: DEFAULT_PROJECT_ID, auth: { token: DEFAULT_TOKEN } });
      const untagged = [];
      for await (const image of client.listImages({ annotationId: PRODUCT_CLASSIFICATION_JOB_ID, untagged: true }))
        untagged.push(image.imageId);
      const labelled = untagged.slice(0, LABELLED);
      await client.setImageTags(
        PRODUCT_CLASSIFICATION_JOB_ID,
        labelled.map((imageId, index) => ({ imageId, tags: index === 0 ? ['shoes', 'bags'] : ['toys'] })),
      );
      const known = new Set(emulator.imageIds(SHELF_DETECTION_JOB_ID));
      await client.syncFromObs(SHELF_DETECTION_JOB_ID, { wait: true });
      const added = emulator.imageIds(SHELF_DETECTION_JOB_ID).filter((id) => !known.has(id));
      assert.equal(added.length, ADDED_BY_SYNC);

      const byEvent = (bodies, event) => bodies.filter((body) => body.event === event);
      await recorder.waitFor(
        (bodies) => byEvent(bodies, 'imagesLabelled').length >= LABELLED && byEvent(bodies, 'newUntaggedImages').length >= ADDED_BY_SYNC,
        'the labelled images and the synced images',
        EVENT_TIMEOUT_MS,
      );
      // Two more polls of each trigger after the events: by the second one's start, the first has long
      // finished, and it must have emitted nothing (the events are delivered exactly once).
      const after = { labelled: jobRequests(PRODUCT_CLASSIFICATION_JOB_ID), synced: jobRequests(SHELF_DETECTION_JOB_ID) };
      await whenEmulator(
        () => jobRequests(PRODUCT_CLASSIFICATION_JOB_ID) >= after.labelled + 2 && jobRequests(SHELF_DETECTION_JOB_ID) >= after.synced + 2,
        'two more polls of both triggers',
        2 * EVENT_TIMEOUT_MS,
      );

      const labelledEvents = byEvent(recorder.bodies, 'imagesLabelled');
      assert.deepEqual(
        labelledEvents.map((body) => [body.image_id, [...body.tags].sort()]).sort(),
        labelled.map((id, index) => [id, index === 0 ? ['bags', 'shoes'].sort() : ['toys']]).sort(),
      );
      for (const body of labelledEvents) assert.equal(body.annotation_id, PRODUCT_CLASSIFICATION_JOB_ID);
      const untaggedEvents = byEvent(recorder.bodies, 'newUntaggedImages');
      assert.deepEqual(untaggedEvents.map((body) => body.image_id).sort(), [...added].sort());
      assert.equal(recorder.bodies.length, LABELLED + ADDED_BY_SYNC, 'each change delivered exactly once');
      return { labelled: labelledEvents.length, synced: untaggedEvents.length };
    } finally {
      for (const stop of stack.reverse()) await stop().catch(() => undefined);
    }
  },
};
