// The released n8n package at work in real n8n: one workflow, run headlessly by the n8n end-to-end
// harness, reads the tags of a classification job (AK/SK credential) and of a detection job from the
// emulator that was installed from the same registry, with image IDs given in every format the node
// accepts. The output is checked against the emulator's ground truth, item by item.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PACKAGE = '@modelarts-kit/n8n-nodes-modelarts';
const NODE_TYPE = `${PACKAGE}.modelArts`;
const ITEMS = 30;
const BATCH_SIZE = 25;

/**
 * @param {{ n8nPackageDir: string, emulator: any, version: string,
 *   check: (name: string, fn: () => unknown) => Promise<boolean>, log: (line: string) => void }} options
 */
export async function runN8nRelease({ n8nPackageDir, emulator, version, check, log }) {
  const { runWorkflows, nodeItems, executionError } = await import(pathToFileURL(path.join(REPO_ROOT, 'e2e', 'n8n', 'harness.mjs')).href);
  const emu = await emulator.startEmulator({ seed: 777, imagesPerJob: 200 });
  try {
    const cls = emu.jobs.classification;
    const det = emu.jobs.detection;
    const items = Array.from({ length: ITEMS }, (_, i) => ({
      cls: idsInFormat(cls.imageIds.slice(i * 3, i * 3 + 3), i),
      det: idsInFormat(det.imageIds.slice(i * 3, i * 3 + 3), i + 1),
    }));
    const credential = {
      id: 'releaseTestCred1',
      name: 'ModelArts emulator (AK/SK)',
      type: 'modelArtsApi',
      data: {
        authType: 'accessKey',
        accessKey: emulator.DEFAULT_CREDENTIALS.accessKey,
        secretKey: emulator.DEFAULT_CREDENTIALS.secretKey,
        endpointType: 'custom',
        endpoint: emu.url,
        projectId: emu.projectId,
      },
    };
    const workflow = tagsWorkflow(items, { cls: cls.id, det: det.id }, credential);

    const [result] = await runWorkflows({
      version: '2',
      nodePackage: n8nPackageDir,
      credentials: [credential],
      workflows: [workflow],
      log,
    });
    log(`n8n execute: exit ${result.exitCode} in ${result.seconds}s${result.attempts > 1 ? ` (after ${result.attempts} starts)` : ''}`);

    await check(`n8n loads ${PACKAGE}@${version} and the workflow succeeds`, () => {
      const error = executionError(result.result);
      assert.equal(result.exitCode, 0, `exit ${result.exitCode}: ${error?.message ?? ''}\n${result.stderr.slice(-3000)}`);
    });
    await check('classification: one item per image with the emulator tags, paired to its input item', () => {
      const out = nodeItems(result.result, 'Classification Tags');
      expectImages(out, items, 'cls', (item) => {
        assert.equal(item.json.job_type, 'classification');
        assert.deepEqual(item.json.tags, wireTags(emu.groundTruth(cls.id, item.json.image_id)), `tags of ${item.json.image_id}`);
      });
    });
    await check('detection: boxes and sizes as the emulator sent them, paired to its input item', () => {
      const out = nodeItems(result.result, 'Detection Tags');
      expectImages(out, items, 'det', (item) => {
        const wire = emu.groundTruth(det.id, item.json.image_id);
        assert.equal(item.json.job_type, 'detection');
        assert.deepEqual(
          item.json.boxes.map((b) => [b.tag, b.xmin, b.ymin, b.xmax, b.ymax]),
          wireTags(wire).map((t) => [t.tag, ...t.pos]),
          `boxes of ${item.json.image_id}`,
        );
        assert.equal(item.json.size.width, wire.size[0]);
      });
    });
    await check(
      `batched: ${ITEMS * 3} IDs per job in at most ${2 * Math.ceil((ITEMS * 3) / BATCH_SIZE)} requests, not one per item`,
      () => {
        assert.ok(emu.stats.requests > 0, 'the emulator saw no request');
        assert.ok(emu.stats.requests <= 2 * Math.ceil((ITEMS * 3) / BATCH_SIZE), `${emu.stats.requests} requests`);
      },
    );
  } finally {
    await emu.close();
  }
}

/** Item i carries its IDs as one string, an array, or a comma/newline-separated list, in turn. */
function idsInFormat(ids, i) {
  switch (i % 3) {
    case 0:
      return ids;
    case 1:
      return `${ids[0]}, ${ids[1]}\n${ids[2]}`;
    default:
      return ids.join(',');
  }
}

function asList(value) {
  return Array.isArray(value)
    ? value
    : value
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter(Boolean);
}

function expectImages(out, items, field, checkOne) {
  const owner = new Map();
  items.forEach((item, i) => {
    for (const id of asList(item[field])) owner.set(id, i);
  });
  assert.equal(out.length, owner.size, `${out.length} output items for ${owner.size} images`);
  const seen = new Set();
  for (const item of out) {
    assert.ok(owner.has(item.json.image_id), `unexpected image ${item.json.image_id}`);
    seen.add(item.json.image_id);
    const paired = [item.pairedItem].flat().map((p) => p.item);
    assert.deepEqual(paired, [owner.get(item.json.image_id)], `pairedItem of ${item.json.image_id}`);
    checkOne(item);
  }
  assert.equal(seen.size, owner.size, 'every image once');
}

function wireTags(entry) {
  assert.ok(entry, 'the emulator knows the image');
  return typeof entry.tags === 'string' ? JSON.parse(entry.tags) : entry.tags;
}

function tagsWorkflow(items, jobs, credential) {
  const node = (id, name, position, parameters, extra = {}) => ({
    id: `5e1ea5e0-0000-4000-8000-00000000000${id}`,
    name,
    position,
    parameters,
    ...extra,
  });
  const modelArts = (id, name, y, annotationId, field) =>
    node(
      id,
      name,
      [440, y],
      {
        resource: 'image',
        operation: 'getTags',
        annotationId,
        imageIds: `={{ $json.${field} }}`,
        outputMode: 'perImage',
        options: { batchSize: BATCH_SIZE },
      },
      { type: NODE_TYPE, typeVersion: 1, credentials: { modelArtsApi: { id: credential.id, name: credential.name } } },
    );
  return {
    name: 'Release test: published ModelArts node',
    settings: { executionOrder: 'v1' },
    nodes: [
      node(1, 'Start', [0, 0], {}, { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1 }),
      node(
        2,
        'Image IDs',
        [220, 0],
        { jsCode: `return ${JSON.stringify(items)}.map((json) => ({ json }));` },
        { type: 'n8n-nodes-base.code', typeVersion: 2 },
      ),
      modelArts(3, 'Classification Tags', -100, jobs.cls, 'cls'),
      modelArts(4, 'Detection Tags', 100, jobs.det, 'det'),
    ],
    connections: {
      Start: { main: [[{ node: 'Image IDs', type: 'main', index: 0 }]] },
      'Image IDs': {
        main: [
          [
            { node: 'Classification Tags', type: 'main', index: 0 },
            { node: 'Detection Tags', type: 'main', index: 0 },
          ],
        ],
      },
    },
  };
}
