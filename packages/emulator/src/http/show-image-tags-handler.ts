import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authenticator } from '../auth/authenticator.js';
import { splitTarget } from '../auth/signature-verifier.js';
import type { JobCatalog, SeededJob } from '../data/job-catalog.js';
import type { FaultPlanner } from '../faults/fault-planner.js';
import { injectFault } from '../faults/inject-fault.js';
import type { ShowImageTagsContract } from '../spec/show-image-tags-contract.js';
import { countJobRequest, countResponse, type EmulatorStats } from '../stats.js';
import { errors } from './error-catalog.js';
import { readBody } from './read-body.js';
import { sendError, sendJson } from './send.js';

export interface HandlerDependencies {
  contract: ShowImageTagsContract;
  catalog: JobCatalog;
  authenticator: Authenticator;
  faults: FaultPlanner;
  stats: EmulatorStats;
  projectId: string;
  bodyLimitBytes: number;
  schedule: (ms: number, action: () => void) => void;
}

/**
 * Answers every request the way ModelArts and its gateway would, in their
 * order: route, authentication, parameters, project and job, body, then
 * (possibly) an injected fault, then the tags.
 */
export class ShowImageTagsHandler {
  constructor(private readonly deps: HandlerDependencies) {}

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.respond(req, res).catch(() => {
      // The client hung up mid-body (nothing to answer), or a bug: neither
      // may take the server down or leave the client hanging.
      if (res.destroyed) return;
      if (!res.headersSent) sendError(res, errors.internal());
      else res.destroy();
    });
  };

  private async respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { contract, catalog, authenticator, stats } = this.deps;
    stats.requests += 1;
    res.setHeader('X-Request-Id', randomUUID().replaceAll('-', ''));
    res.on('finish', () => countResponse(stats, res.statusCode));

    const bodyResult = await readBody(req, this.deps.bodyLimitBytes);
    if (!bodyResult.ok) {
      // The rest of the upload is not worth reading: answer, then hang up.
      res.setHeader('Connection', 'close');
      res.on('finish', () => req.socket.destroySoon());
      sendError(res, errors.bodyTooLarge(this.deps.bodyLimitBytes));
      return;
    }
    const body = bodyResult.body;
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';

    const route = contract.matchRoute(method, splitTarget(target).path);
    if (route.kind === 'no-route') return sendError(res, errors.noSuchApi());
    if (route.kind === 'method-not-allowed') {
      return sendError(res, errors.methodNotAllowed(method), { Allow: route.allowedMethods.join(', ') });
    }

    const auth = authenticator.authenticate({ method, target, headers: req.headers, body });
    if (!auth.ok) {
      stats.auth.rejected += 1;
      return sendError(res, errors.unauthenticated(auth.reason));
    }
    stats.auth[auth.method] += 1;

    const parameters = contract.checkPathParameters(route.rawParameters);
    if (!parameters.ok) return sendError(res, errors.badRequest(parameters.message));
    const { projectId, annotationId } = parameters.value;
    if (projectId !== this.deps.projectId) return sendError(res, errors.projectNotFound(projectId));
    const job = catalog.get(annotationId);
    if (!job) return sendError(res, errors.jobNotFound(annotationId));

    const encoding = requestEncoding(req);
    if (encoding !== undefined) return sendError(res, errors.unsupportedEncoding(encoding));
    const checkedBody = contract.checkBody(body.toString('utf8'), req.headers['content-type']);
    if (!checkedBody.ok) return sendError(res, errors.badRequest(checkedBody.message));
    // Asking twice for one image gets it once, as from a database lookup.
    const imageIds = [...new Set(checkedBody.value.imageIds)];
    countJobRequest(stats, job.id, imageIds.length);

    const plan = this.deps.faults.plan(job.id, imageIds);
    if (plan.kind === 'batch-limit') {
      stats.faults.batchLimit += 1;
      return sendError(res, errors.badRequest(`image_id has ${imageIds.length} items, at most ${plan.maxBatchSize} are allowed`));
    }
    if (plan.kind !== 'none') {
      stats.faults[plan.kind] += 1;
      injectFault(plan.kind, plan.settings, {
        req,
        res,
        successBody: () => successBody(job, imageIds),
        schedule: this.deps.schedule,
      });
      return;
    }
    sendJson(res, 200, successBody(job, imageIds));
  }
}

/** The request's Content-Encoding when it names anything but `identity`; header values are capped for the message. */
function requestEncoding(req: IncomingMessage): string | undefined {
  const header = req.headers['content-encoding'];
  if (header === undefined) return undefined;
  const codings = header
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length === 0) return undefined;
  const named = codings.join(', ');
  return named.length > 40 ? `${named.slice(0, 40)}…` : named;
}

/** Joins the cached JSON of each known image; unknown IDs are simply absent. */
function successBody(job: SeededJob, imageIds: readonly string[]): string {
  const fragments: string[] = [];
  for (const imageId of imageIds) {
    const fragment = job.fragment(imageId);
    if (fragment !== undefined) fragments.push(fragment);
  }
  return `{"is_success":true,"images_tags":[${fragments.join(',')}]}`;
}
