import type { DetectionBox, ImageTags } from '@modelarts-kit/client/core';
import type { IDataObject } from 'n8n-workflow';
import type { ImageOutcome, TagSettings } from './fetch-tags';

export type OutputMode = 'perImage' | 'perItem' | 'perBox';

type RecordSettings = Pick<TagSettings, 'simplify' | 'includeMissing'>;

function box(tag: DetectionBox, simplify: boolean): IDataObject {
	const { xmin, ymin, xmax, ymax } = tag.box;
	return simplify ? { tag: tag.tag, xmin, ymin, xmax, ymax } : { ...tag.extra, tag: tag.tag, xmin, ymin, xmax, ymax };
}

function size(image: ImageTags): IDataObject | undefined {
	if (image.type !== 'detection' || !image.size) return undefined;
	return { ...image.size };
}

/**
 * One image as an output record. Simplified: image_id, job_type, tags (the
 * tag names; for detection each name once, in box order), size and boxes
 * for detection. Raw: also the job ID, `found`, and every field ModelArts
 * sent that the client does not model, untouched.
 */
export function imageRecord(outcome: ImageOutcome, settings: RecordSettings): IDataObject {
	const image = outcome.image!;
	const record: IDataObject = settings.simplify
		? { image_id: image.imageId, job_type: image.type }
		: { ...image.extra, annotation_id: outcome.annotationId, image_id: image.imageId, job_type: image.type, found: true };
	if (settings.simplify && settings.includeMissing) record.found = true;
	if (image.type === 'classification') {
		record.tags = [...image.tags];
	} else {
		record.tags = [...new Set(image.tags.map((tag) => tag.tag))];
		record.boxes = image.tags.map((tag) => box(tag, settings.simplify));
		const dimensions = size(image);
		if (dimensions) record.size = dimensions;
	}
	return record;
}

/**
 * An ID the job does not contain (only output with Include Missing Images), with the fields of a
 * found image of the job, empty: the table view shows them side by side, with no cell left undefined.
 */
export function missingRecord(outcome: ImageOutcome, settings: RecordSettings): IDataObject {
	const record: IDataObject = settings.simplify
		? { image_id: outcome.imageId, job_type: outcome.jobType, found: false, tags: [] }
		: { annotation_id: outcome.annotationId, image_id: outcome.imageId, job_type: outcome.jobType, found: false, tags: [] };
	if (outcome.jobType === 'detection') {
		record.boxes = [];
		record.size = null;
	}
	return record;
}

/** One item per detection box, flat, for filtering by tag or box downstream. */
export function boxRecords(outcome: ImageOutcome, settings: RecordSettings): IDataObject[] {
	const image = outcome.image!;
	if (image.type !== 'detection') return [];
	const dimensions = size(image);
	return image.tags.map((tag, boxIndex) => {
		const record: IDataObject = settings.simplify
			? { image_id: image.imageId, box_index: boxIndex, ...box(tag, true) }
			: { annotation_id: outcome.annotationId, image_id: image.imageId, job_type: 'detection', box_index: boxIndex, ...box(tag, false) };
		if (dimensions) record.size = dimensions;
		return record;
	});
}
