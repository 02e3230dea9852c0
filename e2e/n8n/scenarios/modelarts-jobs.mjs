// The whole annotation job with the ModelArts node (version 1.1, the job as a resource locator) in real n8n,
// against the emulator:
//   - Annotation Job: Get Many lists the emulator's jobs; Image: Get Many (All Images) -> Get Tags (IDs read
//     from the input field) over a whole detection job equals the emulator's ground truth, image by image;
//     Tag: Get Statistics equals the counts of that ground truth;
//   - Update Tags (classification names, detection boxes) from item fields, then Get Tags reads them back;
//     an item naming an image the job lacks goes to the node's error output (On Error: Continue (using
//     error output)) while the others are written;
//   - Sync From OBS with Wait for Completion, then Image: Get Many (Untagged Images) sees the new images.
import assert from 'node:assert/strict';
import {
  CLASSIFICATION_JOB_ID,
  DEFAULT_PROJECT_ID,
  DEFAULT_TOKEN,
  DETECTION_JOB_ID,
  DETECTION_STRING_TAGS_JOB_ID,
  SHELF_DETECTION_JOB_ID,
  startEmulator,
} from '@modelarts-kit/emulator';
import { executionError, nodeItems, nodeRun } from '../harness.mjs';
import {
  expectedRecord,
  jobById,
  jobFromList,
  link,
  manualTrigger,
  modelArtsCredential,
  modelArtsNode,
  planNode,
} from '../lib/modelarts-node.mjs';

const IMAGES_PER_JOB = 60;
const ADDED_BY_SYNC = 6;
const UNKNOWN_ID = 'ffffffffffffffffffffffffffffffff';
const WHOLE_JOB = 'ModelArts jobs: Image Get Many -> Get Tags over a whole job';
const WRITE = 'ModelArts jobs: Update Tags, then Get Tags reads them back';
const SYNC = 'ModelArts jobs: Sync From OBS with wait, then the untagged images';

const id = (workflow, n) => `7a4c1e2b-9d3f-4b6a-8c5e-${String(workflow * 100 + n).padStart(12, '0')}`;
const start = (workflow) => manualTrigger(id(workflow, 0));

/** @type {import('../run.mjs').Scenario} */
export default {
  name: 'ModelArts node: job list, a whole job, Update Tags read back, Sync From OBS with wait (version 1.1)',
  needsNodePackage: true,

  async setup() {
    const emulator = await startEmulator({ imagesPerJob: IMAGES_PER_JOB, obsSync: { durationMs: 1500, addImages: ADDED_BY_SYNC } });
    const credential = modelArtsCredential({
      id: 'e2eJobsToken0001',
      name: 'ModelArts token (jobs)',
      endpoint: emulator.url,
      projectId: DEFAULT_PROJECT_ID,
      authType: 'token',
      token: DEFAULT_TOKEN,
    });
    const node = (workflow, n, name, position, fields) =>
      modelArtsNode({ id: id(workflow, n), name, position, credential, typeVersion: 1.1, parameters: {}, ...fields });

    const wholeJob = {
      name: WHOLE_JOB,
      settings: { executionOrder: 'v1' },
      nodes: [
        start(1),
        node(1, 1, 'Jobs', [220, -200], { resource: 'annotationJob', operation: 'getAll', parameters: { returnAll: true } }),
        node(1, 2, 'Images', [220, 0], {
          operation: 'getAll',
          annotationId: jobFromList(DETECTION_JOB_ID, 'street-objects'),
          parameters: { imageFilter: 'all', returnAll: true },
          options: { perPage: 25 },
        }),
        node(1, 3, 'Tags', [440, 0], {
          operation: 'getTags',
          annotationId: jobFromList(DETECTION_JOB_ID, 'street-objects'),
          parameters: { imageIdsSource: 'field', imageIdsField: 'image_id' },
          options: { batchSize: 20 },
        }),
        node(1, 4, 'Statistics', [220, 200], {
          resource: 'tag',
          operation: 'getStatistics',
          annotationId: jobById(DETECTION_JOB_ID),
        }),
      ],
      connections: { Start: link('Jobs', 'Images', 'Statistics'), Images: link('Tags') },
    };

    const [a, b] = emulator.imageIds(CLASSIFICATION_JOB_ID);
    const [c] = emulator.imageIds(DETECTION_STRING_TAGS_JOB_ID);
    const size = expectedRecord(emulator.groundTruth(DETECTION_STRING_TAGS_JOB_ID, c)).size;
    assert.ok(size, 'a detection image of the emulator has a size');
    const { width, height } = size;
    const boxes = [
      { tag: 'e2e-car', xmin: 1, ymin: 2, xmax: Math.floor(width / 2), ymax: Math.floor(height / 2) },
      { tag: 'e2e-bus', xmin: 3, ymin: 4, xmax: width, ymax: height },
    ];
    const fields = { imageIdField: 'image_id', tagsField: 'tags', boxesField: 'boxes', sizeField: 'size' };
    const write = {
      name: WRITE,
      settings: { executionOrder: 'v1' },
      nodes: [
        start(2),
        planNode({
          id: id(2, 1),
          name: 'Names',
          position: [220, -100],
          rows: [
            { image_id: a, tags: ['e2e-cat'] },
            { image_id: b, tags: 'e2e-dog, e2e-bird' },
            { image_id: UNKNOWN_ID, tags: ['e2e-none'] },
          ],
        }),
        node(2, 2, 'Update Names', [440, -100], {
          operation: 'updateTags',
          annotationId: jobById(CLASSIFICATION_JOB_ID),
          parameters: fields,
          onError: 'continueErrorOutput',
        }),
        node(2, 3, 'Read Names', [660, -100], {
          operation: 'getTags',
          annotationId: jobById(CLASSIFICATION_JOB_ID),
          parameters: { imageIdsSource: 'field', imageIdsField: 'image_id' },
        }),
        planNode({ id: id(2, 4), name: 'Boxes', position: [220, 100], rows: [{ image_id: c, boxes }] }),
        node(2, 5, 'Update Boxes', [440, 100], {
          operation: 'updateTags',
          annotationId: jobFromList(DETECTION_STRING_TAGS_JOB_ID, 'parking-lot-cameras'),
          parameters: fields,
        }),
        node(2, 6, 'Read Boxes', [660, 100], {
          operation: 'getTags',
          annotationId: jobFromList(DETECTION_STRING_TAGS_JOB_ID, 'parking-lot-cameras'),
          parameters: { imageIdsSource: 'field', imageIdsField: 'image_id' },
        }),
      ],
      connections: {
        Start: link('Names', 'Boxes'),
        Names: link('Update Names'),
        'Update Names': link('Read Names'),
        Boxes: link('Update Boxes'),
        'Update Boxes': link('Read Boxes'),
      },
    };

    const sync = {
      name: SYNC,
      settings: { executionOrder: 'v1' },
      nodes: [
        start(3),
        node(3, 1, 'Sync', [220, 0], {
          resource: 'annotationJob',
          operation: 'syncFromObs',
          annotationId: jobFromList(SHELF_DETECTION_JOB_ID, 'warehouse-shelves'),
          parameters: { waitForCompletion: true, timeLimit: 60 },
        }),
        node(3, 2, 'Untagged', [440, 0], {
          operation: 'getAll',
          annotationId: jobFromList(SHELF_DETECTION_JOB_ID, 'warehouse-shelves'),
          parameters: { imageFilter: 'untagged', returnAll: true },
        }),
      ],
      connections: { Start: link('Sync'), Sync: link('Untagged') },
    };
    const beforeSync = [...emulator.imageIds(SHELF_DETECTION_JOB_ID)];
    return {
      emulator,
      written: { a, b, c, boxes },
      beforeSync,
      credentials: [credential],
      workflows: [wholeJob, write, sync],
    };
  },

  check(runs, { emulator, written, beforeSync }) {
    for (const name of [WHOLE_JOB, WRITE, SYNC]) {
      assert.equal(runs[name].exitCode, 0, `"${name}" should succeed: ${JSON.stringify(executionError(runs[name].result))?.slice(0, 500)}`);
    }
    const truth = (job, imageId) => expectedRecord(emulator.groundTruth(job, imageId));

    // The job list, a whole job image by image, and its statistics.
    const whole = runs[WHOLE_JOB].result;
    const jobs = nodeItems(whole, 'Jobs').map((item) => item.json.annotation_id);
    assert.deepEqual(
      jobs.sort(),
      emulator
        .jobList()
        .map((job) => String(job.dls_prj_id))
        .sort(),
      'Get Many lists every job',
    );
    const listed = nodeItems(whole, 'Images').map((item) => item.json.image_id);
    assert.deepEqual([...listed].sort(), [...emulator.imageIds(DETECTION_JOB_ID)].sort(), 'Image Get Many lists every image once');
    const tags = nodeItems(whole, 'Tags');
    assert.deepEqual(
      tags.map((item) => item.json),
      listed.map((imageId) => truth(DETECTION_JOB_ID, imageId)),
      'Get Tags over the listed images equals the ground truth',
    );
    assert.deepEqual(
      tags.map((item) => item.pairedItem),
      listed.map((_, item) => ({ item })),
      'each image links to its listed item',
    );
    const counts = new Map();
    let untagged = 0;
    for (const imageId of listed) {
      const names = truth(DETECTION_JOB_ID, imageId).tags;
      if (names.length === 0) untagged++;
      for (const tag of names) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    }
    const [statistics] = nodeItems(whole, 'Statistics');
    assert.deepEqual(new Map(statistics.json.tags.map(({ tag, count }) => [tag, count])), counts, 'images per tag');
    assert.deepEqual([statistics.json.tagged, statistics.json.untagged], [listed.length - untagged, untagged]);

    // Update Tags, then Get Tags: what was written is read back, and the emulator holds it.
    const writeRun = runs[WRITE].result;
    const update = nodeRun(writeRun, 'Update Names');
    assert.ok(update, 'Update Names ran');
    const [succeeded, failed] = update.outputs;
    assert.deepEqual(
      succeeded.map((item) => [item.pairedItem, item.json.tags]),
      [
        [{ item: 0 }, ['e2e-cat']],
        [{ item: 1 }, ['e2e-dog', 'e2e-bird']],
      ],
    );
    assert.equal(failed.length, 1, 'the unknown image goes to the error output');
    assert.deepEqual(failed[0].pairedItem, { item: 2 });
    assert.match(failed[0].json.error, /not in annotation job 282/);
    const readNames = nodeItems(writeRun, 'Read Names').map((item) => item.json);
    assert.deepEqual(readNames, [
      { image_id: written.a, job_type: 'classification', tags: ['e2e-cat'] },
      { image_id: written.b, job_type: 'classification', tags: ['e2e-dog', 'e2e-bird'] },
    ]);
    assert.deepEqual(readNames, [truth(CLASSIFICATION_JOB_ID, written.a), truth(CLASSIFICATION_JOB_ID, written.b)]);
    const [readBoxes] = nodeItems(writeRun, 'Read Boxes');
    assert.deepEqual(readBoxes.json.boxes, written.boxes, 'the boxes read back are the ones written');
    assert.deepEqual(readBoxes.json, truth(DETECTION_STRING_TAGS_JOB_ID, written.c));

    // Sync From OBS with wait: done, and the untagged images now include the new ones.
    const syncRun = runs[SYNC].result;
    const [status] = nodeItems(syncRun, 'Sync');
    const { annotation_id, sync_status, sync_status_code } = status.json;
    assert.deepEqual(
      { annotation_id, sync_status, sync_status_code },
      { annotation_id: SHELF_DETECTION_JOB_ID, sync_status: 'done', sync_status_code: 1 },
    );
    const added = emulator.imageIds(SHELF_DETECTION_JOB_ID).filter((imageId) => !beforeSync.includes(imageId));
    assert.equal(added.length, ADDED_BY_SYNC, 'the sync added its images');
    const untaggedNow = emulator
      .imageIds(SHELF_DETECTION_JOB_ID)
      .filter((imageId) => truth(SHELF_DETECTION_JOB_ID, imageId).tags.length === 0);
    const seen = nodeItems(syncRun, 'Untagged').map((item) => item.json.image_id);
    assert.deepEqual([...seen].sort(), [...untaggedNow].sort(), 'Get Many (untagged) lists the untagged images after the sync');
    for (const imageId of added) assert.ok(seen.includes(imageId), `the new image ${imageId} is listed`);
  },

  async teardown({ emulator }) {
    await emulator?.close();
  },
};
