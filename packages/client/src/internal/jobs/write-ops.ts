import type { DeleteImagesOptions, ImageTagsInput, SetImageTagsOptions, WriteResult } from '../../core/annotation-types.js';
import { assertAnnotationId, normalizeImageIds } from '../../core/ids.js';
import { checkImageTagsInput } from '../../core/image-tags-input.js';
import type { ImageTagsUpdate } from '../../generated/index.js';
import type { GeneratedApis, Operation } from '../http/attempt.js';
import { parseFamilyBody } from '../response/parse-family.js';
import { assertKnownOptions, CALL_OPTION_NAMES, checkOnError, intInRange } from '../options/validate.js';
import { Call, type OperationContext } from './call.js';
import { MAX_WRITE_BATCH, runWrite } from './writes.js';

const WRITE_OPTIONS = [...CALL_OPTION_NAMES, 'batchSize', 'onProgress', 'onError'];

type WriteOptions = (SetImageTagsOptions | DeleteImagesOptions) & { onError?: 'throw' | 'collect' };

/**
 * A write of the annotation-job family: the job ID and options checked,
 * then `prepare` (which checks the input, before any request), then the
 * batches through runWrite. Both writes are safe to repeat, so they retry
 * like reads (see retry/safety.ts).
 */
async function write<T>(
  context: OperationContext,
  method: string,
  annotationId: string,
  options: WriteOptions,
  prepare: () => { ids: readonly string[]; items: readonly T[] },
  what: string,
  request: (
    apis: GeneratedApis,
    init: { signal: AbortSignal },
    projectId: string,
    job: string,
    batch: T[],
  ) => ReturnType<Operation<unknown>['call']>,
): Promise<WriteResult> {
  const job = assertAnnotationId(annotationId);
  assertKnownOptions(options, WRITE_OPTIONS, method);
  checkOnError(options.onError);
  const batchSize = intInRange(options.batchSize ?? MAX_WRITE_BATCH, 'batchSize', 1, MAX_WRITE_BATCH);
  const { ids, items } = prepare();
  return runWrite(new Call(context, options), {
    what: `${what} of annotation job ${job}`,
    ids,
    items,
    batchSize,
    onProgress: options.onProgress,
    onError: options.onError,
    send: (call, batch, label) =>
      call.run(
        label,
        (apis, init, projectId) => request(apis, init, projectId, job, batch),
        (text, meta) => parseFamilyBody(text, meta, (s) => s.resultStatus),
        'idempotent',
      ),
  });
}

/** Sets the tags of images, replacing what they had: setting the same tags again leaves the same state. */
export function setImageTags(
  context: OperationContext,
  annotationId: string,
  images: readonly ImageTagsInput[],
  options: WriteOptions = {},
): Promise<WriteResult> {
  return write(
    context,
    'setImageTags',
    annotationId,
    options,
    () => {
      const updates = checkImageTagsInput(images).map(toWire);
      return { ids: updates.map((update) => update.image_id), items: updates };
    },
    'Writing the tags',
    (apis, init, projectId, job, batch) =>
      apis.dataAnnotations.updateImageTagsRaw({ projectId, dataAnnotationId: job, updateImageTagsRequest: { images: batch } }, init),
  );
}

/** A checked image as the service takes it: boxes as `pos` corners, the size as [width, height, depth?]. */
function toWire(image: ImageTagsInput): ImageTagsUpdate {
  if (!('size' in image) && image.tags.every((tag) => typeof tag === 'string')) return { image_id: image.imageId, tags: image.tags };
  const update: ImageTagsUpdate = {
    image_id: image.imageId,
    tags: (image.tags as Exclude<ImageTagsInput['tags'], string[]>).map(({ tag, box }) => ({
      tag,
      pos: [box.xmin, box.ymin, box.xmax, box.ymax],
    })),
  };
  const size = 'size' in image ? image.size : undefined;
  if (size) update.size = size.depth === undefined ? [size.width, size.height] : [size.width, size.height, size.depth];
  return update;
}

/** Deletes images from a job: a second delete of the same IDs finds nothing to do. */
export function deleteImages(
  context: OperationContext,
  annotationId: string,
  imageIds: readonly string[],
  options: WriteOptions = {},
): Promise<WriteResult> {
  return write(
    context,
    'deleteImages',
    annotationId,
    options,
    () => {
      const ids = normalizeImageIds(imageIds);
      return { ids, items: ids };
    },
    'Deleting images',
    (apis, init, projectId, job, batch) =>
      apis.dataAnnotations.deleteImagesRaw({ projectId, dataAnnotationId: job, deleteImagesRequest: { image_id: batch } }, init),
  );
}
