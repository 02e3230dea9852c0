import { jobOf, success, type OperationHandler } from './types.js';

/** GET …/tags: the names carried by at least one image of the job. */
export const listTags: OperationHandler = {
  run(request) {
    return success({ tags: jobOf(request).images.tagIndex().tagNames() });
  },
};

/** GET …/tags/stats: images per tag, and tagged against untagged images. */
export const showTagStatistics: OperationHandler = {
  run(request) {
    const index = jobOf(request).images.tagIndex();
    return success({
      tag_count: index.tagNames().map((tag) => ({ tag, count: index.countOf(tag) })),
      tags_stat: [
        { has_tag: true, count: index.taggedCount },
        { has_tag: false, count: index.untaggedCount },
      ],
    });
  },
};
