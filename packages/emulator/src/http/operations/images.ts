import type { WireEntry } from '../../data/entries.js';
import type { LiveJob } from '../../state/emulator-state.js';
import { imageUrl } from '../../state/job-directory.js';
import { prepareTagWrites, type TagWrite } from '../../state/tag-writes.js';
import { errors } from '../error-catalog.js';
import { failure, jobOf, success, type OperationHandler } from './types.js';

/** An image as the image list and the validation data show it: its entry plus its OBS URI. */
export function listedImage(job: LiveJob, imageId: string, withSize: boolean): Record<string, unknown> {
  const { tags, ...rest } = job.images.entry(imageId) as WireEntry;
  const size = withSize && 'size' in rest ? { size: rest.size } : {};
  return { image_id: imageId, url: imageUrl(job.record, imageId), tags, ...size };
}

/** GET …/images: one page of the images a tag selects; a page costs its own size, however deep. */
export const listImages: OperationHandler = {
  run(request) {
    const job = jobOf(request);
    const tagName = request.query.tag_name as string | undefined;
    const perPage = request.query.per_page as number;
    const page = request.query.page as number;
    const selected = job.images.tagIndex().select(tagName);
    const start = page * perPage;
    // Built from the entries' cached JSON text, as tags/show is: the same fields as listedImage, without
    // parsing and re-serialising each entry (which made a page cost more than a tags/show batch).
    const images = selected.slice(start, start + perPage).map((imageId) => {
      const fragment = job.images.fragment(imageId) as string;
      return `{"url":${JSON.stringify(imageUrl(job.record, imageId))},${fragment.slice(1)}`;
    });
    return { ok: true, body: `{"is_success":true,"image_count":${selected.length},"images":[${images.join(',')}]}` };
  },
};

/** GET …/images/{image_id}/tags: classification answers `image_id` and `tags`, detection `tags` and `size`. */
export const showImageTag: OperationHandler = {
  run(request) {
    const job = jobOf(request);
    const imageId = request.path.image_id as string;
    const entry = job.images.entry(imageId);
    if (!entry) return failure(errors.imageNotFound(imageId, job.record.dlsId));
    if (job.images.type === 'classification') return success({ image_id: imageId, tags: entry.tags });
    return success({ tags: entry.tags, ...('size' in entry ? { size: entry.size } : {}) });
  },
};

interface UpdateBody {
  images: TagWrite[];
  size?: number[];
}

/** PUT …/images: sets the tags of every image of the body, or of none when one is wrong. */
export const updateImageTags: OperationHandler = {
  batch: (request) => (request.body as UpdateBody).images.map((image) => image.image_id),
  batchField: 'images',
  run(request) {
    const job = jobOf(request);
    const body = request.body as UpdateBody;
    const prepared = prepareTagWrites(job.images, body.images, body.size);
    if (!prepared.ok) return failure(errors.badRequest(prepared.message));
    job.images.write(prepared.entries);
    return success();
  },
};

/** POST …/images/delete: removes the images; IDs the job does not hold are ignored. */
export const deleteImages: OperationHandler = {
  batch: (request) => (request.body as { image_id: string[] }).image_id,
  run(request) {
    jobOf(request).images.delete((request.body as { image_id: string[] }).image_id);
    return success();
  },
};

/** DELETE …/images/{image_id}: removes one image; an image the job does not hold is a 404. */
export const deleteImage: OperationHandler = {
  batch: (request) => [request.path.image_id as string],
  run(request) {
    const job = jobOf(request);
    const imageId = request.path.image_id as string;
    if (job.images.delete([imageId]) === 0) return failure(errors.imageNotFound(imageId, job.record.dlsId));
    return success();
  },
};
