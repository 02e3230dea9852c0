// Proves the community-node path the real node will take: a packed package (the fixture under
// fixtures/n8n-nodes-e2e-fixture) unpacked into <user folder>/.n8n/nodes/node_modules/<name>/, loaded by
// n8n as `<package name>.<node name>`, with a credential whose `authenticate` is a function and a
// node that turns all input items into one batched request with pairedItem on every output item.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { startEmulator } from '@modelarts-kit/emulator';
import { npmPack } from '../../lib/pack.mjs';
import { nodeItems } from '../harness.mjs';
import { planNode } from '../lib/modelarts-node.mjs';
import { E2E_DIR } from '../versions.mjs';

const PROJECT_ID = 'fedcba9876543210fedcba9876543210';
const TOKEN = 'e2e-fixture-token';
const ITEMS = 40;
const WORKFLOW = 'Fixture community node, one batched call';

/** @type {import('../run.mjs').Scenario} */
export default {
  name: 'Community node package installed like n8n does (fixture)',

  async setup() {
    const pack = await npmPack(path.join(E2E_DIR, 'fixtures', 'n8n-nodes-e2e-fixture'));
    const server = await startEmulator({ projectId: PROJECT_ID, tokens: [TOKEN], keys: [], imagesPerJob: ITEMS });
    const job = server.jobs.classification;
    const ids = job.imageIds.slice(0, ITEMS);
    const credential = {
      id: 'e2eFixtureCred01',
      name: 'E2E fixture token',
      type: 'e2eTagsApi',
      data: { endpoint: server.url, projectId: PROJECT_ID, token: TOKEN },
    };
    return {
      pack,
      server,
      ids,
      nodePackages: [pack.tgz],
      credentials: [credential],
      workflows: [
        {
          name: WORKFLOW,
          settings: { executionOrder: 'v1' },
          nodes: [
            {
              id: '7c0d7e1e-0002-4b6f-8f0a-000000000001',
              name: 'Start',
              type: 'n8n-nodes-base.manualTrigger',
              typeVersion: 1,
              position: [0, 0],
              parameters: {},
            },
            planNode({
              id: '7c0d7e1e-0002-4b6f-8f0a-000000000002',
              name: 'Make Items',
              position: [220, 0],
              rows: ids.map((image_id) => ({ image_id })),
            }),
            {
              id: '7c0d7e1e-0002-4b6f-8f0a-000000000003',
              name: 'Tags',
              type: 'n8n-nodes-e2e-fixture.e2eTags',
              typeVersion: 1,
              position: [440, 0],
              parameters: { jobId: job.id, imageId: '={{ $json.image_id }}' },
              credentials: { e2eTagsApi: { id: credential.id, name: credential.name } },
            },
          ],
          connections: {
            Start: { main: [[{ node: 'Make Items', type: 'main', index: 0 }]] },
            'Make Items': { main: [[{ node: 'Tags', type: 'main', index: 0 }]] },
          },
        },
      ],
    };
  },

  check(runs, { server, ids }) {
    const run = runs[WORKFLOW];
    assert.equal(run.exitCode, 0, 'the workflow with the community node succeeds');
    const out = nodeItems(run.result, 'Tags');
    assert.equal(out.length, ITEMS);
    out.forEach((item, i) => {
      const expected = server.groundTruth(server.jobs.classification.id, ids[i]);
      assert.deepEqual(item.json, { image_id: ids[i], tags: expected?.tags }, `item ${i}`);
      assert.deepEqual(item.pairedItem, { item: i }, `pairedItem of item ${i}`);
    });
    assert.equal(server.stats.requests, 1, 'all items in one request');
    assert.equal(server.stats.responses[200], 1, 'authenticated by the credential function');
  },

  async teardown({ server, pack }) {
    await server?.close();
    if (pack) await fs.rm(pack.dir, { recursive: true, force: true });
  },
};
