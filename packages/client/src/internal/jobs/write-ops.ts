import type { DeleteImagesOptions, ImageTagsInput, SetImageTagsOptions, WriteResult } from '../../core/annotation-types.js';
import { assertAnnotationId, normalizeImageIds } from '../../core/ids.js';
import { parseFamilyBody } from '../response/parse-family.js';
import { assertKnownOptions, Call, CALL_OPTION_NAMES, intInRange, type OperationContext } from './call.js';
import { toTagUpdates } from './tag-input.js';
import { checkOnError, MAX_WRITE_BATCH, runWrite } from './writes.js';

const WRITE_OPTIONS = [...CALL_OPTION_NAMES, 'batchSize', 'onProgress', 'onError'];

type WriteOptions = (SetImageTagsOptions | DeleteImagesOptions) & { onError?: 'throw' | 'collect' };

function writeSettings(options: WriteOptions, method: string): { batchSize: number } {
  assertKnownOptions(options, WRITE_OPTIONS, method);
  checkOnError(options.onError);
  return { batchSize: intInRange(options.batchSize ?? MAX_WRITE_BATCH, 'batchSize', 1, MAX_WRITE_BATCH) };
}

/**
 * Sets the tags of images (replacing what they had), in batches. Setting
 * the same tags again leaves the same state, so every retryable failure is
 * retried, a timeout after the request went out included.
 */
export async function setImageTags(
  context: OperationContext,
  annotationId: string,
  images: readonly ImageTagsInput[],
  options: WriteOptions = {},
): Promise<WriteResult> {
  const job = assertAnnotationId(annotationId);
  const { batchSize } = writeSettings(options, 'setImageTags');
  const updates = toTagUpdates(images);
  return runWrite(new Call(context, options), {
    what: `Writing the tags of annotation job ${job}`,
    ids: updates.map((update) => update.image_id),
    items: updates,
    batchSize,
    onProgress: options.onProgress,
    onError: options.onError,
    send: (call, batch, what) =>
      call.run(
        what,
        (apis, init, projectId) =>
          apis.dataAnnotations.updateImageTagsRaw({ projectId, dataAnnotationId: job, updateImageTagsRequest: { images: batch } }, init),
        (text, meta) => parseFamilyBody(text, meta, (s) => s.resultStatus),
        'idempotent',
      ),
  });
}

/**
 * Deletes images from a job, in batches. A second delete of the same IDs
 * finds nothing to do, so a retry after an ambiguous failure is safe.
 */
export async function deleteImages(
  context: OperationContext,
  annotationId: string,
  imageIds: readonly string[],
  options: WriteOptions = {},
): Promise<WriteResult> {
  const job = assertAnnotationId(annotationId);
  const { batchSize } = writeSettings(options, 'deleteImages');
  const ids = normalizeImageIds(imageIds);
  return runWrite(new Call(context, options), {
    what: `Deleting images of annotation job ${job}`,
    ids,
    items: ids,
    batchSize,
    onProgress: options.onProgress,
    onError: options.onError,
    send: (call, batch, what) =>
      call.run(
        what,
        (apis, init, projectId) =>
          apis.dataAnnotations.deleteImagesRaw({ projectId, dataAnnotationId: job, deleteImagesRequest: { image_id: batch } }, init),
        (text, meta) => parseFamilyBody(text, meta, (s) => s.resultStatus),
        'idempotent',
      ),
  });
}
