import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';
import {
	collectRequests,
	failureDetails,
	fetchTags,
	pairedItemOf,
	readSettings,
	throwFirstFailure,
	type FetchOutcome,
	type ImageOutcome,
	type ItemRequest,
	type TagSettings,
} from '../../helpers/fetch-tags';
import { parseImageIds } from '../../helpers/image-ids';
import { hintMissingImages } from '../../helpers/missing-hint';
import { imageIdReader } from '../../helpers/input-field';
import { boxRecords, imageRecord, missingRecord, type OutputMode } from '../../helpers/output';
import { annotationJobFields, requestOptions } from '../common.descriptions';
import { IMAGE_IDS, imageIdsProperties } from '../image-ids.descriptions';

const PER_BOX: INodePropertyOptions = {
	name: 'One Item per Box (Detection Only)',
	value: 'perBox',
	description: 'One item per bounding box of an object detection job, with its image ID, tag and corners, for filtering',
};
const PER_IMAGE: INodePropertyOptions = {
	name: 'One Item per Image',
	value: 'perImage',
	description:
		'One item per image with its tags (and boxes and size for object detection). An image asked for by several input items is output once, linked to all of them.',
};
const PER_ITEM: INodePropertyOptions = {
	name: 'One Item per Input Item',
	value: 'perItem',
	description: 'One item per input item, holding the images it asked for',
};

const properties: INodeProperties[] = [
	...annotationJobFields,
	...imageIdsProperties,
	{
		displayName: 'Output',
		name: 'outputMode',
		type: 'options',
		options: [PER_BOX, PER_IMAGE, PER_ITEM],
		default: 'perImage',
		displayOptions: { hide: { '@tool': [true] } },
	},
	{
		// A tool call is one request from the model: "per input item" means nothing there.
		displayName: 'Output',
		name: 'outputMode',
		type: 'options',
		options: [PER_BOX, PER_IMAGE],
		default: 'perImage',
		displayOptions: { show: { '@tool': [true] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: requestOptions,
	},
];

const OUTPUT_MODES: readonly OutputMode[] = ['perImage', 'perItem', 'perBox'];

const displayOptions = { show: { resource: ['image'], operation: ['getTags'] } };

export const description = updateDisplayOptions(displayOptions, properties);

function errorItem(outcome: ImageOutcome, fetched: FetchOutcome): INodeExecutionData {
	return { json: failureDetails(outcome, fetched.scrub), pairedItem: pairedItemOf(outcome.itemIndexes) };
}

function perImage(fetched: FetchOutcome, settings: TagSettings): INodeExecutionData[] {
	const output: INodeExecutionData[] = [];
	for (const outcome of fetched.images) {
		const pairedItem = pairedItemOf(outcome.itemIndexes);
		if (outcome.error) output.push(errorItem(outcome, fetched));
		else if (outcome.image) output.push({ json: imageRecord(outcome, settings), pairedItem });
		else if (settings.includeMissing) output.push({ json: missingRecord(outcome, settings), pairedItem });
	}
	return output;
}

function perBox(ctx: IExecuteFunctions, fetched: FetchOutcome, settings: TagSettings): INodeExecutionData[] {
	const classificationJobs = new Set(
		fetched.images.filter((outcome) => outcome.jobType === 'classification').map((outcome) => outcome.annotationId),
	);
	const output: INodeExecutionData[] = [];
	for (const outcome of fetched.images) {
		const pairedItem = pairedItemOf(outcome.itemIndexes);
		if (classificationJobs.has(outcome.annotationId)) {
			const message = `Annotation job ${outcome.annotationId} is an image classification job: it has no boxes to output one item per box`;
			if (!ctx.continueOnFail()) {
				throw new NodeOperationError(ctx.getNode(), message, {
					itemIndex: outcome.itemIndexes[0],
					description: 'Choose "One Item per Image" or "One Item per Input Item" for classification jobs.',
				});
			}
			output.push({ json: { annotation_id: outcome.annotationId, image_id: outcome.imageId, error: message }, pairedItem });
		} else if (outcome.error) output.push(errorItem(outcome, fetched));
		else if (outcome.image) {
			for (const json of boxRecords(outcome, settings)) output.push({ json, pairedItem });
		} else if (settings.includeMissing) output.push({ json: missingRecord(outcome, settings), pairedItem });
	}
	return output;
}

function perItem(requests: ItemRequest[], fetched: FetchOutcome, settings: TagSettings): INodeExecutionData[] {
	return requests.map(({ itemIndex, annotationId, imageIds }) => {
		const outcomes = imageIds.map((imageId) => fetched.lookup(annotationId, imageId));
		const images: IDataObject[] = [];
		const missing: string[] = [];
		const failed: IDataObject[] = [];
		for (const outcome of outcomes) {
			if (outcome.error) failed.push(failureDetails(outcome, fetched.scrub));
			else if (outcome.image) images.push(imageRecord(outcome, settings));
			else {
				missing.push(outcome.imageId);
				if (settings.includeMissing) images.push(missingRecord(outcome, settings));
			}
		}
		const json: IDataObject = settings.simplify
			? { job_type: outcomes[0]!.jobType, images, missing }
			: { annotation_id: annotationId, job_type: outcomes[0]!.jobType, image_ids: imageIds, images, missing };
		if (failed.length > 0) {
			json.error = `${failed.length} of ${imageIds.length} image IDs failed: ${String(failed[0]!.error)}`;
			json.failed = failed;
		}
		return { json, pairedItem: { item: itemIndex } };
	});
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const settings = readSettings(this);
	const outputMode = this.getNodeParameter('outputMode', 0, 'perImage') as OutputMode;
	if (!OUTPUT_MODES.includes(outputMode)) {
		throw new NodeOperationError(this.getNode(), `Unknown output mode "${String(outputMode)}"`);
	}
	const { requests, errorItems } = collectRequests(this, items, imageIdReader(this, items, IMAGE_IDS, parseImageIds));
	const fetched = await fetchTags(this, requests, settings);
	if (!this.continueOnFail()) throwFirstFailure(this, fetched);

	// One Item per Input Item lists them in each item's `missing` field.
	if (!settings.includeMissing && outputMode !== 'perItem') hintMissingImages(this, fetched);
	switch (outputMode) {
		case 'perItem':
			return [...errorItems, ...perItem(requests, fetched, settings)];
		case 'perBox':
			return [...errorItems, ...perBox(this, fetched, settings)];
		default:
			return [...errorItems, ...perImage(fetched, settings)];
	}
}
