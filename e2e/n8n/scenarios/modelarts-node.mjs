// The ModelArts community node in real n8n, installed from its packed tarball like a community package,
// against the local emulator:
//   - Get Tags over 500 input items with mixed ID formats, for a classification job (AK/SK) and a
//     detection job (IAM token): exact output, pairedItem mapping, and one batched request per 100 IDs;
//   - a detection job with injected faults (429, 5xx, resets, truncated and HTML answers, is_success
//     false, slow answers) that must still finish with exactly the right output;
//   - Continue On Fail with an unknown job: error items linked to their items, the rest flows;
//   - wrong credentials: the workflow fails with a clear message, and the stored execution holds no secret.
import assert from 'node:assert/strict';
import {
  CLASSIFICATION_JOB_ID,
  DEFAULT_CREDENTIALS,
  DEFAULT_PROJECT_ID,
  DEFAULT_TOKEN,
  DETECTION_JOB_ID,
  DETECTION_STRING_TAGS_JOB_ID,
  startEmulator,
} from '@modelarts-kit/emulator';
import { executionError, nodeItems } from '../harness.mjs';
import { expectedPerImage, getTagsNode, mixedIdPlan, modelArtsCredential, planNode } from '../lib/modelarts-node.mjs';

const ITEMS = 500;
const FAULTY_ITEMS = 120;
const UNKNOWN_JOB = '999999';
const TAGS_WORKFLOW = 'ModelArts node: Get Tags over 500 items, faults, Continue On Fail';
const AUTH_WORKFLOW = 'ModelArts node: wrong credentials';
const WRONG_SECRET = 'e2e-sentinel-secret-key-must-not-leak/Q9w8E7r6';

/** @type {import('@modelarts-kit/emulator').FaultKind[]} */
const FAULTS = ['429', '500', '503', 'reset', 'truncated', 'html502', 'unsuccessful', 'delay'];

/** @type {import('../run.mjs').Scenario} */
export default {
  name: 'ModelArts node: batched Get Tags, faults, Continue On Fail, auth failure',
  needsNodePackage: true,

  async setup() {
    const emulator = await startEmulator({
      faults: { jobs: { [DETECTION_STRING_TAGS_JOB_ID]: { rate: 0.2, kinds: FAULTS, seed: 7, delayMs: 10_000, retryAfterSeconds: 1 } } },
    });
    const endpoint = emulator.url;
    const akSk = modelArtsCredential({
      id: 'e2eModelArtsAkSk',
      name: 'ModelArts AK/SK',
      endpoint,
      projectId: DEFAULT_PROJECT_ID,
      authType: 'accessKey',
      ...DEFAULT_CREDENTIALS,
    });
    const token = modelArtsCredential({
      id: 'e2eModelArtsTokn',
      name: 'ModelArts token',
      endpoint,
      projectId: DEFAULT_PROJECT_ID,
      authType: 'token',
      token: DEFAULT_TOKEN,
    });
    const wrong = modelArtsCredential({
      id: 'e2eModelArtsWrng',
      name: 'ModelArts AK/SK (wrong secret)',
      endpoint,
      projectId: DEFAULT_PROJECT_ID,
      authType: 'accessKey',
      accessKey: DEFAULT_CREDENTIALS.accessKey,
      secretKey: WRONG_SECRET,
    });

    const classification = mixedIdPlan(emulator.jobs.classification.imageIds, ITEMS);
    const detection = mixedIdPlan(emulator.jobs.detection.imageIds, ITEMS);
    const faulty = mixedIdPlan(emulator.jobs.detectionStringTags.imageIds, FAULTY_ITEMS);
    const known = emulator.jobs.classification.imageIds.slice(4000);
    const mixedJobs = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0 ? { job: UNKNOWN_JOB, ids: [`u-${i}`, 'u-shared'] } : { job: CLASSIFICATION_JOB_ID, ids: [known[i]] },
    );
    const rows = Array.from({ length: ITEMS }, (_, i) => ({ cls: classification.values[i], det: detection.values[i] }));

    const id = (n) => `6d1c0f3e-5a7b-4c2d-9e8f-${String(n).padStart(12, '0')}`;
    const trigger = { id: id(1), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
    const tagsWorkflow = {
      name: TAGS_WORKFLOW,
      settings: { executionOrder: 'v1' },
      nodes: [
        trigger,
        planNode({ id: id(2), name: 'Items', position: [220, 0], rows }),
        getTagsNode({
          id: id(3),
          name: 'Classification',
          position: [440, -300],
          credential: akSk,
          annotationId: CLASSIFICATION_JOB_ID,
          idsField: 'cls',
        }),
        getTagsNode({
          id: id(4),
          name: 'Detection',
          position: [440, -100],
          credential: token,
          annotationId: DETECTION_JOB_ID,
          idsField: 'det',
        }),
        planNode({ id: id(5), name: 'Faulty Items', position: [440, 100], rows: faulty.values.map((ids) => ({ ids })) }),
        getTagsNode({
          id: id(6),
          name: 'Faulty Job',
          position: [660, 100],
          credential: akSk,
          annotationId: DETECTION_STRING_TAGS_JOB_ID,
          idsField: 'ids',
          options: { batchSize: 10, concurrency: 4, maxRetries: 6, timeout: 3000 },
        }),
        planNode({ id: id(7), name: 'Mixed Jobs', position: [440, 300], rows: mixedJobs }),
        getTagsNode({
          id: id(8),
          name: 'Unknown Job',
          position: [660, 300],
          credential: token,
          annotationId: '={{ $json.job }}',
          idsField: 'ids',
          onError: 'continueRegularOutput',
        }),
      ],
      connections: {
        Start: {
          main: [
            [
              { node: 'Items', type: 'main', index: 0 },
              { node: 'Faulty Items', type: 'main', index: 0 },
              { node: 'Mixed Jobs', type: 'main', index: 0 },
            ],
          ],
        },
        Items: {
          main: [
            [
              { node: 'Classification', type: 'main', index: 0 },
              { node: 'Detection', type: 'main', index: 0 },
            ],
          ],
        },
        'Faulty Items': { main: [[{ node: 'Faulty Job', type: 'main', index: 0 }]] },
        'Mixed Jobs': { main: [[{ node: 'Unknown Job', type: 'main', index: 0 }]] },
      },
    };
    const authWorkflow = {
      name: AUTH_WORKFLOW,
      settings: { executionOrder: 'v1' },
      nodes: [
        trigger,
        planNode({ id: id(2), name: 'Items', position: [220, 0], rows: rows.slice(0, 3) }),
        getTagsNode({
          id: id(3),
          name: 'Get Tags',
          position: [440, 0],
          credential: wrong,
          annotationId: CLASSIFICATION_JOB_ID,
          idsField: 'cls',
        }),
      ],
      connections: {
        Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
        Items: { main: [[{ node: 'Get Tags', type: 'main', index: 0 }]] },
      },
    };
    return {
      emulator,
      plans: { classification, detection, faulty, mixedJobs },
      credentials: [akSk, token, wrong],
      workflows: [tagsWorkflow, authWorkflow],
    };
  },

  check(runs, { emulator, plans }) {
    const run = runs[TAGS_WORKFLOW];
    assert.equal(run.exitCode, 0, `"${TAGS_WORKFLOW}" should succeed: ${JSON.stringify(executionError(run.result))?.slice(0, 500)}`);
    const truth = (jobId) => (imageId) => emulator.groundTruth(jobId, imageId);
    const comparable = (items) => items.map(({ json, pairedItem }) => ({ json, pairedItem }));

    // 1. 500 items with mixed ID formats, both job types, exact output and item links.
    // (The Unknown Job node sends one more request to the classification job, for its known IDs.)
    for (const [node, jobId, plan, otherRequests] of [
      ['Classification', CLASSIFICATION_JOB_ID, plans.classification, 1],
      ['Detection', DETECTION_JOB_ID, plans.detection, 0],
    ]) {
      const expected = expectedPerImage(plan.idsPerItem, truth(jobId));
      const out = comparable(nodeItems(run.result, node));
      assert.equal(out.length, expected.length, `${node}: one item per image`);
      out.forEach((item, i) => {
        assert.deepEqual(item, expected[i], `${node}: output item ${i}`);
      });
      const unique = expected.length;
      assert.equal(
        emulator.stats.jobs[jobId].requests - otherRequests,
        Math.ceil(unique / 100),
        `${node}: ${unique} IDs in batches of 100, not one request per item`,
      );
    }
    assert.ok(
      expectedPerImage(plans.classification.idsPerItem, truth(CLASSIFICATION_JOB_ID)).some((item) => Array.isArray(item.pairedItem)),
      'the plan has shared IDs',
    );

    // 2. Injected faults of every kind: still exactly the right output.
    const faulty = comparable(nodeItems(run.result, 'Faulty Job'));
    const expectedFaulty = expectedPerImage(plans.faulty.idsPerItem, truth(DETECTION_STRING_TAGS_JOB_ID));
    assert.equal(faulty.length, expectedFaulty.length, 'Faulty Job: every image once');
    faulty.forEach((item, i) => {
      assert.deepEqual(item, expectedFaulty[i], `Faulty Job: output item ${i}`);
    });
    const injected = Object.values(emulator.stats.faults).reduce((sum, n) => sum + n, 0);
    assert.ok(injected >= 3, `faults were injected (${JSON.stringify(emulator.stats.faults)})`);

    // 3. Continue On Fail: the unknown job's IDs become error items linked to their items; the rest flows.
    const mixed = nodeItems(run.result, 'Unknown Job');
    const errors = mixed.filter((item) => item.json.error !== undefined);
    const good = mixed.filter((item) => item.json.error === undefined);
    const unknownItems = plans.mixedJobs.flatMap((row, item) => (row.job === UNKNOWN_JOB ? [item] : []));
    assert.equal(errors.length, unknownItems.length + 1, 'one error item per failed image ID');
    for (const item of errors) {
      assert.equal(item.json.http_status, 404);
      assert.equal(item.json.error_code, 'ModelArts.4104');
      assert.match(String(item.json.request_id), /^[0-9a-f]{32}$/);
    }
    const shared = errors.find((item) => item.json.image_id === 'u-shared');
    assert.deepEqual(
      shared.pairedItem,
      unknownItems.map((item) => ({ item })),
      'a failed ID named by several items links to all of them',
    );
    assert.deepEqual(
      good.map(({ json, pairedItem }) => [json.image_id, pairedItem]),
      plans.mixedJobs.flatMap((row, item) => (row.job === UNKNOWN_JOB ? [] : [[row.ids[0], { item }]])),
      "the known job's images still flow",
    );

    // 4. Wrong credentials fail the workflow with a clear message, and nothing stored holds the secret.
    const auth = runs[AUTH_WORKFLOW];
    assert.equal(auth.exitCode, 1, `"${AUTH_WORKFLOW}" should fail`);
    const error = executionError(auth.result);
    assert.ok(error, 'the failed execution carries an error');
    assert.match(error.message, /Authentication failed.*HTTP 401, APIG\.0301/, `clear message: ${error.message}`);
    assert.equal(error.node?.name ?? error.node, 'Get Tags', 'the error names the failing node');
    for (const text of [JSON.stringify(auth.result), auth.stdout, auth.stderr]) {
      assert.ok(!text.includes(WRONG_SECRET), 'the secret key appears nowhere in the execution or the logs');
      assert.doesNotMatch(text, /Signature=[0-9a-f]{64}/, 'no signature appears in the execution or the logs');
    }
  },

  async teardown({ emulator }) {
    await emulator?.close();
  },
};
