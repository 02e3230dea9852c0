import type { ListedImage, ListImagesOptions, ListImagesParams } from '../../core/annotation-types.js';
import { ConfigurationError, InputValidationError } from '../../core/errors.js';
import { assertAnnotationId } from '../../core/ids.js';
import { IncompleteListingError } from '../../core/job-errors.js';
import { parseFamilyBody } from '../response/parse-family.js';
import { assertKnownOptions, CALL_OPTION_NAMES, intInRange } from '../options/validate.js';
import { Call, type OperationContext } from './call.js';
import { toListedImage } from './normalise.js';
import { pages } from './pages.js';

export const LIST_IMAGES_OPTIONS = [...CALL_OPTION_NAMES, 'perPage'];
/**
 * Pages of the image list asked for at once once the count is known: four
 * keep the list ahead of eight tags/show batches in flight, while memory
 * holds at most four pages (400 entries).
 */
const PAGES_AHEAD = 4;
/** The `tag_name` that selects the untagged images. */
const UNTAGGED = '__none__';

export interface ImageSelection {
  annotationId: string;
  tagName: string | undefined;
  perPage: number;
}

/** Checks which images to list, before any request. */
export function imageSelection(params: ListImagesParams, perPageOption: unknown): ImageSelection {
  if (!params || typeof params !== 'object') throw new ConfigurationError('listImages needs { annotationId, tag? | untagged? }');
  assertKnownOptions(params, ['annotationId', 'tag', 'untagged'], 'listImages params');
  const annotationId = assertAnnotationId(params.annotationId);
  const { tag, untagged } = params as { tag?: unknown; untagged?: unknown };
  if (untagged !== undefined && typeof untagged !== 'boolean') throw new ConfigurationError('untagged must be true or false');
  if (tag !== undefined && untagged) throw new ConfigurationError('Give either tag or untagged: true, not both');
  if (tag !== undefined && (typeof tag !== 'string' || tag.trim() === '' || tag.length > 256)) {
    throw new InputValidationError('tag must be a tag name of 1 to 256 characters');
  }
  if (tag === UNTAGGED) throw new InputValidationError(`tag "${UNTAGGED}" is reserved; pass untagged: true for the untagged images`);
  const perPage = intInRange(perPageOption ?? 100, 'perPage', 1, 100);
  return { annotationId, tagName: untagged ? UNTAGGED : (tag as string | undefined), perPage };
}

/** Options and selection are checked at the call; the listing starts at the first `next()`. */
export function listImages(
  context: OperationContext,
  params: ListImagesParams,
  options: ListImagesOptions = {},
): AsyncGenerator<ListedImage> {
  assertKnownOptions(options, LIST_IMAGES_OPTIONS, 'listImages');
  const selection = imageSelection(params, options.perPage);
  const start = Call.later(context, options);
  return (async function* () {
    const call = start();
    try {
      for await (const page of listImagePages(call, selection)) yield* page;
    } finally {
      call.close();
    }
  })();
}

/**
 * The pages of a job's image list (reads retry), each image once. When the
 * service gives a count and the listing ends with fewer images, it throws
 * an IncompleteListingError after the images it did list.
 */
export async function* listImagePages(
  call: Call,
  selection: ImageSelection,
  onCount?: (count: number) => void,
): AsyncGenerator<ListedImage[]> {
  const { annotationId, tagName, perPage } = selection;
  let requestId: string | undefined;
  const listing = pages(
    async (index) => {
      const page = await call.run(
        `image list page ${index}`,
        (apis, init, projectId) =>
          apis.dataAnnotations.listImagesRaw({ projectId, dataAnnotationId: annotationId, tagName, perPage, page: index }, init),
        (text, meta) => {
          const body = parseFamilyBody(text, meta, (s) => s.listImagesResponse);
          return { entries: (body.images ?? []).map((entry, i) => toListedImage(entry, i, meta, 'images')), total: body.image_count };
        },
      );
      requestId = page.requestId;
      if (page.value.total !== undefined) onCount?.(page.value.total);
      return { ...page.value, requestId };
    },
    perPage,
    (image) => image.imageId,
    PAGES_AHEAD,
  );
  for (;;) {
    const step = await listing.next();
    if (!step.done) {
      yield step.value;
      continue;
    }
    const { listed, total } = step.value;
    if (total !== undefined && listed < total) {
      throw new IncompleteListingError(
        `The image list of annotation job ${annotationId} ended after ${listed} images, but the service counts ${total}; the job may have changed while listing, or the service stopped paging: list again`,
        { listed, expected: total, requestId },
      );
    }
    return;
  }
}
