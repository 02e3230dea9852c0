import { jobOf, type OperationHandler, type OperationRequest } from './types.js';

// Asking twice for one image gets it once, as from a database lookup.
const uniqueIds = (request: OperationRequest): string[] => [...new Set((request.body as { image_id: string[] }).image_id)];

/** POST …/tags/show: the entries of the known images, in request order; unknown IDs are left out. */
export const showImageTags: OperationHandler = {
  batch: uniqueIds,
  // The set of IDs alone decides the draw, so a retried batch gets a fresh one whatever else changed.
  faultKey: (request) => uniqueIds(request).join('\n'),
  run(request) {
    const images = jobOf(request).images;
    const fragments: string[] = [];
    for (const imageId of uniqueIds(request)) {
      const fragment = images.fragment(imageId);
      if (fragment !== undefined) fragments.push(fragment);
    }
    return { ok: true, body: `{"is_success":true,"images_tags":[${fragments.join(',')}]}` };
  },
};
