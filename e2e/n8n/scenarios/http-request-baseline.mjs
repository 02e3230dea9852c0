// n8n's own HTTP Request node against a local ModelArts stand-in: proves the harness (credential import
// and decryption, workflow import, headless execution, result parsing) on every n8n version, and that a
// failing workflow is reported as failed. Item count: N8N_E2E_BASELINE_ITEMS (default 25).
import assert from 'node:assert/strict';
import { executionError, nodeItems } from '../harness.mjs';
import { expectedTags, startFakeModelArts } from '../lib/fake-modelarts.mjs';
import { baselineImageIds, httpRequestBaselineWorkflow, tokenCredential } from '../workflows/http-request-baseline.mjs';

const PROJECT_ID = '0123456789abcdef0123456789abcdef';
const JOB_ID = '282';
const TOKEN = 'e2e-baseline-token';
const GOOD = 'HTTP Request baseline';
const BAD_TOKEN = 'HTTP Request baseline, wrong token';
const BAD_ITEMS = 3;

/** @type {import('../run.mjs').Scenario} */
export default {
  name: 'HTTP Request node baseline (one call per item)',

  async setup() {
    const items = Number(process.env.N8N_E2E_BASELINE_ITEMS ?? 25);
    const server = await startFakeModelArts({ projectId: PROJECT_ID, jobId: JOB_ID, tokens: [TOKEN] });
    const good = tokenCredential({ id: 'e2eBaseToken0001', token: TOKEN });
    const wrong = tokenCredential({ id: 'e2eBaseToken0002', name: 'ModelArts token (wrong)', token: 'not-the-token' });
    return {
      server,
      items,
      credentials: [good, wrong],
      workflows: [
        httpRequestBaselineWorkflow({ name: GOOD, endpoint: server.url, projectId: PROJECT_ID, jobId: JOB_ID, items, credential: good }),
        httpRequestBaselineWorkflow({ name: BAD_TOKEN, endpoint: server.url, projectId: PROJECT_ID, jobId: JOB_ID, items: BAD_ITEMS, credential: wrong }),
      ],
    };
  },

  check(runs, { items, server }) {
    // 1. The good run: one call per item, each answered, output in input order and paired to its input item.
    const ok = runs[GOOD];
    assert.equal(ok.exitCode, 0, `workflow "${GOOD}" should succeed`);
    const out = nodeItems(ok.result, 'Get Tags');
    const ids = baselineImageIds(items);
    assert.equal(out.length, items, 'one output item per input item');
    out.forEach((item, i) => {
      assert.deepEqual(item.json, { is_success: true, images_tags: [{ image_id: ids[i], tags: expectedTags(ids[i]) }] }, `item ${i}`);
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
    assert.equal(server.stats.byStatus[200], items, 'successful calls');
    assert.deepEqual([...server.stats.imageIds].sort(), ids, 'image IDs the server answered');
    assert.ok(server.stats.byStatus[401] >= 1, 'the wrong token was rejected by the server');
    assert.ok(server.stats.byStatus[401] <= BAD_ITEMS, 'no more rejected calls than items');
  },

  async teardown({ server }) {
    await server.close();
  },
};
