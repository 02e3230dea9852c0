import type { ImageTagsResult, ModelArtsClient } from '@modelarts-kit/client';

/**
 * The tags of every image of a job, collected (export and check need them all at once): the tagged
 * images, then the untagged ones, each listed and fetched by the client's getAllImageTags; an image
 * that moved between the two listings is kept once. Listing errors are thrown.
 */
export async function fetchWholeJob(
  client: ModelArtsClient,
  annotationId: string,
  onProgress?: (done: number, total: number) => void,
): Promise<ImageTagsResult> {
  const tagged = await client.getAllImageTags(annotationId, {
    onError: 'collect',
    ...(onProgress ? { onProgress: ({ done, total }: { done: number; total: number }) => onProgress(done, total) } : {}),
  });
  const before = tagged.images.length + tagged.missing.length + tagged.failed.length;
  const untagged = await client.getAllImageTags(annotationId, {
    untagged: true,
    onError: 'collect',
    ...(onProgress ? { onProgress: ({ done, total }: { done: number; total: number }) => onProgress(before + done, before + total) } : {}),
  });
  const seen = new Set(tagged.images.map((image) => image.imageId));
  const result = {
    jobType: tagged.jobType === 'unknown' ? untagged.jobType : tagged.jobType,
    images: [...tagged.images, ...untagged.images.filter((image) => !seen.has(image.imageId))],
    missing: [...tagged.missing, ...untagged.missing],
    failed: [...tagged.failed, ...untagged.failed],
    requestIds: [...tagged.requestIds, ...untagged.requestIds],
  };
  // As in the client's results: the per-ID view is not enumerable, so JSON of the result stays the same.
  return Object.defineProperty(result, 'outcomes', {
    enumerable: false,
    get: () => [...tagged.outcomes, ...untagged.outcomes.filter((outcome) => !(outcome.status === 'found' && seen.has(outcome.imageId)))],
  }) as ImageTagsResult;
}
