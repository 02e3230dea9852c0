import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authenticator } from '../auth/authenticator.js';
import { splitTarget } from '../auth/signature-verifier.js';
import type { FaultKind } from '../faults/fault-config.js';
import type { FaultPlanner } from '../faults/fault-planner.js';
import { injectFault } from '../faults/inject-fault.js';
import type { ApiContract } from '../spec/api-contract.js';
import type { EmulatorState, LiveJob } from '../state/emulator-state.js';
import { countJobRequest, countOperation, countResponse, type EmulatorStats } from '../stats.js';
import { errors } from './error-catalog.js';
import { OPERATION_HANDLERS } from './operations/index.js';
import type { OperationRequest } from './operations/types.js';
import { readBody } from './read-body.js';
import { sendError, sendJson } from './send.js';

export interface PipelineDependencies {
  contract: ApiContract;
  state: EmulatorState;
  authenticator: Authenticator;
  faults: FaultPlanner;
  stats: EmulatorStats;
  projectId: string;
  bodyLimitBytes: number;
  now: () => number;
  schedule: (ms: number, action: () => void) => void;
}

// Faults that stand for an answer lost or late after the service did the
// work: the request takes effect first. The others refuse it untouched.
const AFTER_THE_WORK: ReadonlySet<FaultKind> = new Set(['delay', 'truncated', 'reset']);

/**
 * Answers every request the way ModelArts and its gateway would, in their
 * order: route, authentication, parameters, project and job, body, then
 * (possibly) an injected fault, then the operation on the state.
 */
export class RequestPipeline {
  constructor(private readonly deps: PipelineDependencies) {
    for (const operationId of deps.contract.operationIds) {
      if (!OPERATION_HANDLERS[operationId]) throw new Error(`The emulator has no handler for the operation ${operationId}`);
    }
  }

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
    const { contract, state, authenticator, stats } = this.deps;
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
    const target = splitTarget(req.url ?? '/');

    const route = contract.matchRoute(method, target.path);
    if (route.kind === 'no-route') return sendError(res, errors.noSuchApi());
    if (route.kind === 'method-not-allowed') {
      return sendError(res, errors.methodNotAllowed(method), { Allow: route.allowedMethods.join(', ') });
    }
    const operation = route.contract;
    countOperation(stats, operation.operationId);

    const auth = authenticator.authenticate({ method, target: req.url ?? '/', headers: req.headers, body });
    if (!auth.ok) {
      stats.auth.rejected += 1;
      return sendError(res, errors.unauthenticated(auth.reason));
    }
    stats.auth[auth.method] += 1;

    const path = operation.checkPathParameters(route.rawParameters);
    if (!path.ok) return sendError(res, errors.badRequest(path.message));
    const query = operation.checkQuery(target.query);
    if (!query.ok) return sendError(res, errors.badRequest(query.message));
    const projectId = path.value.project_id as string;
    if (projectId !== this.deps.projectId) return sendError(res, errors.projectNotFound(projectId));
    const { data_annotation_id: annotationId, job_id: jobUuid } = path.value;
    let job: LiveJob | undefined;
    if (annotationId !== undefined) {
      job = state.job(annotationId);
      if (!job) return sendError(res, errors.jobNotFound(annotationId));
    } else if (jobUuid !== undefined) {
      job = state.jobByUuid(jobUuid);
      if (!job) return sendError(res, errors.jobNotFound(jobUuid));
    }

    let parsedBody: unknown;
    if (operation.hasBody) {
      const encoding = requestEncoding(req);
      if (encoding !== undefined) return sendError(res, errors.unsupportedEncoding(encoding));
      const checkedBody = operation.checkBody(body.toString('utf8'), req.headers['content-type']);
      if (!checkedBody.ok) return sendError(res, errors.badRequest(checkedBody.message));
      parsedBody = checkedBody.value;
    }

    const handler = OPERATION_HANDLERS[operation.operationId]!;
    const request: OperationRequest = { path: path.value, query: query.value, body: parsedBody, job, state, now: this.deps.now };
    const batch = handler.batch?.(request);
    const jobId = job?.record.dlsId ?? '';
    if (job) countJobRequest(stats, jobId, batch?.length ?? 0);

    const faultKey = handler.faultKey?.(request) ?? `${operation.operationId}\n${target.query}\n${body.toString('utf8')}`;
    const plan = this.deps.faults.planRequest(jobId, faultKey, batch?.length);
    if (plan.kind === 'batch-limit') {
      stats.faults.batchLimit += 1;
      return sendError(
        res,
        errors.badRequest(`${handler.batchField ?? 'image_id'} has ${batch?.length} items, at most ${plan.maxBatchSize} are allowed`),
      );
    }
    if (plan.kind !== 'none' && !AFTER_THE_WORK.has(plan.kind)) {
      stats.faults[plan.kind] += 1;
      return injectFault(plan.kind, plan.settings, { req, res, successBody: () => '', schedule: this.deps.schedule });
    }

    const result = handler.run(request);
    if (!result.ok) return sendError(res, result.error);
    if (plan.kind !== 'none') {
      stats.faults[plan.kind] += 1;
      return injectFault(plan.kind, plan.settings, { req, res, successBody: () => result.body, schedule: this.deps.schedule });
    }
    sendJson(res, 200, result.body);
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
