import type { BoundingBox, ImageTags, ImageTagsInput } from '@modelarts-kit/client/core';
import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { callSignal, clientForRun } from '../../helpers/annotation-job';
import { collectRequests, readSettings, type ItemRequest } from '../../helpers/fetch-tags';
import { InvalidParameterError, parseSingleImageIdList } from '../../helpers/image-ids';
import { HOW_TO_IMAGE_ID, inputFieldReader, parseFieldName, readInputField } from '../../helpers/input-field';
import { imageRecord } from '../../helpers/output';
import { parseBoxes, parseSize, parseTagNames, sameSize } from '../../helpers/tag-values';
import { failuresOf, imagesInJob, writeChecked, WriteOutput } from '../../helpers/write-items';
import { annotationJobFields, fetchOptions, optionsCollection } from '../common.descriptions';

const TOOL_REFUSAL = 'Update Tags reads the tags from the fields of input items, which a tool call does not have';

const fieldName = (displayName: string, name: string, value: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	required: true,
	default: value,
	placeholder: `e.g. ${value}`,
	description,
	hint: 'A field name, or a dot path such as data.tags for a nested field',
});

const properties: INodeProperties[] = [
	{
		displayName: 'Replaces the tags of each image with the ones its input item holds. The output of Get Tags fits as it is.',
		name: 'updateNotice',
		type: 'notice',
		default: '',
	},
	...annotationJobFields,
	fieldName('Image ID Field', 'imageIdField', 'image_id', 'The field of each input item that holds the ID of its image'),
	fieldName(
		'Tags Field (Classification)',
		'tagsField',
		'tags',
		'Image classification jobs: the field that holds the tag names, a list (or text separated by commas). An empty list removes the tags.',
	),
	fieldName(
		'Boxes Field (Object Detection)',
		'boxesField',
		'boxes',
		'Object detection jobs: the field that holds the boxes, a list of { tag, xmin, ymin, xmax, ymax } (or { tag, pos: [xmin, ymin, xmax, ymax] }). An empty list removes the boxes.',
	),
	fieldName(
		'Size Field (Object Detection)',
		'sizeField',
		'size',
		'Object detection jobs: the field that may hold the image size ({ width, height }). Without it the size ModelArts has is used; the boxes must lie inside it.',
	),
	optionsCollection(fetchOptions),
];

const displayOptions = { show: { resource: ['image'], operation: ['updateTags'] } };

export const description = updateDisplayOptions(displayOptions, properties);

interface Entry {
	itemIndex: number;
	annotationId: string;
	jobType: ImageTags['type'];
	input: ImageTagsInput;
}

/** The tags an item gives for its image, in the shape of the image's job (names or boxes). */
function inputOf(ctx: IExecuteFunctions, items: INodeExecutionData[], request: ItemRequest, image: ImageTags): ImageTagsInput {
	const json = items[request.itemIndex]!.json;
	const field = (name: string): string => parseFieldName(ctx.getNodeParameter(name, request.itemIndex));
	const imageId = request.imageIds[0]!;
	if (image.type === 'classification') {
		const tagsField = field('tagsField');
		return { imageId, tags: parseTagNames(readInputField(json, tagsField), tagsField) };
	}
	const boxesField = field('boxesField');
	const sizeField = field('sizeField');
	const tags = parseBoxes(readInputField(json, boxesField), boxesField);
	const given = parseSize(safeRead(json, sizeField), sizeField);
	if (given && image.size && !sameSize(given, image.size)) {
		throw new InvalidParameterError(
			`The size in "${sizeField}" (${given.width} x ${given.height}) is not the size of image ${imageId} in ModelArts (${image.size.width} x ${image.size.height})`,
			'ModelArts refuses another size. Leave the size out to use the one ModelArts has.',
		);
	}
	const size = given ?? image.size;
	return size ? { imageId, tags, size } : { imageId, tags };
}

/** An optional field: absent is fine (unlike the image ID, tags and boxes). */
function safeRead(json: INodeExecutionData['json'], path: string): unknown {
	try {
		return readInputField(json, path);
	} catch {
		return undefined;
	}
}

/**
 * Writes the tags of the images the items name, one item per image: every image is checked to be
 * in the job (one batched read), every item's tags are checked (names for classification, boxes
 * inside the image for detection), then all are written with batched requests. One output item
 * per input item: the tags written, or its error.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	if (this.getNode().type.endsWith('Tool')) {
		throw new NodeOperationError(this.getNode(), `${TOOL_REFUSAL}: it does not run as a tool`, {
			description: 'Use Update Tags as a node in a workflow, after the node that makes the tags.',
		});
	}
	const settings = readSettings(this);
	const readIdField = inputFieldReader(this, items, 'imageIdField', HOW_TO_IMAGE_ID);
	const { requests, errorItems } = collectRequests(this, items, (itemIndex) => parseSingleImageIdList(readIdField(itemIndex)));
	const output = new WriteOutput(this, errorItems);
	const { present, fetched } = await imagesInJob(this, requests, settings, output);

	const byJob = new Map<string, Entry[]>();
	for (const request of present) {
		const image = fetched.lookup(request.annotationId, request.imageIds[0]!).image!;
		try {
			const input = inputOf(this, items, request, image);
			const entry: Entry = { itemIndex: request.itemIndex, annotationId: request.annotationId, jobType: image.type, input };
			byJob.set(request.annotationId, [...(byJob.get(request.annotationId) ?? []), entry]);
		} catch (error) {
			output.fail(request.itemIndex, error, fetched.scrub, { annotation_id: request.annotationId, image_id: request.imageIds[0]! });
		}
	}
	if (byJob.size === 0) return output.items();

	const { client, scrub } = await clientForRun(this);
	for (const [annotationId, entries] of byJob) {
		const details = (entry: Entry) => ({ annotation_id: annotationId, image_id: entry.input.imageId });
		const write = await writeChecked(
			entries,
			output,
			scrub,
			async (pending) =>
				await client.setImageTags(
					annotationId,
					pending.map((entry) => entry.input),
					{ onError: 'collect', batchSize: settings.batchSize, ...callSignal(this) },
				),
			details,
		);
		if (!write) continue;
		const failures = failuresOf(write.result);
		for (const entry of write.written) {
			const failure = failures.get(entry.input.imageId);
			if (failure) output.fail(entry.itemIndex, failure, scrub, details(entry));
			else output.push({ annotation_id: annotationId, ...writtenRecord(entry) }, entry.itemIndex);
		}
	}
	return output.items();
}

/** What was written, in Get Tags' shape. */
function writtenRecord(entry: Entry) {
	const { input, jobType } = entry;
	const image: ImageTags =
		jobType === 'detection'
			? {
					type: 'detection',
					imageId: input.imageId,
					tags: (input.tags as { tag: string; box: BoundingBox }[]).map(({ tag, box }) => ({ tag, box, extra: {} })),
					...('size' in input && input.size ? { size: input.size } : {}),
					extra: {},
				}
			: { type: 'classification', imageId: input.imageId, tags: input.tags as string[], extra: {} };
	return imageRecord(
		{ annotationId: entry.annotationId, imageId: input.imageId, itemIndexes: [entry.itemIndex], image, jobType },
		{ simplify: true, includeMissing: false },
	);
}
