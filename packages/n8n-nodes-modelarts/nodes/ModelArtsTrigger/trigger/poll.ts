import type { ModelArtsCoreClient } from '@modelarts-kit/client/core';
import type { IDataObject } from 'n8n-workflow';
import {
	countsOf,
	labelledIds,
	newUntaggedIds,
	type ProgressRule,
	progressEvent,
	tagChangeItem,
	tagChanges,
	tagFields,
	type TriggerEvent,
} from './events';
import { fetchImageTags, takeSnapshot } from './snapshot';
import { sameCounts, type TriggerState } from './state';

export interface PollSettings {
	annotationId: string;
	event: TriggerEvent;
	progress: ProgressRule;
	/** Tags Changed: list every image's tags at least every N polls even when the counts stay the same; 0: never. */
	fullCheckEvery: number;
	/** Tags Changed: keep each image's tags (for "before") instead of a digest. */
	keepPreviousTags: boolean;
	signal?: AbortSignal;
}

export interface PollOutcome {
	events: IDataObject[];
	state: TriggerState;
	/** Whether the image part of the state is the previous one, unchanged (it need not be encoded again). */
	imagesUnchanged: boolean;
}

/**
 * One poll: the job's statistics first; the image listings only when the counts changed since the
 * last poll (or a full check of Tags Changed is due); the events between the last poll and now, and
 * the state to commit once they are emitted. Nothing is written here: the caller commits `state`
 * after the whole poll succeeded. Without a state for this job and event, the poll only takes the
 * baseline and reports nothing.
 */
export async function pollJob(client: ModelArtsCoreClient, settings: PollSettings, stored: TriggerState | undefined): Promise<PollOutcome> {
	const { annotationId, event, signal } = settings;
	const call = signal ? { signal } : {};
	const key = `${annotationId}\u0000${event}${event === 'tagsChanged' && settings.keepPreviousTags ? '\u0000tags' : ''}`;
	const previous = stored?.key === key ? stored : undefined;
	const counts = countsOf(await client.getTagStatistics(annotationId, call));

	if (event === 'labellingProgress') {
		const item = previous ? progressEvent(annotationId, previous.counts, counts, settings.progress) : undefined;
		return { events: item ? [item] : [], state: { key, counts, pollsSinceFull: 0 }, imagesUnchanged: false };
	}

	const fullCheckDue =
		event === 'tagsChanged' && settings.fullCheckEvery > 0 && (previous?.pollsSinceFull ?? 0) + 1 >= settings.fullCheckEvery;
	if (previous?.images && sameCounts(previous.counts, counts) && !fullCheckDue) {
		return { events: [], state: { ...previous, pollsSinceFull: previous.pollsSinceFull + 1 }, imagesUnchanged: true };
	}

	const snapshot = await takeSnapshot(client, {
		annotationId,
		depth: event === 'tagsChanged' ? 'tags' : 'ids',
		keepTags: settings.keepPreviousTags,
		previous: previous?.images,
		signal,
	});
	const state: TriggerState = { key, counts, images: snapshot.images, pollsSinceFull: 0 };
	if (!previous?.images) return { events: [], state, imagesUnchanged: false };
	const before = previous.images;

	let events: IDataObject[];
	if (event === 'newUntaggedImages') {
		events = newUntaggedIds(before, snapshot.images).map((id) => ({
			event: 'newUntaggedImages',
			annotation_id: annotationId,
			image_id: id,
			...(snapshot.urls.has(id) ? { url: snapshot.urls.get(id) } : {}),
		}));
	} else if (event === 'imagesLabelled') {
		const ids = labelledIds(before, snapshot.images);
		const tags = await fetchImageTags(client, annotationId, ids, signal);
		// An image untagged again (or deleted) between the listing and tags/show is reported at its next labelling.
		events = ids
			.filter((id) => tags.get(id)?.tags.length)
			.map((id) => ({ event: 'imagesLabelled', annotation_id: annotationId, image_id: id, ...tagFields(tags.get(id)!) }));
		for (const id of ids) if (!tags.get(id)?.tags.length) snapshot.images.set(id, '');
	} else {
		events = tagChanges(before, snapshot.images).map((change) =>
			tagChangeItem(annotationId, change, before.get(change.id), snapshot.changed.get(change.id)),
		);
	}
	return { events, state, imagesUnchanged: false };
}
