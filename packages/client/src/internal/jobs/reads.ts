import type { CallOptions, ObsSyncStatus, TagStatistics, ValidationData } from '../../core/annotation-types.js';
import { InputValidationError } from '../../core/errors.js';
import type { ImageTags } from '../../core/image-tags.js';
import { assertAnnotationId, isIdentifier } from '../../core/ids.js';
import type { GeneratedApis, Operation } from '../http/attempt.js';
import { parseFamilyBody } from '../response/parse-family.js';
import { retypeAmbiguous, toImageTags, type WireEntry } from '../response/to-image-tags.js';
import type { RetrySafety } from '../retry/safety.js';
import { assertKnownOptions, CALL_OPTION_NAMES } from '../options/validate.js';
import { Call, type OperationContext } from './call.js';
import { toSyncStatus, toTagStatistics, toValidationData } from './normalise.js';

/* The operations that are one request: reads (which retry like tags/show) and saving a pass rate (idempotent). */

async function single<T>(
  context: OperationContext,
  options: CallOptions,
  method: string,
  call: (apis: GeneratedApis, init: { signal: AbortSignal }, projectId: string) => ReturnType<Operation<T>['call']>,
  parse: Operation<T>['parse'],
  safety: RetrySafety = 'idempotent',
): Promise<{ value: T; requestId: string | undefined }> {
  assertKnownOptions(options, CALL_OPTION_NAMES, method);
  const running = new Call(context, options);
  try {
    return await running.run(method, call, parse, safety);
  } finally {
    running.close();
  }
}

/** An ID that goes into a URL path as one segment (the spec's pattern). */
function pathId(value: unknown, name: string): string {
  if (!isIdentifier(value)) {
    throw new InputValidationError(
      `${name} must be 1 to 128 letters, digits, '.', '_' or '-' (and not '.' or '..'), not ${JSON.stringify(String(value)).slice(0, 80)}`,
    );
  }
  return value;
}

export async function getImageTag(
  context: OperationContext,
  annotationId: string,
  imageId: string,
  options: CallOptions = {},
): Promise<ImageTags> {
  const job = assertAnnotationId(annotationId);
  const id = pathId(typeof imageId === 'string' ? imageId.trim() : imageId, 'imageId');
  const { value } = await single(
    context,
    options,
    'getImageTag',
    (apis, init, projectId) => apis.dataAnnotations.showImageTagRaw({ projectId, dataAnnotationId: job, imageId: id }, init),
    (text, meta) => {
      const {
        image_id,
        tags,
        size,
        is_success: _s,
        error_code: _c,
        error_msg: _m,
        ...extra
      } = parseFamilyBody(text, meta, (s) => s.showImageTagResponse);
      // Detection answers carry no image_id: the one asked for is meant.
      const entry = { ...extra, image_id: image_id ?? id, tags: tags ?? [], ...(size ? { size } : {}) } as WireEntry;
      return retypeAmbiguous([toImageTags(entry, 0, meta)])[0]!;
    },
  );
  return value;
}

export async function getTagList(context: OperationContext, annotationId: string, options: CallOptions = {}): Promise<string[]> {
  const job = assertAnnotationId(annotationId);
  const { value } = await single(
    context,
    options,
    'getTagList',
    (apis, init, projectId) => apis.dataAnnotations.listTagsRaw({ projectId, dataAnnotationId: job }, init),
    (text, meta) => parseFamilyBody(text, meta, (s) => s.listTagsResponse).tags ?? [],
  );
  return value;
}

export async function getTagStatistics(context: OperationContext, annotationId: string, options: CallOptions = {}): Promise<TagStatistics> {
  const job = assertAnnotationId(annotationId);
  const { value } = await single(
    context,
    options,
    'getTagStatistics',
    (apis, init, projectId) => apis.dataAnnotations.showTagStatisticsRaw({ projectId, dataAnnotationId: job }, init),
    (text, meta) => toTagStatistics(parseFamilyBody(text, meta, (s) => s.tagStatisticsResponse)),
  );
  return value;
}

/** The request and parser of a sync status read, which syncFromObs polls with. */
export function syncStatusRead(job: string): [Parameters<Call['run']>[1], Operation<ObsSyncStatus>['parse']] {
  return [
    (apis, init, projectId) => apis.dataAnnotations.showObsSyncStatusRaw({ projectId, dataAnnotationId: job }, init),
    (text, meta) =>
      toSyncStatus(
        parseFamilyBody(text, meta, (s) => s.syncStatusResponse),
        meta,
      ),
  ];
}

export async function getObsSyncStatus(context: OperationContext, annotationId: string, options: CallOptions = {}): Promise<ObsSyncStatus> {
  const { value } = await single(context, options, 'getObsSyncStatus', ...syncStatusRead(assertAnnotationId(annotationId)));
  return value;
}

export async function getValidation(context: OperationContext, jobId: string, options: CallOptions = {}): Promise<ValidationData> {
  const id = pathId(jobId, 'jobId');
  const { value } = await single(
    context,
    options,
    'getValidation',
    (apis, init, projectId) => apis.annotationJobs.showValidationRaw({ projectId, jobId: id }, init),
    (text, meta) =>
      toValidationData(
        parseFamilyBody(text, meta, (s) => s.validationResponse),
        meta,
      ),
  );
  return value;
}

/** Saving the same pass rate twice leaves the same state: retried like a read. */
export async function saveValidation(
  context: OperationContext,
  jobId: string,
  passRate: number,
  options: CallOptions = {},
): Promise<{ requestId: string | undefined }> {
  const id = pathId(jobId, 'jobId');
  if (typeof passRate !== 'number' || !Number.isFinite(passRate) || passRate < 0 || passRate > 100) {
    throw new InputValidationError(`passRate must be a number from 0 to 100, not ${String(passRate)}`);
  }
  const { requestId } = await single(
    context,
    options,
    'saveValidation',
    (apis, init, projectId) =>
      apis.annotationJobs.saveValidationRaw({ projectId, jobId: id, saveValidationRequest: { pass_rate: passRate } }, init),
    (text, meta) => parseFamilyBody(text, meta, (s) => s.resultStatus),
    'idempotent',
  );
  return { requestId };
}
