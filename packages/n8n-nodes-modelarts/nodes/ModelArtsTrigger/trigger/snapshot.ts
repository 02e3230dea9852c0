import type { ImageTags, ModelArtsCoreClient } from '@modelarts-kit/client/core';
import { canonicalTags, digestOf } from './canonical';

/** A tagged image whose tags the listing mode did not fetch (Images Labelled, New Untagged Images need no digest). */
export const TAGGED = '#';

export interface Snapshot {
	/** Per image: '' untagged, TAGGED, a digest, or the canonical tags. */
	images: Map<string, string>;
	/** OBS URLs of untagged images, as listed. */
	urls: Map<string, string>;
	/** Tags fetched for images whose value differs from `previous` (full mode only). */
	changed: Map<string, ImageTags>;
}

export interface SnapshotRequest {
	annotationId: string;
	/** 'ids': listings only; 'tags': every tagged image's tags (list + tags/show). */
	depth: 'ids' | 'tags';
	/** Keep the canonical tags (for "before") instead of a digest. */
	keepTags: boolean;
	previous?: Map<string, string>;
	signal?: AbortSignal;
}

/**
 * Every image of the job, once. The untagged images are listed first, the tagged ones after: an
 * image labelled between the two listings then shows up in both (the tagged entry wins) instead of
 * in neither. Any failure (a listing, a tags batch) throws: a snapshot is whole or not at all.
 */
export async function takeSnapshot(client: ModelArtsCoreClient, request: SnapshotRequest): Promise<Snapshot> {
	const { annotationId, signal } = request;
	const call = signal ? { signal } : {};
	const images = new Map<string, string>();
	const urls = new Map<string, string>();
	const changed = new Map<string, ImageTags>();
	for await (const image of client.listImages({ annotationId, untagged: true }, call)) {
		images.set(image.imageId, '');
		if (image.url) urls.set(image.imageId, image.url);
	}
	if (request.depth === 'ids') {
		for await (const image of client.listImages({ annotationId }, call)) images.set(image.imageId, TAGGED);
		return { images, urls, changed };
	}
	for await (const batch of client.iterateAllImageTags(annotationId, { ...call, batchSize: 100, concurrency: 4 })) {
		if (batch.failed.length > 0) throw batch.failed[0]!.error;
		for (const image of batch.images) {
			const canonical = canonicalTags(image);
			const value = request.keepTags ? canonical : digestOf(canonical);
			images.set(image.imageId, value);
			urls.delete(image.imageId);
			if (request.previous?.get(image.imageId) !== value) changed.set(image.imageId, image);
		}
	}
	return { images, urls, changed };
}

/** The tags of some images (those just labelled), every one or an error. */
export async function fetchImageTags(
	client: ModelArtsCoreClient,
	annotationId: string,
	imageIds: string[],
	signal?: AbortSignal,
): Promise<Map<string, ImageTags>> {
	const found = new Map<string, ImageTags>();
	if (imageIds.length === 0) return found;
	const result = await client.getImageTags({ annotationId, imageIds }, { onError: 'collect', ...(signal ? { signal } : {}) });
	if (result.failed.length > 0) throw result.failed[0]!.error;
	for (const image of result.images) found.set(image.imageId, image);
	return found;
}
