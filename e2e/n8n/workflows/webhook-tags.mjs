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
 * A published workflow: the webhook, then `steps` in a row, the last one Get Tags reading the job ID
 * from `jobIdExpression` and the image IDs from the input field `idsField`.
 *
 * @param {{ id: string, name: string, path: string, credential: object, workflow: number, steps?: object[], jobIdExpression: string, idsField: string }} options
 */
function publishedTagsWorkflow({ id, name, path, credential, workflow, steps = [], jobIdExpression, idsField }) {
  const getTags = getTagsNode({
    id: nodeId(workflow, 2 + steps.length),
    name: 'Get Tags',
    position: [220 * (1 + steps.length), 0],
    credential,
    annotationId: jobIdExpression,
    idsField,
    fromField: true,
  });
  const nodes = [webhookNode({ workflow, path }), ...steps, getTags];
  const connections = Object.fromEntries(
    nodes.slice(0, -1).map((node, i) => [node.name, { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] }]),
  );
  return { id, name, active: true, settings: { executionOrder: 'v1' }, nodes, connections };
}

/** `{ job_id, image_ids }` -> the tags of those images. */
export function webhookTagsWorkflow({ id, name, path, credential }) {
  return publishedTagsWorkflow({
    id,
    name,
    path,
    credential,
    workflow: 1,
    jobIdExpression: '={{ $json.body.job_id }}',
    idsField: 'body.image_ids',
  });
}

/** `{ items: [{ job_id, image_ids }, ...] }` -> one n8n item per entry, then the tags of all their images. */
export function webhookBulkTagsWorkflow({ id, name, path, credential }) {
  const splitOut = {
    id: nodeId(2, 2),
    name: 'Split Out Items',
    type: 'n8n-nodes-base.splitOut',
    typeVersion: 1,
    position: [220, 0],
    parameters: { fieldToSplitOut: 'body.items', options: {} },
  };
  return publishedTagsWorkflow({
    id,
    name,
    path,
    credential,
    workflow: 2,
    steps: [splitOut],
    jobIdExpression: '={{ $json.job_id }}',
    idsField: 'image_ids',
  });
}

// A queue-mode answer can take minutes on a busy machine (fetch gives up on headers after five). A call
// that gets no byte back for ANSWER_TIMEOUT_MS is reported as unanswered instead of waiting for ever.
const agent = new http.Agent({ keepAlive: true });
const ANSWER_TIMEOUT_MS = 10 * 60_000;

/** POSTs JSON; resolves to { status, body } (body parsed when it is JSON), or { status: 0, error } when no answer came. */
export function postJson(url, body) {
  const payload = JSON.stringify(body);
  return new Promise((resolve) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (response) => {
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
      },
    );
    request.setTimeout(ANSWER_TIMEOUT_MS, () => {
      request.destroy();
      resolve({ status: 0, body: null, error: `no answer within ${ANSWER_TIMEOUT_MS / 1000}s` });
    });
    request.on('error', (err) => resolve({ status: 0, body: null, error: err.message }));
    request.end(payload);
  });
}
