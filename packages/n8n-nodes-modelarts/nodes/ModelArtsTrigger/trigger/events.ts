import type { ImageTags, TagStatistics } from '@modelarts-kit/client/core';
import type { IDataObject } from 'n8n-workflow';
import { imageRecord } from '../../ModelArts/v1/helpers/output';
import { storedDigest, tagsFromCanonical } from './canonical';
import type { Counts } from './state';

export type TriggerEvent = 'imagesLabelled' | 'tagsChanged' | 'labellingProgress' | 'newUntaggedImages';

export function countsOf(statistics: TagStatistics): Counts {
	const tags: Record<string, number> = {};
	for (const { tag, count } of statistics.tags) tags[tag] = count;
	return { tagged: statistics.tagged ?? 0, untagged: statistics.untagged ?? 0, tags };
}

export const percentLabelled = (counts: Counts): number => {
	const total = counts.tagged + counts.untagged;
	return total === 0 ? 0 : Math.round((counts.tagged / total) * 10_000) / 100;
};

/** The tags of an image as every event shows them: tags (names), and boxes and size for detection. */
export function tagFields(image: ImageTags): IDataObject {
	const fields = imageRecord(
		{ annotationId: '', imageId: image.imageId, itemIndexes: [], image, jobType: image.type },
		{ simplify: true, includeMissing: false },
	);
	delete fields.image_id;
	return fields;
}

export interface ProgressRule {
	/** 'change': every change of the counts; 'threshold': only when the labelled share reaches `threshold`. */
	emitOn: 'change' | 'threshold';
	threshold: number;
}

/** The Labelling Progress event between two polls' counts, or nothing. */
export function progressEvent(annotationId: string, before: Counts, after: Counts, rule: ProgressRule): IDataObject | undefined {
	const [was, now] = [percentLabelled(before), percentLabelled(after)];
	const crossed = was < rule.threshold && now >= rule.threshold;
	const changed = JSON.stringify(before) !== JSON.stringify(after);
	if (rule.emitOn === 'threshold' ? !crossed : !changed) return undefined;
	const tagDelta: Record<string, number> = {};
	for (const name of new Set([...Object.keys(before.tags), ...Object.keys(after.tags)])) {
		const delta = (after.tags[name] ?? 0) - (before.tags[name] ?? 0);
		if (delta !== 0) tagDelta[name] = delta;
	}
	return {
		event: 'labellingProgress',
		annotation_id: annotationId,
		tagged: after.tagged,
		untagged: after.untagged,
		total: after.tagged + after.untagged,
		percent_labelled: now,
		tag_counts: after.tags,
		previous: { tagged: before.tagged, untagged: before.untagged, percent_labelled: was },
		tag_count_changes: tagDelta,
		threshold: rule.threshold,
		threshold_crossed: crossed,
	};
}

/** Images that had no tags (or were not in the job) at the last poll and have tags now. */
export function labelledIds(before: Map<string, string>, after: Map<string, string>): string[] {
	const ids: string[] = [];
	for (const [id, value] of after) if (value !== '' && (before.get(id) ?? '') === '') ids.push(id);
	return ids;
}

/** Images that were not in the job at the last poll and have no tags. */
export function newUntaggedIds(before: Map<string, string>, after: Map<string, string>): string[] {
	const ids: string[] = [];
	for (const [id, value] of after) if (value === '' && !before.has(id)) ids.push(id);
	return ids;
}

export type ChangeKind = 'labelled' | 'changed' | 'cleared' | 'added';

/**
 * Images whose tags differ from the last poll: labelled (had none), changed, cleared (have none now),
 * added (new in the job, with tags). Images that left the job are not reported.
 */
export function tagChanges(before: Map<string, string>, after: Map<string, string>): { id: string; kind: ChangeKind }[] {
	const changes: { id: string; kind: ChangeKind }[] = [];
	for (const [id, value] of after) {
		const previous = before.get(id);
		if (previous === undefined) {
			if (value !== '') changes.push({ id, kind: 'added' });
			continue;
		}
		if (storedDigest(previous) === storedDigest(value)) continue;
		changes.push({ id, kind: previous === '' ? 'labelled' : value === '' ? 'cleared' : 'changed' });
	}
	return changes;
}

/** One Tags Changed item: before (when the state kept the tags) and after. */
export function tagChangeItem(
	annotationId: string,
	change: { id: string; kind: ChangeKind },
	previous: string | undefined,
	image: ImageTags | undefined,
): IDataObject {
	const before = previous === undefined ? null : (tagsFromCanonical(previous) ?? null);
	const after = image ? tagFields(image) : { tags: [] };
	delete after.job_type;
	return {
		event: 'tagsChanged',
		annotation_id: annotationId,
		image_id: change.id,
		change: change.kind,
		before,
		after,
		...(image ? { job_type: image.type } : {}),
	};
}
