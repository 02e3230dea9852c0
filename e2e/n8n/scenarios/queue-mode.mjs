// Why one long file: its three phases and their checks are written out in full; the processes are
// handled in lib/queue-mode.mjs and lib/services.mjs.
// The ModelArts node on n8n's queue mode, the way installations scale out: PostgreSQL and Redis (the
// distribution's packages, started here on free ports), one main process taking production webhook calls
// and two `n8n worker` processes running the executions, each with the packed node installed in its own
// user folder. The emulator plays ModelArts.
//
//   1. A few hundred concurrent webhook calls (job ID + image IDs -> tags): every answer equals the
//      emulator's ground truth, both workers ran executions, none failed, none ran twice.
//   2. One large job: 100,000 image IDs in many items over many executions, every image answered once,
//      asked from ModelArts once, every execution run once and successful.
//   3. A worker killed (SIGKILL) while it holds executions: n8n 2.x reports the executions it had taken
//      failed (it does not re-run them), their callers get n8n's error answer, every other caller its
//      tags, no answer has wrong data, the other worker carries on.
import assert from 'node:assert/strict';
import {
  CLASSIFICATION_JOB_ID,
  DEFAULT_CREDENTIALS,
  DEFAULT_PROJECT_ID,
  DETECTION_JOB_ID,
  DETECTION_STRING_TAGS_JOB_ID,
  startEmulator,
} from '@modelarts-kit/emulator';
import { expectedRecord, modelArtsCredential } from '../lib/modelarts-node.mjs';
import { startQueueMode } from '../lib/queue-mode.mjs';
import { postJson, webhookBulkTagsWorkflow, webhookTagsWorkflow } from '../workflows/webhook-tags.mjs';

const CONCURRENT_CALLS = 200;
const BULK_IMAGES = 100_000;
const BULK_CALLS = 50;
const BULK_ITEMS_PER_CALL = 20;
const KILL_CALLS = 60;
/** Every ModelArts answer for the kill phase's job is held this long, so executions are in flight when the worker dies. */
const KILL_JOB_DELAY_MS = 3000;
/** The worker dies once it holds this many executions. */
const HELD_AT_KILL = 2;
/** How long the main may take to store the failures it has already answered. */
const RECORDS_TIMEOUT_MS = 60_000;
/** The error n8n 2.x stores for an execution whose job stalled (its worker died): it is not re-run. */
const STALLED_ERROR = 'This execution failed to be processed too many times and will no longer retry.';

const TAGS_PATH = 'modelarts-tags';
const BULK_PATH = 'modelarts-tags-bulk';
const TAGS_WORKFLOW_ID = 'e2eQueueTags0001';
const BULK_WORKFLOW_ID = 'e2eQueueBulk0001';

/** @type {import('../run.mjs').Scenario} */
export default {
  name: 'Queue mode: PostgreSQL, Redis, main + 2 workers; concurrent webhooks, a 100,000-image job, a worker killed',
  versions: ['2'],
  needsNodePackage: true,

  async setup({ version, nodePackage, log }) {
    const emulator = await startEmulator({
      imagesPerJob: BULK_IMAGES,
      faults: { jobs: { [DETECTION_STRING_TAGS_JOB_ID]: { rate: 1, kinds: ['delay'], delayMs: KILL_JOB_DELAY_MS } } },
    });
    const credential = modelArtsCredential({
      id: 'e2eQueueModeAkSk',
      name: 'ModelArts AK/SK (queue mode)',
      endpoint: emulator.url,
      projectId: DEFAULT_PROJECT_ID,
      authType: 'accessKey',
      ...DEFAULT_CREDENTIALS,
    });
    const ctx = { emulator };
    try {
      ctx.cluster = await startQueueMode({
        version,
        nodePackage,
        credentials: [credential],
        workflows: [
          webhookTagsWorkflow({ id: TAGS_WORKFLOW_ID, name: 'Queue mode: tags webhook', path: TAGS_PATH, credential }),
          webhookBulkTagsWorkflow({ id: BULK_WORKFLOW_ID, name: 'Queue mode: bulk tags webhook', path: BULK_PATH, credential }),
        ],
        workers: 2,
        env: {
          // A dead worker's jobs are found (their lock expired) within seconds instead of a minute
          // or more; still far longer than a busy worker's event loop is ever held up. The main then
          // re-reads such an execution's status for up to 30 s (n8n's fixed grace window) before it
          // reports it failed. The main's queue recovery keeps its default (every 180 min): it is
          // for executions whose job is gone from Redis, which a killed worker does not cause.
          QUEUE_WORKER_LOCK_DURATION: '15000',
          QUEUE_WORKER_LOCK_RENEW_TIME: '3000',
          QUEUE_WORKER_STALLED_INTERVAL: '5000',
        },
        log,
      });
    } catch (err) {
      await emulator.close();
      throw err;
    }
    return ctx;
  },

  async run({ emulator, cluster, log }) {
    const steps = [];
    const step = async (name, fn) => {
      const began = performance.now();
      const result = await fn();
      const seconds = Math.round(performance.now() - began) / 1000;
      steps.push({ name, seconds });
      log(`${name}: ${seconds}s`);
      return result;
    };
    const lastExecutionId = async () => Number((await cluster.postgres.query('SELECT COALESCE(MAX(id), 0) FROM execution_entity'))[0][0]);
    const executions = (afterId) =>
      cluster.postgres.query(`SELECT id, status, "workflowId" FROM execution_entity WHERE id > ${afterId} ORDER BY id`).then(toExecutions);
    const startedBy = () => cluster.workers.map((w) => w.started().length);

    // 1. Concurrent calls, classification and detection jobs alternating, 1 to 5 images each.
    const concurrent = await step(`${CONCURRENT_CALLS} concurrent webhook calls`, async () => {
      const calls = planCalls(
        emulator,
        CONCURRENT_CALLS,
        (i) => (i % 2 === 0 ? CLASSIFICATION_JOB_ID : DETECTION_JOB_ID),
        (i) => 1 + (i % 5),
      );
      const before = { id: await lastExecutionId(), started: startedBy() };
      const responses = await Promise.all(calls.map((call) => postJson(cluster.webhookUrl(TAGS_PATH), call.body)));
      return { calls, responses, executions: await executions(before.id), started: startedBy().map((n, w) => n - before.started[w]) };
    });

    // 2. One large job: 100,000 images, BULK_CALLS executions of BULK_ITEMS_PER_CALL items each.
    const bulk = await step(`${BULK_IMAGES} images in ${BULK_CALLS} executions`, async () => {
      const ids = emulator.jobs.classification.imageIds;
      const perCall = BULK_IMAGES / BULK_CALLS;
      const perItem = perCall / BULK_ITEMS_PER_CALL;
      const calls = Array.from({ length: BULK_CALLS }, (_, c) => {
        const items = Array.from({ length: BULK_ITEMS_PER_CALL }, (_, i) => {
          const from = c * perCall + i * perItem;
          return { job_id: CLASSIFICATION_JOB_ID, image_ids: ids.slice(from, from + perItem) };
        });
        return { body: { items }, jobId: CLASSIFICATION_JOB_ID, imageIds: items.flatMap((item) => item.image_ids) };
      });
      const jobBefore = { ...(emulator.stats.jobs[CLASSIFICATION_JOB_ID] ?? { requests: 0, imageIds: 0 }) };
      const before = { id: await lastExecutionId(), started: startedBy() };
      const responses = await Promise.all(calls.map((call) => postJson(cluster.webhookUrl(BULK_PATH), call.body)));
      const jobAfter = emulator.stats.jobs[CLASSIFICATION_JOB_ID];
      return {
        calls,
        responses,
        executions: await executions(before.id),
        started: startedBy().map((n, w) => n - before.started[w]),
        modelArts: { requests: jobAfter.requests - jobBefore.requests, imageIds: jobAfter.imageIds - jobBefore.imageIds },
      };
    });

    // 3. A worker dies (SIGKILL to it and its task runner) while it holds executions.
    const killed = await step(`${KILL_CALLS} calls, one worker killed`, async () => {
      const [survivor, victim] = cluster.workers;
      const calls = planCalls(
        emulator,
        KILL_CALLS,
        () => DETECTION_STRING_TAGS_JOB_ID,
        () => 2,
      );
      const before = { id: await lastExecutionId(), victimStarted: victim.started().length };
      const pending = Promise.all(calls.map((call) => postJson(cluster.webhookUrl(TAGS_PATH), call.body)));
      const inFlight = () => {
        const done = new Set(victim.finished());
        return victim
          .started()
          .slice(before.victimStarted)
          .filter((id) => !done.has(id));
      };
      // The kill waits for the worker's own word that it runs executions (its log), not for a time.
      const held = await victim.process.waitUntil(
        () => (inFlight().length >= HELD_AT_KILL ? inFlight() : null),
        `${HELD_AT_KILL} executions in flight`,
      );
      const survivorAtKill = { started: survivor.started().length, finished: survivor.finished().length };
      victim.process.kill('SIGKILL');
      const exit = await victim.process.exited;
      log(`killed ${victim.name} (${exit.signal}) while it ran executions ${held.join(', ')}`);
      const responses = await pending;
      // The main answers a call of a failed execution before it stores the failure: wait for the records.
      await cluster.waitForRows(
        `SELECT COUNT(*) FROM execution_entity WHERE id > ${before.id} AND status IN ('new', 'running')`,
        ([[count]]) => count === '0',
        RECORDS_TIMEOUT_MS,
      );
      const runs = await executions(before.id);
      // What n8n stored as the error of each execution that did not succeed.
      const failedIds = runs.filter((e) => e.status !== 'success').map((e) => e.id);
      const stalled = new Set();
      if (failedIds.length > 0) {
        for (const [id, data] of await cluster.postgres.query(
          `SELECT "executionId", data FROM execution_data WHERE "executionId" IN (${failedIds.join(',')})`,
        )) {
          if (data.includes(STALLED_ERROR)) stalled.add(id);
        }
      }
      return {
        calls,
        responses,
        executions: runs,
        held,
        stalled,
        exit,
        survivorStartedAfterKill: survivor.started().slice(survivorAtKill.started),
        survivorFinishedAfterKill: survivor.finished().slice(survivorAtKill.finished),
        victimFinished: victim.finished(),
      };
    });

    return {
      steps,
      concurrent,
      bulk,
      killed,
      workers: cluster.workers.map((w) => ({ name: w.name, started: w.started(), finished: w.finished() })),
    };
  },

  check({ concurrent, bulk, killed, workers }, { emulator }) {
    const expected = (call) => call.imageIds.map((id) => expectedRecord(emulator.groundTruth(call.jobId, id)));

    // 1. Concurrent calls: exact answers, both workers, no failure.
    assert.deepEqual(
      countBy(concurrent.responses, (r) => r.status),
      { 200: CONCURRENT_CALLS },
      `answers to the concurrent calls by HTTP status (executions by status: ${JSON.stringify(countBy(concurrent.executions, (e) => e.status))})`,
    );
    concurrent.responses.forEach((r, i) => {
      assert.equal(r.status, 200, `concurrent call ${i}: HTTP ${r.status} ${JSON.stringify(r.body ?? r.error).slice(0, 300)}`);
      assert.deepEqual(r.body, expected(concurrent.calls[i]), `concurrent call ${i}: the tags of its images`);
    });
    assertAllSucceeded(concurrent.executions, CONCURRENT_CALLS, TAGS_WORKFLOW_ID, 'concurrent calls');
    for (const [w, n] of concurrent.started.entries()) {
      assert.ok(n > 0, `${workers[w].name} ran some of the concurrent calls' executions (${concurrent.started.join(' + ')})`);
    }
    assert.equal(
      concurrent.started.reduce((a, b) => a + b, 0),
      CONCURRENT_CALLS,
      'each execution started once, on one worker',
    );

    // 2. The large job: each image answered exactly once with its tags, asked from ModelArts once.
    assert.deepEqual(
      countBy(bulk.responses, (r) => r.status),
      { 200: BULK_CALLS },
      `answers to the large job's calls by HTTP status (executions by status: ${JSON.stringify(countBy(bulk.executions, (e) => e.status))})`,
    );
    const seen = new Map();
    bulk.responses.forEach((r, i) => {
      assert.equal(r.status, 200, `bulk call ${i}: HTTP ${r.status} ${JSON.stringify(r.body ?? r.error).slice(0, 300)}`);
      assert.deepEqual(r.body, expected(bulk.calls[i]), `bulk call ${i}: the tags of its ${bulk.calls[i].imageIds.length} images`);
      for (const entry of r.body) seen.set(entry.image_id, (seen.get(entry.image_id) ?? 0) + 1);
    });
    assert.equal(seen.size, BULK_IMAGES, 'every image of the large job answered');
    assert.deepEqual(
      [...seen.values()].filter((n) => n !== 1),
      [],
      'no image answered twice',
    );
    assert.deepEqual(
      bulk.modelArts,
      { requests: BULK_IMAGES / 100, imageIds: BULK_IMAGES },
      'ModelArts asked for each image once, 100 per request',
    );
    assertAllSucceeded(bulk.executions, BULK_CALLS, BULK_WORKFLOW_ID, 'large job');
    assert.equal(
      bulk.started.reduce((a, b) => a + b, 0),
      BULK_CALLS,
      'each execution of the large job started once',
    );

    // No execution of phases 1 and 2 ran on both workers.
    const [first, second] = workers.map((w) => new Set(w.started));
    const both = [...first].filter((id) => second.has(id) && !killed.held.includes(id));
    assert.deepEqual(both, [], 'no execution (other than those of the killed worker) ran on two workers');

    // 3. The killed worker. What a user gets: each call is answered with its images' tags or with n8n's
    // explicit error, never with wrong data or no answer. n8n 2.x does not re-run a job whose worker
    // died (it sets Bull's maxStalledCount to 0; QUEUE_WORKER_MAX_STALLED_COUNT is gone since 2.0):
    // once the job's lock expires the stalled job fails and the main stores the execution as failed
    // with its "failed to be processed too many times" error. So the failed executions are the jobs
    // the dead worker had taken (those it had started, and those it had taken but not yet logged),
    // none of them ran on the other worker, and there are exactly as many error answers as failed
    // executions: with one execution per call and every other answer right, each error answer is
    // the call of a failed execution. (Which call an execution served cannot be read back from n8n:
    // the main overwrites a failed execution's data with the error.)
    assert.equal(killed.exit.signal, 'SIGKILL', 'the worker was killed');
    assert.equal(killed.executions.length, KILL_CALLS, 'one execution per call');
    let errorAnswers = 0;
    killed.responses.forEach((r, i) => {
      if (r.status === 200) {
        assert.deepEqual(r.body, expected(killed.calls[i]), `call ${i} around the kill: the tags of its images`);
      } else {
        assert.deepEqual([r.status, r.body], [500, { message: 'Error in workflow' }], `call ${i} around the kill: n8n's error answer`);
        errorAnswers++;
      }
    });
    const failed = killed.executions.filter((e) => e.status !== 'success');
    const statuses = countBy(killed.executions, (e) => e.status);
    for (const e of failed) {
      assert.equal(e.status, 'error', `execution ${e.id} is reported failed (${JSON.stringify(statuses)})`);
      assert.ok(killed.stalled.has(e.id), `execution ${e.id} failed with n8n's stalled-job error`);
      assert.ok(!killed.survivorStartedAfterKill.includes(e.id), `failed execution ${e.id} was not run by the other worker`);
      assert.ok(!killed.victimFinished.includes(e.id), `failed execution ${e.id} was not finished by the killed worker`);
    }
    for (const id of killed.held) {
      assert.ok(
        failed.some((e) => e.id === id),
        `execution ${id}, running on the killed worker, is reported failed (${JSON.stringify(statuses)})`,
      );
    }
    assert.equal(errorAnswers, failed.length, `one error answer per failed execution (${JSON.stringify(statuses)})`);
    assert.ok(killed.survivorFinishedAfterKill.length > 0, 'the other worker finished executions after the kill');
    console.log(
      `  killed worker: ${killed.held.length} execution(s) running at the kill, ${failed.length} taken by it reported failed and answered 500; ${KILL_CALLS - failed.length} answered with the right tags, ${killed.survivorFinishedAfterKill.length} finished by the other worker after the kill`,
    );
  },

  async teardown({ cluster, emulator }) {
    await cluster?.stop();
    await emulator?.close();
  },
};

/** `count` calls, each with its own images (never shared between calls) of the job `jobOf(i)`. */
function planCalls(emulator, count, jobOf, sizeOf) {
  const next = new Map();
  return Array.from({ length: count }, (_, i) => {
    const jobId = jobOf(i);
    const from = next.get(jobId) ?? 0;
    const imageIds = emulator.job(jobId).imageIds.slice(from, from + sizeOf(i));
    next.set(jobId, from + sizeOf(i));
    return { jobId, imageIds, body: { job_id: jobId, image_ids: imageIds } };
  });
}

function countBy(list, key) {
  const counts = {};
  for (const x of list) counts[key(x)] = (counts[key(x)] ?? 0) + 1;
  return counts;
}

function toExecutions(rows) {
  return rows.map(([id, status, workflowId]) => ({ id, status, workflowId }));
}

function assertAllSucceeded(executions, count, workflowId, what) {
  const ours = executions.filter((e) => e.workflowId === workflowId);
  assert.equal(ours.length, count, `${what}: one execution per call`);
  const failed = ours.filter((e) => e.status !== 'success');
  assert.deepEqual(failed, [], `${what}: no execution failed`);
}
