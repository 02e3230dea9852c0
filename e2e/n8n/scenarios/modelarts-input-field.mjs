// Why one long file: each case is a workflow beside its exact expected output, written out so a reader
// sees what n8n must return.
// The ModelArts node's Get Tags with "Image IDs From: Input Field" and Get Tag with "Image ID From: Input
// Field" in real n8n, installed from its packed tarball, against the local emulator:
//   - 400 items with mixed ID formats in a nested field (dot path data.image_ids): exact output, item
//     links, batches, and the same output as the expression {{ $json.data.image_ids }} over the same items;
//   - one ID per item, with the field name an expression evaluated per item (image_id or alt.id);
//   - items without the field: with Continue On Fail an error item each, naming the field, while the others
//     flow; without it, the workflow fails before any request, naming the item and the field;
//   - Get Tag, 250 items with one ID each in data.image_id (some named twice): one output item per input
//     item, batched, the same as the expression {{ $json.data.image_id }}; with Continue On Fail, items
//     without the field or with several IDs become error items with Get Tag's messages; without it, several
//     IDs in one item fail the workflow before any request.
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
import {
  expectedPerImage,
  expectedRecord,
  getTagNode,
  getTagsNode,
  mixedIdPlan,
  modelArtsCredential,
  planNode,
} from '../lib/modelarts-node.mjs';

const ITEMS = 400;
const ONE_ID_ITEMS = 300;
const GET_TAG_ITEMS = 250;
const FIELD_WORKFLOW = 'ModelArts node: Get Tags and Get Tag with the image IDs from an input field';
const MISSING_WORKFLOW = 'ModelArts node: Get Tags from an input field some items lack';
const SEVERAL_IDS_WORKFLOW = 'ModelArts node: Get Tag from an input field with several IDs in one item';

/** @type {import('../run.mjs').Scenario} */
export default {
  name: 'ModelArts node: image IDs from an input field (Get Tags and Get Tag; dot path, per-item field name, missing field)',
  needsNodePackage: true,

  async setup() {
    const emulator = await startEmulator();
    const endpoint = emulator.url;
    const token = modelArtsCredential({
      id: 'e2eFieldModeTokn',
      name: 'ModelArts token (input field)',
      endpoint,
      projectId: DEFAULT_PROJECT_ID,
      authType: 'token',
      token: DEFAULT_TOKEN,
    });
    const akSk = modelArtsCredential({
      id: 'e2eFieldModeAkSk',
      name: 'ModelArts AK/SK (input field)',
      endpoint,
      projectId: DEFAULT_PROJECT_ID,
      authType: 'accessKey',
      ...DEFAULT_CREDENTIALS,
    });

    const nested = mixedIdPlan(emulator.jobs.classification.imageIds, ITEMS);
    const detectionIds = emulator.jobs.detection.imageIds;
    // Even items keep their ID in image_id, odd ones in alt.id; `pick` names the field (the field name expression).
    const oneId = Array.from({ length: ONE_ID_ITEMS }, (_, index) =>
      index % 2 === 0
        ? { index, pick: 'image_id', image_id: detectionIds[index] }
        : { index, pick: 'alt.id', alt: { id: detectionIds[index] } },
    );
    // Every 4th item has its ID under another name.
    const known = detectionIds.slice(1000);
    const someMissing = Array.from({ length: 20 }, (_, index) =>
      index % 4 === 1 ? { index, imageId: known[index] } : { index, image_id: known[index] },
    );
    // Get Tag: one ID per item in data.image_id, as text (with spaces), a list of one or plain; every 10th
    // item names the previous item's image again.
    const getTagIds = detectionIds.slice(2000);
    const oneIdNested = Array.from({ length: GET_TAG_ITEMS }, (_, index) => {
      const imageId = index % 10 === 9 ? getTagIds[index - 1] : getTagIds[index];
      const value = [` ${imageId} `, [imageId], imageId][index % 3];
      return { index, imageId, data: { image_id: value } };
    });
    // Get Tag with Continue On Fail: every 4th item lacks the field, every 4th names two images.
    const wrongIds = detectionIds.slice(3000);
    const someWrong = Array.from({ length: 12 }, (_, index) => {
      if (index % 4 === 1) return { index, imageId: wrongIds[index] };
      if (index % 4 === 3) return { index, image_id: `${wrongIds[index]}, ${wrongIds[index + 100]}` };
      return { index, image_id: wrongIds[index] };
    });

    const id = (n) => `7e2d1f4a-6b8c-4d3e-8f9a-${String(n).padStart(12, '0')}`;
    const trigger = { id: id(1), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
    const fieldWorkflow = {
      name: FIELD_WORKFLOW,
      settings: { executionOrder: 'v1' },
      nodes: [
        trigger,
        planNode({
          id: id(2),
          name: 'Nested Items',
          position: [220, -200],
          rows: nested.values.map((image_ids, index) => ({ index, data: { image_ids } })),
        }),
        getTagsNode({
          id: id(3),
          name: 'Field',
          position: [440, -300],
          credential: token,
          annotationId: CLASSIFICATION_JOB_ID,
          idsField: 'data.image_ids',
          fromField: true,
        }),
        getTagsNode({
          id: id(4),
          name: 'Expression',
          position: [440, -100],
          credential: token,
          annotationId: CLASSIFICATION_JOB_ID,
          idsField: 'data.image_ids',
        }),
        planNode({ id: id(5), name: 'One ID Items', position: [220, 100], rows: oneId }),
        getTagsNode({
          id: id(6),
          name: 'Field Name Expression',
          position: [440, 100],
          credential: akSk,
          annotationId: DETECTION_JOB_ID,
          idsField: '={{ $json.pick }}',
          fromField: true,
        }),
        planNode({ id: id(7), name: 'Some Missing', position: [220, 300], rows: someMissing }),
        getTagsNode({
          id: id(8),
          name: 'Missing Field',
          position: [440, 300],
          credential: token,
          annotationId: DETECTION_JOB_ID,
          idsField: 'image_id',
          fromField: true,
          onError: 'continueRegularOutput',
        }),
        planNode({ id: id(9), name: 'Get Tag Items', position: [220, 500], rows: oneIdNested }),
        getTagNode({
          id: id(10),
          name: 'Get Tag Field',
          position: [440, 400],
          credential: akSk,
          annotationId: DETECTION_JOB_ID,
          idField: 'data.image_id',
          fromField: true,
        }),
        getTagNode({
          id: id(11),
          name: 'Get Tag Expression',
          position: [440, 600],
          credential: akSk,
          annotationId: DETECTION_JOB_ID,
          idField: 'data.image_id',
        }),
        planNode({ id: id(12), name: 'Get Tag Some Wrong', position: [220, 700], rows: someWrong }),
        getTagNode({
          id: id(13),
          name: 'Get Tag Continue',
          position: [440, 800],
          credential: token,
          annotationId: DETECTION_JOB_ID,
          idField: 'image_id',
          fromField: true,
          onError: 'continueRegularOutput',
        }),
      ],
      connections: {
        Start: {
          main: [
            [
              { node: 'Nested Items', type: 'main', index: 0 },
              { node: 'One ID Items', type: 'main', index: 0 },
              { node: 'Some Missing', type: 'main', index: 0 },
              { node: 'Get Tag Items', type: 'main', index: 0 },
              { node: 'Get Tag Some Wrong', type: 'main', index: 0 },
            ],
          ],
        },
        'Nested Items': {
          main: [
            [
              { node: 'Field', type: 'main', index: 0 },
              { node: 'Expression', type: 'main', index: 0 },
            ],
          ],
        },
        'One ID Items': { main: [[{ node: 'Field Name Expression', type: 'main', index: 0 }]] },
        'Some Missing': { main: [[{ node: 'Missing Field', type: 'main', index: 0 }]] },
        'Get Tag Items': {
          main: [
            [
              { node: 'Get Tag Field', type: 'main', index: 0 },
              { node: 'Get Tag Expression', type: 'main', index: 0 },
            ],
          ],
        },
        'Get Tag Some Wrong': { main: [[{ node: 'Get Tag Continue', type: 'main', index: 0 }]] },
      },
    };
    const missingWorkflow = {
      name: MISSING_WORKFLOW,
      settings: { executionOrder: 'v1' },
      nodes: [
        trigger,
        planNode({
          id: id(2),
          name: 'Items',
          position: [220, 0],
          rows: [
            { image_id: emulator.jobs.detectionStringTags.imageIds[0] },
            { imageId: 'x', name: 'cat.jpg' },
            { image_id: emulator.jobs.detectionStringTags.imageIds[1] },
          ],
        }),
        getTagsNode({
          id: id(3),
          name: 'Get Tags',
          position: [440, 0],
          credential: token,
          annotationId: DETECTION_STRING_TAGS_JOB_ID,
          idsField: 'image_id',
          fromField: true,
        }),
      ],
      connections: {
        Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
        Items: { main: [[{ node: 'Get Tags', type: 'main', index: 0 }]] },
      },
    };
    const stringTagIds = emulator.jobs.detectionStringTags.imageIds;
    const severalIdsWorkflow = {
      name: SEVERAL_IDS_WORKFLOW,
      settings: { executionOrder: 'v1' },
      nodes: [
        trigger,
        planNode({
          id: id(2),
          name: 'Items',
          position: [220, 0],
          rows: [{ image_id: stringTagIds[0] }, { image_id: [stringTagIds[1], stringTagIds[2]] }],
        }),
        getTagNode({
          id: id(3),
          name: 'Get Tag',
          position: [440, 0],
          credential: token,
          annotationId: DETECTION_STRING_TAGS_JOB_ID,
          idField: 'image_id',
          fromField: true,
        }),
      ],
      connections: {
        Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
        Items: { main: [[{ node: 'Get Tag', type: 'main', index: 0 }]] },
      },
    };
    return {
      emulator,
      plans: { nested, oneId, someMissing, oneIdNested, someWrong },
      credentials: [token, akSk],
      workflows: [fieldWorkflow, missingWorkflow, severalIdsWorkflow],
    };
  },

  check(runs, { emulator, plans }) {
    const run = runs[FIELD_WORKFLOW];
    assert.equal(run.exitCode, 0, `"${FIELD_WORKFLOW}" should succeed: ${JSON.stringify(executionError(run.result))?.slice(0, 500)}`);
    const truth = (jobId) => (imageId) => emulator.groundTruth(jobId, imageId);
    const comparable = (items) => items.map(({ json, pairedItem }) => ({ json, pairedItem }));

    // 1. A dot path to IDs in every accepted form: exact output, batches, and the expression's output.
    const expected = expectedPerImage(plans.nested.idsPerItem, truth(CLASSIFICATION_JOB_ID));
    const field = comparable(nodeItems(run.result, 'Field'));
    assert.equal(field.length, expected.length, 'Field: one item per image');
    field.forEach((item, i) => {
      assert.deepEqual(item, expected[i], `Field: output item ${i}`);
    });
    assert.ok(
      expected.some((item) => Array.isArray(item.pairedItem)),
      'the plan has shared IDs',
    );
    assert.deepEqual(field, comparable(nodeItems(run.result, 'Expression')), 'the field and the expression give the same output');
    assert.equal(
      emulator.stats.jobs[CLASSIFICATION_JOB_ID].requests,
      2 * Math.ceil(expected.length / 100),
      'each node: its IDs in batches of 100',
    );

    // 2. The field name as an expression, evaluated per item.
    const perItemName = comparable(nodeItems(run.result, 'Field Name Expression'));
    const oneIdExpected = expectedPerImage(
      plans.oneId.map((row) => [row.image_id ?? row.alt.id]),
      truth(DETECTION_JOB_ID),
    );
    assert.equal(perItemName.length, ONE_ID_ITEMS, 'Field Name Expression: one item per input item');
    perItemName.forEach((item, i) => {
      assert.deepEqual(item, oneIdExpected[i], `Field Name Expression: output item ${i}`);
    });

    // 3. Continue On Fail: an item without the field becomes an error item naming it; the others flow.
    const missing = comparable(nodeItems(run.result, 'Missing Field'));
    const lacking = plans.someMissing.flatMap((row, item) => (row.image_id === undefined ? [item] : []));
    const errors = missing.filter((item) => item.json.error !== undefined);
    assert.deepEqual(
      errors.map((item) => item.pairedItem),
      lacking.map((item) => ({ item })),
      'one error item per item without the field',
    );
    for (const item of errors) {
      assert.equal(item.json.error, 'The input item has no field "image_id"');
      assert.match(String(item.json.description), /^The item has the fields "index", "imageId"\. Set Input Field Name/);
    }
    assert.deepEqual(
      missing.filter((item) => item.json.error === undefined).map((item) => [item.json.image_id, item.pairedItem]),
      plans.someMissing.flatMap((row, item) => (row.image_id === undefined ? [] : [[row.image_id, { item }]])),
      'the items with the field are fetched',
    );

    // 4. Without Continue On Fail, a missing field fails the workflow before any request.
    const failed = runs[MISSING_WORKFLOW];
    assert.equal(failed.exitCode, 1, `"${MISSING_WORKFLOW}" should fail`);
    const error = executionError(failed.result);
    assert.ok(error, 'the failed execution carries an error');
    assert.equal(error.message, 'The input item has no field "image_id" (item 1)');
    assert.match(String(error.description), /^The item has the fields "imageId", "name"\./);
    assert.equal(error.node?.name ?? error.node, 'Get Tags', 'the error names the failing node');

    // 5. Get Tag, the ID from a nested field: one item per input item, batched, as the expression gives it.
    const getTagField = comparable(nodeItems(run.result, 'Get Tag Field'));
    assert.equal(getTagField.length, GET_TAG_ITEMS, 'Get Tag Field: one item per input item');
    plans.oneIdNested.forEach((row, item) => {
      assert.deepEqual(
        getTagField[item],
        { json: expectedRecord(truth(DETECTION_JOB_ID)(row.imageId)), pairedItem: { item } },
        `Get Tag Field: output item ${item}`,
      );
    });
    assert.deepEqual(
      getTagField,
      comparable(nodeItems(run.result, 'Get Tag Expression')),
      'Get Tag: the field and the expression give the same output',
    );

    // 6. Get Tag with Continue On Fail: a missing field and several IDs become error items; the others flow.
    const getTagContinue = comparable(nodeItems(run.result, 'Get Tag Continue'));
    const wrong = plans.someWrong.flatMap((row, item) => (row.image_id === undefined || row.image_id.includes(',') ? [item] : []));
    const getTagErrors = getTagContinue.filter((item) => item.json.error !== undefined);
    assert.deepEqual(
      getTagErrors.map((item) => item.pairedItem),
      wrong.map((item) => ({ item })),
      'Get Tag: one error item per wrong item',
    );
    for (const { json, pairedItem } of getTagErrors) {
      if (plans.someWrong[pairedItem.item].image_id === undefined) {
        assert.equal(json.error, 'The input item has no field "image_id"');
        assert.equal(
          json.description,
          'The item has the fields "index", "imageId". Set Input Field Name to the field that holds the image ID; a dot path such as data.image_id reaches into nested objects.',
        );
      } else {
        assert.match(String(json.error), /^Get Tag takes one image ID, but 2 were given /);
        assert.equal(json.description, 'Use the Get Tags operation for several IDs per item.');
      }
    }
    assert.deepEqual(
      getTagContinue.filter((item) => item.json.error === undefined),
      plans.someWrong.flatMap((row, item) =>
        wrong.includes(item) ? [] : [{ json: expectedRecord(truth(DETECTION_JOB_ID)(row.image_id)), pairedItem: { item } }],
      ),
      'Get Tag: the other items are fetched',
    );

    // Detection job requests: Field Name Expression, Missing Field, both Get Tag nodes (unique IDs in
    // batches of 100) and Get Tag Continue, one batch each.
    const getTagUnique = new Set(plans.oneIdNested.map((row) => row.imageId)).size;
    assert.equal(
      emulator.stats.jobs[DETECTION_JOB_ID].requests,
      Math.ceil(ONE_ID_ITEMS / 100) + 1 + 2 * Math.ceil(getTagUnique / 100) + 1,
      'the detection job: every node batched its IDs',
    );

    // 7. Get Tag without Continue On Fail: several IDs in one item fail the workflow before any request.
    const several = runs[SEVERAL_IDS_WORKFLOW];
    assert.equal(several.exitCode, 1, `"${SEVERAL_IDS_WORKFLOW}" should fail`);
    const severalError = executionError(several.result);
    assert.ok(severalError, 'the failed execution carries an error');
    assert.match(severalError.message, /^Get Tag takes one image ID, but 2 were given \(.*\) \(item 1\)$/);
    assert.equal(severalError.node?.name ?? severalError.node, 'Get Tag', 'the error names the failing node');
    assert.equal(emulator.stats.jobs[DETECTION_STRING_TAGS_JOB_ID]?.requests ?? 0, 0, 'neither failing workflow sent a request');
  },

  async teardown({ emulator }) {
    await emulator?.close();
  },
};
