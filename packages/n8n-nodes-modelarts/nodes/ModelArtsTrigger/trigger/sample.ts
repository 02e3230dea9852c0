import type { ModelArtsCoreClient } from '@modelarts-kit/client/core';
import type { IDataObject } from 'n8n-workflow';
import { countsOf, progressEvent, tagChangeItem, tagFields } from './events';
import type { PollSettings } from './poll';
import { fetchImageTags } from './snapshot';
import type { TriggerState } from './state';

/** Images a test event shows. */
const SAMPLE_SIZE = 3;

async function firstImages(client: ModelArtsCoreClient, annotationId: string, untagged: boolean, signal?: AbortSignal) {
	const images = [];
	const options = { perPage: SAMPLE_SIZE, ...(signal ? { signal } : {}) };
	const listing = untagged ? client.listImages({ annotationId, untagged: true }, options) : client.listImages({ annotationId }, options);
	for await (const image of listing) {
		images.push(image);
		if (images.length >= SAMPLE_SIZE) break;
	}
	return images;
}

/**
 * "Fetch Test Event" in the editor: the event as it would look, made from the job's current data
 * (its first images, its statistics), so the fields downstream nodes map are real ones. Reads only:
 * the saved state is neither used for the decision nor changed.
 */
export async function sampleEvents(
	client: ModelArtsCoreClient,
	settings: PollSettings,
	stored: TriggerState | undefined,
): Promise<IDataObject[]> {
	const { annotationId, event, signal } = settings;
	if (event === 'labellingProgress') {
		const counts = countsOf(await client.getTagStatistics(annotationId, signal ? { signal } : {}));
		const before = stored?.counts ?? { ...counts, tagged: Math.max(0, counts.tagged - 1), untagged: counts.untagged + 1 };
		return [progressEvent(annotationId, before, counts, { emitOn: 'change', threshold: settings.progress.threshold }) ?? {}];
	}
	if (event === 'newUntaggedImages') {
		return (await firstImages(client, annotationId, true, signal)).map((image) => ({
			event,
			annotation_id: annotationId,
			image_id: image.imageId,
			...(image.url ? { url: image.url } : {}),
		}));
	}
	const ids = (await firstImages(client, annotationId, false, signal)).map((image) => image.imageId);
	const tags = await fetchImageTags(client, annotationId, ids, signal);
	return ids
		.filter((id) => tags.has(id))
		.map((id) =>
			event === 'imagesLabelled'
				? { event, annotation_id: annotationId, image_id: id, ...tagFields(tags.get(id)!) }
				: tagChangeItem(annotationId, { id, kind: 'changed' }, stored?.images?.get(id), tags.get(id)),
		);
}
