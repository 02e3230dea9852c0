// n8n's own HTTP Request node against the emulator (@modelarts-kit/emulator): proves the harness
// (credential import and decryption, workflow import, headless execution, result parsing) on every n8n
// version, and that a failing workflow is reported as failed. Item count: N8N_E2E_BASELINE_ITEMS (default 25).
import assert from 'node:assert/strict';
import { startEmulator } from '@modelarts-kit/emulator';
import { executionError, nodeItems } from '../harness.mjs';
import { httpRequestBaselineWorkflow, tokenCredential } from '../workflows/http-request-baseline.mjs';

const TOKEN = 'e2e-baseline-token';
const GOOD = 'HTTP Request baseline';
const BAD_TOKEN = 'HTTP Request baseline, wrong token';
const BAD_ITEMS = 3;

/** @type {import('../run.mjs').Scenario} */
export default {
  name: 'HTTP Request node baseline (one call per item)',

  async setup() {
    const items = Number(process.env.N8N_E2E_BASELINE_ITEMS ?? 25);
    const server = await startEmulator({ tokens: [TOKEN], keys: [], imagesPerJob: Math.max(items, BAD_ITEMS) });
    const job = server.jobs.classification;
    const ids = job.imageIds.slice(0, items);
    const good = tokenCredential({ id: 'e2eBaseToken0001', token: TOKEN });
    const wrong = tokenCredential({ id: 'e2eBaseToken0002', name: 'ModelArts token (wrong)', token: 'not-the-token' });
    const common = { endpoint: server.url, projectId: server.projectId, jobId: job.id };
    return {
      server,
      items,
      ids,
      credentials: [good, wrong],
      workflows: [
        httpRequestBaselineWorkflow({ ...common, name: GOOD, imageIds: ids, credential: good }),
        httpRequestBaselineWorkflow({ ...common, name: BAD_TOKEN, imageIds: ids.slice(0, BAD_ITEMS), credential: wrong }),
      ],
    };
  },

  check(runs, { items, ids, server }) {
    // 1. The good run: one call per item, each answered, output in input order and paired to its input item.
    const ok = runs[GOOD];
    assert.equal(ok.exitCode, 0, `workflow "${GOOD}" should succeed`);
    const out = nodeItems(ok.result, 'Get Tags');
    const job = server.jobs.classification;
    assert.equal(out.length, items, 'one output item per input item');
    out.forEach((item, i) => {
      assert.deepEqual(item.json, { is_success: true, images_tags: [server.groundTruth(job.id, ids[i])] }, `item ${i}`);
      assert.deepEqual(item.pairedItem, { item: i }, `pairedItem of item ${i}`);
    });

    // 2. The wrong token: the server's 401 fails the workflow, and the harness reports it (not retried).
    const bad = runs[BAD_TOKEN];
    assert.equal(bad.exitCode, 1, `workflow "${BAD_TOKEN}" should fail`);
    assert.equal(bad.attempts, 1, 'a workflow failure must not be retried');
    const err = executionError(bad.result);
    assert.ok(err, 'the failed execution carries an error');
    assert.match(JSON.stringify(err), /401|[Aa]uthori[sz]ation/, 'the error names the authentication failure');
    assert.equal(err.node?.name ?? err.node, 'Get Tags', 'the error names the failing node');

    // 3. What the server saw: every good item once with the right token; the wrong token never got through.
    assert.equal(server.stats.responses[200], items, 'successful calls');
    assert.deepEqual(server.stats.jobs[job.id], { requests: items, imageIds: items }, 'one image ID per call reached the job');
    assert.ok((server.stats.responses[401] ?? 0) >= 1, 'the wrong token was rejected by the server');
    assert.ok((server.stats.responses[401] ?? 0) <= BAD_ITEMS, 'no more rejected calls than items');
  },

  async teardown({ server }) {
    await server.close();
  },
};
