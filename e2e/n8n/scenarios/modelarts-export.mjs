// The ModelArts node's Export Tags and Check Labels in real n8n, installed from its packed tarball, against
// the local emulator, with the files read back by n8n's own nodes:
//   - Export Tags to COCO over 40 items (one ID asked for twice, one ID the job lacks): one item linked to all
//     40, the file read by "Extract from File" (From JSON), every box equal to the emulator's, to the pixel;
//   - Export Tags to YOLO as a ZIP: unpacked by the Compression node, one item per file (Code node), each read
//     by "Extract from File" (Text): the class list, and every label line equal to the emulator's box within
//     YOLO's six-decimal normalisation;
//   - Check Labels with one item per finding: the images without tags and the unknown ID, as the emulator has them.
import assert from 'node:assert/strict';
import { DEFAULT_PROJECT_ID, DEFAULT_TOKEN, DETECTION_JOB_ID, startEmulator } from '@modelarts-kit/emulator';
import { executionError, nodeItems } from '../harness.mjs';
import { modelArtsCredential, modelArtsNode, planNode } from '../lib/modelarts-node.mjs';

const ITEMS = 40;
const IDS_PER_ITEM = 6;
const UNKNOWN_ID = 'ffffffffffffffffffffffffffffffff';
const WORKFLOW = 'ModelArts node: Export Tags to COCO and YOLO, read back by n8n nodes; Check Labels';

/**
 * A ModelArts node on the detection job, with the image IDs from each item's `ids` field.
 * @param {Omit<import('../lib/modelarts-node.mjs').NodeCommon, 'annotationId'> & { operation: string, parameters: Record<string, unknown> }} options
 */
const detectionJobNode = ({ parameters, ...common }) =>
  modelArtsNode({ ...common, annotationId: DETECTION_JOB_ID, parameters: { imageIds: '={{ $json.ids }}', ...parameters } });

/** n8n's "Extract from File": the binary property `data` of each item, as JSON or text, into `json[key]`. */
function extractNode({ id, name, position, operation, key }) {
  return {
    id,
    name,
    type: 'n8n-nodes-base.extractFromFile',
    typeVersion: 1,
    position,
    parameters: { operation, binaryPropertyName: 'data', destinationKey: key, options: { encoding: 'utf8', keepSource: 'json' } },
  };
}

/** Every image's boxes as the emulator sent them. */
const boxesOf = (entry) => (typeof entry.tags === 'string' ? JSON.parse(entry.tags) : entry.tags);

/** @type {import('../run.mjs').Scenario} */
export default {
  name: 'ModelArts node: Export Tags (COCO, YOLO ZIP) read back by Extract from File and Compression; Check Labels',
  needsNodePackage: true,

  async setup() {
    const emulator = await startEmulator();
    const credential = modelArtsCredential({
      id: 'e2eExportTagsTok',
      name: 'ModelArts token (export)',
      endpoint: emulator.url,
      projectId: DEFAULT_PROJECT_ID,
      authType: 'token',
      token: DEFAULT_TOKEN,
    });
    const imageIds = emulator.jobs.detection.imageIds.slice(500, 500 + ITEMS * IDS_PER_ITEM);
    const rows = Array.from({ length: ITEMS }, (_, item) => ({ ids: imageIds.slice(item * IDS_PER_ITEM, (item + 1) * IDS_PER_ITEM) }));
    rows[7].ids.push(imageIds[0]);
    rows[ITEMS - 1].ids.push(UNKNOWN_ID);

    const id = (n) => `8f3e2a5b-7c9d-4e1f-8a2b-${String(n).padStart(12, '0')}`;
    const workflow = {
      name: WORKFLOW,
      settings: { executionOrder: 'v1' },
      nodes: [
        { id: id(1), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
        planNode({ id: id(2), name: 'Items', position: [220, 0], rows }),
        detectionJobNode({
          id: id(3),
          name: 'Export COCO',
          position: [440, -200],
          credential,
          operation: 'exportTags',
          parameters: { format: 'coco' },
        }),
        extractNode({ id: id(4), name: 'Read COCO', position: [660, -200], operation: 'fromJson', key: 'coco' }),
        detectionJobNode({
          id: id(5),
          name: 'Export YOLO',
          position: [440, 0],
          credential,
          operation: 'exportTags',
          parameters: { format: 'yolo' },
          options: { fileName: 'labels.zip' },
        }),
        {
          id: id(6),
          name: 'Unzip',
          type: 'n8n-nodes-base.compression',
          typeVersion: 1.1,
          position: [660, 0],
          parameters: { operation: 'decompress', binaryPropertyName: 'data', outputPrefix: 'file_' },
        },
        {
          id: id(7),
          name: 'One Item per File',
          type: 'n8n-nodes-base.code',
          typeVersion: 2,
          position: [880, 0],
          parameters: {
            jsCode: [
              'const files = [];',
              'for (const binary of Object.values($input.first().binary ?? {})) {',
              "  const path = binary.directory ? binary.directory + '/' + binary.fileName : binary.fileName;",
              '  files.push({ json: { path }, binary: { data: binary } });',
              '}',
              'return files;',
            ].join('\n'),
          },
        },
        extractNode({ id: id(8), name: 'Read Labels', position: [1100, 0], operation: 'text', key: 'text' }),
        detectionJobNode({
          id: id(9),
          name: 'Check Labels',
          position: [440, 200],
          credential,
          operation: 'checkLabels',
          parameters: { qaOutput: 'findings' },
        }),
      ],
      connections: {
        Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
        Items: {
          main: [
            [
              { node: 'Export COCO', type: 'main', index: 0 },
              { node: 'Export YOLO', type: 'main', index: 0 },
              { node: 'Check Labels', type: 'main', index: 0 },
            ],
          ],
        },
        'Export COCO': { main: [[{ node: 'Read COCO', type: 'main', index: 0 }]] },
        'Export YOLO': { main: [[{ node: 'Unzip', type: 'main', index: 0 }]] },
        Unzip: { main: [[{ node: 'One Item per File', type: 'main', index: 0 }]] },
        'One Item per File': { main: [[{ node: 'Read Labels', type: 'main', index: 0 }]] },
      },
    };
    return { emulator, imageIds, rows, credentials: [credential], workflows: [workflow] };
  },

  check(runs, { emulator, imageIds, rows }) {
    const run = runs[WORKFLOW];
    assert.equal(run.exitCode, 0, `"${WORKFLOW}" should succeed: ${JSON.stringify(executionError(run.result))?.slice(0, 500)}`);
    const truth = new Map(imageIds.map((imageId) => [imageId, emulator.groundTruth(DETECTION_JOB_ID, imageId)]));
    const allItems = Array.from({ length: ITEMS }, (_, item) => ({ item }));
    assert.equal(emulator.stats.jobs[DETECTION_JOB_ID].requests, 3 * Math.ceil((imageIds.length + 1) / 100), 'each node: batches of 100');

    // COCO: one item for the 40, the report, and the file as n8n reads it.
    const [coco] = nodeItems(run.result, 'Export COCO');
    assert.deepEqual(coco.pairedItem, allItems, 'the export links to every input item');
    assert.equal(coco.binary.data.fileName, `modelarts-${DETECTION_JOB_ID}-coco.json`);
    assert.equal(coco.binary.data.mimeType, 'application/json');
    assert.equal(coco.json.images, imageIds.length);
    assert.deepEqual(coco.json.missing, [UNKNOWN_ID], 'the ID the job lacks is reported');
    const [read] = nodeItems(run.result, 'Read COCO');
    const { images, annotations, categories } = read.json.coco;
    assert.deepEqual(
      images.map((image) => image.modelarts_image_id),
      imageIds,
    );
    const names = new Map(categories.map((category) => [category.id, category.name]));
    for (const image of images) {
      const entry = truth.get(image.modelarts_image_id);
      assert.deepEqual([image.width, image.height], entry.size.slice(0, 2), `size of ${image.modelarts_image_id}`);
      const boxes = annotations.filter((a) => a.image_id === image.id).map((a) => [names.get(a.category_id), ...a.bbox]);
      const expected = boxesOf(entry).map(({ tag, pos }) => [tag, pos[0], pos[1], pos[2] - pos[0], pos[3] - pos[1]]);
      assert.deepEqual(boxes, expected, `COCO boxes of ${image.modelarts_image_id}`);
    }

    // YOLO: the ZIP unpacked by n8n's Compression node, each file read by Extract from File.
    const [yolo] = nodeItems(run.result, 'Export YOLO');
    assert.equal(yolo.binary.data.fileName, 'labels.zip');
    assert.equal(yolo.binary.data.mimeType, 'application/zip');
    const files = new Map(nodeItems(run.result, 'Read Labels').map((item) => [item.json.path, item.json.text]));
    assert.equal(files.size, imageIds.length + 2, 'a label file per image, classes.txt and data.yaml');
    const classes = files.get('classes.txt').trim().split('\n');
    assert.deepEqual(classes, yolo.json.classes);
    for (const [imageId, entry] of truth) {
      const [width, height] = entry.size;
      const lines = files.get(`labels/${imageId}.txt`).split('\n').filter(Boolean);
      const expected = boxesOf(entry);
      assert.equal(lines.length, expected.length, `YOLO lines of ${imageId}`);
      lines.forEach((line, index) => {
        const [classIndex, x, y, w, h] = line.split(' ').map(Number);
        const { tag, pos } = expected[index];
        assert.equal(classes[classIndex], tag);
        // Six decimals: off by at most half a millionth of the image size.
        const close = (a, b, scale) => assert.ok(Math.abs(a * scale - b) <= scale * 5e-7 + 1e-6, `${imageId} box ${index}: ${line}`);
        close(x, (pos[0] + pos[2]) / 2, width);
        close(y, (pos[1] + pos[3]) / 2, height);
        close(w, pos[2] - pos[0], width);
        close(h, pos[3] - pos[1], height);
      });
    }

    // Check Labels: the summary, then one item per finding, each linked to the item that asked for its image.
    const [summary, ...findings] = nodeItems(run.result, 'Check Labels');
    const withoutTags = imageIds.filter((imageId) => boxesOf(truth.get(imageId)).length === 0);
    assert.ok(withoutTags.length > 0, 'the plan holds images without tags');
    assert.equal(summary.json.counts.imageWithoutTags, withoutTags.length);
    assert.deepEqual(summary.json.missing, [UNKNOWN_ID]);
    assert.match(summary.json.summary, new RegExp(`^Label QA: ${imageIds.length} image\\(s\\)`));
    const askedBy = (imageId) => {
      const items = rows.flatMap((row, item) => (row.ids.includes(imageId) ? [{ item }] : []));
      return items.length === 1 ? items[0] : items;
    };
    assert.deepEqual(
      findings.map((finding) => [finding.json.kind, finding.json.image_id, finding.pairedItem]),
      withoutTags.map((imageId) => ['imageWithoutTags', imageId, askedBy(imageId)]),
    );
  },

  async teardown({ emulator }) {
    await emulator?.close();
  },
};
