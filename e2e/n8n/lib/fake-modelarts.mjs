// A tiny stand-in for the ModelArts "get the tags of multiple images" endpoint, on 127.0.0.1 only:
//   POST /v1/{project_id}/data-annotations/{data_annotation_id}/tags/show  {"image_id": [...]}
// with X-Auth-Token authentication. Used to prove the n8n harness with n8n's own HTTP Request node.
import { createHash } from 'node:crypto';
import http from 'node:http';

const ROUTE = /^\/v1\/([^/]+)\/data-annotations\/([^/]+)\/tags\/show$/;
const TAG_NAMES = ['cat', 'dog', 'bird', 'fish', 'horse'];

/** Deterministic classification tags for an image ID (what the server answers, so tests can expect it). */
export function expectedTags(imageId) {
  const h = createHash('sha256').update(imageId).digest();
  const count = 1 + (h[0] % 2);
  return Array.from({ length: count }, (_, i) => TAG_NAMES[h[i + 1] % TAG_NAMES.length]);
}

/**
 * @param {{ projectId: string, jobId: string, tokens: string[], port?: number }} options
 */
export async function startFakeModelArts({ projectId, jobId, tokens, port = 0 }) {
  const stats = { requests: 0, byStatus: {}, imageIds: [] };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      stats.requests++;
      const send = (status, payload) => {
        stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
        const text = JSON.stringify(payload);
        res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req-${stats.requests}` });
        res.end(text);
      };
      const m = ROUTE.exec(new URL(req.url, 'http://127.0.0.1').pathname);
      if (req.method !== 'POST' || !m) return send(404, { error_code: 'ModelArts.0001', error_msg: 'Not found.' });
      if (!tokens.includes(req.headers['x-auth-token'])) {
        return send(401, { error_code: 'ModelArts.6620', error_msg: 'Invalid user token.' });
      }
      if (m[1] !== projectId || m[2] !== jobId) return send(404, { error_code: 'ModelArts.4352', error_msg: 'Annotation job not found.' });
      let ids;
      try {
        ids = JSON.parse(body).image_id;
      } catch {
        ids = undefined;
      }
      if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
        return send(400, { error_code: 'ModelArts.0104', error_msg: 'Parameter error.' });
      }
      stats.imageIds.push(...ids);
      send(200, { is_success: true, images_tags: ids.map((image_id) => ({ image_id, tags: expectedTags(image_id) })) });
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: actual } = server.address();
  return {
    url: `http://127.0.0.1:${actual}`,
    stats,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
