// The workflow a user would build by hand without our node: a Code node makes one item per image ID,
// then n8n's own HTTP Request node (v4.2) calls "get image tags" once per item with an X-Auth-Token
// header from a Header Auth credential. Also the baseline of the benchmark.

/** A Header Auth credential (X-Auth-Token), as `n8n import:credentials` takes it. */
export function tokenCredential({ id, name = 'ModelArts token (header)', token }) {
  return { id, name, type: 'httpHeaderAuth', data: { name: 'X-Auth-Token', value: token } };
}

/**
 * @param {object} o
 * @param {string} o.endpoint     base URL, e.g. http://127.0.0.1:PORT
 * @param {string} o.projectId
 * @param {string} o.jobId        annotation job ID
 * @param {readonly string[]} o.imageIds  one item (and one HTTP call) per image ID
 * @param {{ id: string, name: string }} o.credential  an httpHeaderAuth credential
 * @param {string} [o.id]         workflow ID (16 characters [A-Za-z0-9])
 * @param {string} [o.name]
 */
export function httpRequestBaselineWorkflow({ endpoint, projectId, jobId, imageIds, credential, id, name }) {
  if (imageIds.length < 1) throw new Error('the baseline workflow needs at least one image ID');
  const url = `${endpoint}/v1/${projectId}/data-annotations/${jobId}/tags/show`;
  return {
    ...(id ? { id } : {}),
    name: name ?? `HTTP Request baseline (${imageIds.length} items)`,
    active: false,
    settings: { executionOrder: 'v1' },
    nodes: [
      {
        id: '5b1a0a52-0001-4c8e-9d65-000000000001',
        name: 'Start',
        type: 'n8n-nodes-base.manualTrigger',
        typeVersion: 1,
        position: [0, 0],
        parameters: {},
      },
      {
        id: '5b1a0a52-0001-4c8e-9d65-000000000002',
        name: 'Make Items',
        type: 'n8n-nodes-base.code',
        typeVersion: 2,
        position: [220, 0],
        parameters: {
          jsCode: `const ids = ${JSON.stringify(imageIds)};\nreturn ids.map((image_id, index) => ({ json: { index, image_id } }));`,
        },
      },
      {
        id: '5b1a0a52-0001-4c8e-9d65-000000000003',
        name: 'Get Tags',
        type: 'n8n-nodes-base.httpRequest',
        typeVersion: 4.2,
        position: [440, 0],
        parameters: {
          method: 'POST',
          url,
          authentication: 'genericCredentialType',
          genericAuthType: 'httpHeaderAuth',
          sendBody: true,
          specifyBody: 'json',
          jsonBody: '={{ JSON.stringify({ image_id: [$json.image_id] }) }}',
          options: {},
        },
        credentials: { httpHeaderAuth: { id: credential.id, name: credential.name } },
      },
    ],
    connections: {
      Start: { main: [[{ node: 'Make Items', type: 'main', index: 0 }]] },
      'Make Items': { main: [[{ node: 'Get Tags', type: 'main', index: 0 }]] },
    },
  };
}
