// Production webhook workflows around the ModelArts node's Get Tags, as a service other systems call:
//
//   POST /webhook/<path>        { "job_id": "282", "image_ids": ["…", "…"] }
//   -> [{ "image_id": "…", "job_type": "classification", "tags": [...] }, ...]   (one entry per image)
//
//   POST /webhook/<bulk path>   { "items": [{ "job_id": "282", "image_ids": [...] }, ...] }
//   -> the same, for the images of every item (a Split Out node makes one n8n item per entry of `items`)
//
// Both are published (`active: true`), so n8n serves them on its production webhook URL. Shared by the
// queue-mode scenario and its throughput measurement.
import http from 'node:http';
import { getTagsNode } from '../lib/modelarts-node.mjs';

const nodeId = (workflow, n) => `3f9b2c1d-7a4e-4b8f-9c0d-${String(workflow * 100 + n).padStart(12, '0')}`;

function webhookNode({ workflow, path }) {
  return {
    id: nodeId(workflow, 1),
    name: 'Webhook',
    type: 'n8n-nodes-base.webhook',
    typeVersion: 2,
    position: [0, 0],
    webhookId: nodeId(workflow, 99),
    parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
  };
}

/**
 * @param {{ id: string, name: string, path: string, credential: { id: string, name: string } }} o
 */
export function webhookTagsWorkflow({ id, name, path, credential }) {
  return {
    id,
    name,
    active: true,
    settings: { executionOrder: 'v1' },
    nodes: [
      webhookNode({ workflow: 1, path }),
      getTagsNode({
        id: nodeId(1, 2),
        name: 'Get Tags',
        position: [220, 0],
        credential,
        annotationId: '={{ $json.body.job_id }}',
        idsField: 'body.image_ids',
        fromField: true,
      }),
    ],
    connections: { Webhook: { main: [[{ node: 'Get Tags', type: 'main', index: 0 }]] } },
  };
}

/**
 * @param {{ id: string, name: string, path: string, credential: { id: string, name: string } }} o
 */
export function webhookBulkTagsWorkflow({ id, name, path, credential }) {
  return {
    id,
    name,
    active: true,
    settings: { executionOrder: 'v1' },
    nodes: [
      webhookNode({ workflow: 2, path }),
      {
        id: nodeId(2, 2),
        name: 'Split Out Items',
        type: 'n8n-nodes-base.splitOut',
        typeVersion: 1,
        position: [220, 0],
        parameters: { fieldToSplitOut: 'body.items', options: {} },
      },
      getTagsNode({
        id: nodeId(2, 3),
        name: 'Get Tags',
        position: [440, 0],
        credential,
        annotationId: '={{ $json.job_id }}',
        idsField: 'image_ids',
        fromField: true,
      }),
    ],
    connections: {
      Webhook: { main: [[{ node: 'Split Out Items', type: 'main', index: 0 }]] },
      'Split Out Items': { main: [[{ node: 'Get Tags', type: 'main', index: 0 }]] },
    },
  };
}

// Calls wait as long as n8n takes: a queue-mode answer can take minutes on a busy machine, longer than
// fetch's fixed five-minute wait for headers.
const agent = new http.Agent({ keepAlive: true });

/** POSTs JSON; resolves to { status, body } (body parsed when it is JSON), or { status: 0, error } when no answer came. */
export function postJson(url, body) {
  const payload = JSON.stringify(body);
  return new Promise((resolve) => {
    const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('error', (err) => resolve({ status: 0, body: null, error: err.message }));
      response.on('end', () => {
        let parsed = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* not JSON: keep the text */
        }
        resolve({ status: response.statusCode, body: parsed });
      });
    });
    request.on('error', (err) => resolve({ status: 0, body: null, error: err.message }));
    request.end(payload);
  });
}
