// Building blocks for the scenarios of the ModelArts community node (@modelarts-kit/n8n-nodes-modelarts):
// its credential and node as n8n workflow JSON, input plans with mixed image ID formats, and the
// output the node must produce, derived from the emulator's ground truth.

export const NODE_TYPE = '@modelarts-kit/n8n-nodes-modelarts.modelArts';
export const CREDENTIAL_TYPE = 'modelArtsApi';

/** An n8n credential export of the ModelArts credential pointing at a local endpoint. */
export function modelArtsCredential({ id, name, endpoint, projectId, ...auth }) {
  return {
    id,
    name: name ?? id,
    type: CREDENTIAL_TYPE,
    data: { endpointType: 'custom', endpoint, allowInsecureHttp: false, projectId, ...auth },
  };
}

/**
 * Image IDs for `items` input items, each item in one of the forms users feed the node: one ID, a
 * list, comma-separated text, CRLF-separated text, or text holding a JSON list. Every 7th item also
 * repeats the previous item's first ID, so some images are asked for by two items.
 * Returns the per-item values (as the expression will see them) and the IDs each item names.
 */
export function mixedIdPlan(imageIds, items) {
  const values = [];
  const idsPerItem = [];
  let next = 0;
  for (let i = 0; i < items; i++) {
    const form = i % 5;
    const own = form === 0 ? [imageIds[next++]] : [imageIds[next++], imageIds[next++]];
    const ids = i % 7 === 6 && i > 0 ? [...own, idsPerItem[i - 1][0]] : own;
    idsPerItem.push([...new Set(ids)]);
    switch (form) {
      case 0:
        values.push(` ${ids[0]} `);
        if (ids.length > 1) values[i] = ids; // the repeat turns a single ID into a list
        break;
      case 1:
        values.push(ids);
        break;
      case 2:
        values.push(ids.join(', '));
        break;
      case 3:
        values.push(`${ids.join('\r\n')}\r\n`);
        break;
      default:
        values.push(JSON.stringify(ids));
    }
  }
  return { values, idsPerItem };
}

/** What the node outputs (simplified, one item per image) for an emulator wire entry. */
export function expectedRecord(entry) {
  if (!('size' in entry)) return { image_id: entry.image_id, job_type: 'classification', tags: entry.tags };
  const boxes = typeof entry.tags === 'string' ? JSON.parse(entry.tags) : entry.tags;
  const [width, height, depth] = entry.size;
  return {
    image_id: entry.image_id,
    job_type: 'detection',
    tags: [...new Set(boxes.map((box) => box.tag))],
    boxes: boxes.map(({ tag, pos }) => ({ tag, xmin: pos[0], ymin: pos[1], xmax: pos[2], ymax: pos[3] })),
    size: depth === undefined ? { width, height } : { width, height, depth },
  };
}

/** The per-image output of Get Tags: each ID once, in order of first request, linked to every item that named it. */
export function expectedPerImage(idsPerItem, groundTruth) {
  const order = [];
  const items = new Map();
  idsPerItem.forEach((ids, item) => {
    for (const id of ids) {
      if (!items.has(id)) {
        items.set(id, []);
        order.push(id);
      }
      items.get(id).push(item);
    }
  });
  return order.map((id) => {
    const linked = items.get(id);
    return {
      json: expectedRecord(groundTruth(id)),
      pairedItem: linked.length === 1 ? { item: linked[0] } : linked.map((item) => ({ item })),
    };
  });
}

/** A Code node that emits one item per plan entry, `{ ...fields }`. */
export function planNode({ id, name, position, rows }) {
  return {
    id,
    name,
    type: 'n8n-nodes-base.code',
    typeVersion: 2,
    position,
    parameters: { jsCode: `const rows = ${JSON.stringify(rows)};\nreturn rows.map((json) => ({ json }));` },
  };
}

/**
 * What every ModelArts node of a scenario names: its place in the workflow, its credential and job.
 * @typedef {{ id: string, name: string, position: number[], credential: { id: string, name: string },
 *   annotationId: string, options?: Record<string, unknown>, onError?: string }} NodeCommon
 */

/**
 * A ModelArts node doing Get Tags with IDs from `{{ $json[field] }}`, or with `fromField`, read from
 * the input field `idsField` directly (Image IDs From: Input Field; `idsField` may then be a dot path
 * or an expression).
 * @param {NodeCommon & { idsField: string, fromField?: boolean, outputMode?: string }} options
 */
export function getTagsNode({ idsField, fromField = false, outputMode = 'perImage', ...common }) {
  const ids = fromField ? { imageIdsSource: 'field', imageIdsField: idsField } : { imageIds: `={{ $json.${idsField} }}` };
  return modelArtsNode({ ...common, operation: 'getTags', parameters: { ...ids, outputMode } });
}

/**
 * A ModelArts node doing Get Tag (one image per item) with the ID from `{{ $json[field] }}`, or with
 * `fromField`, read from the input field `idField` directly (Image ID From: Input Field).
 * @param {NodeCommon & { idField: string, fromField?: boolean }} options
 */
export function getTagNode({ idField, fromField = false, ...common }) {
  const id = fromField ? { imageIdSource: 'field', imageIdField: idField } : { imageId: `={{ $json.${idField} }}` };
  return modelArtsNode({ ...common, operation: 'getTag', parameters: id });
}

/**
 * A ModelArts node of any operation (the builders above, Export Tags, Check Labels), with the operation's own
 * parameters between the job and the options. Version 1 (the default) takes the job ID as text; from 1.1
 * the job is a resource locator (see jobFromList, jobById). `annotationId` undefined leaves the job out
 * (Annotation Job: Get Many).
 * @param {Omit<NodeCommon, 'annotationId'> & { annotationId?: unknown, operation: string, parameters: Record<string, unknown>,
 *   resource?: string, typeVersion?: number }} options
 */
export function modelArtsNode({
  id,
  name,
  position,
  credential,
  annotationId,
  operation,
  parameters,
  options = {},
  onError,
  resource = 'image',
  typeVersion = 1,
}) {
  return {
    id,
    name,
    type: NODE_TYPE,
    typeVersion,
    position,
    parameters: { resource, operation, ...(annotationId === undefined ? {} : { annotationId }), ...parameters, options },
    credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
    ...(onError ? { onError } : {}),
  };
}

/** The job of a version 1.1 node as the editor stores it when picked From List (the name shown is cached). */
export const jobFromList = (annotationId, name) => ({
  __rl: true,
  mode: 'list',
  value: annotationId,
  cachedResultName: `${name} (${annotationId})`,
});

/** The job of a version 1.1 node given By ID. */
export const jobById = (annotationId) => ({ __rl: true, mode: 'id', value: annotationId });

/** A Manual Trigger named Start. */
export const manualTrigger = (id) => ({
  id,
  name: 'Start',
  type: 'n8n-nodes-base.manualTrigger',
  typeVersion: 1,
  position: [0, 0],
  parameters: {},
});

/** A connection entry: the node's main output to each named node. */
export const link = (...names) => ({ main: [names.map((node) => ({ node, type: 'main', index: 0 }))] });
