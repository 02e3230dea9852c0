import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { collectRequests, failureDetails, fetchTags, readSettings, throwFirstFailure } from '../../helpers/fetch-tags';
import { parseSingleImageIdList } from '../../helpers/image-ids';
import { hintMissingImages } from '../../helpers/missing-hint';
import { HOW_TO_IMAGE_ID, imageIdReader, type ImageIdSource } from '../../helpers/input-field';
import { imageRecord, missingRecord } from '../../helpers/output';
import { annotationJobFields, requestOptions } from '../common.descriptions';

const properties: INodeProperties[] = [
	...annotationJobFields,
	{
		displayName: 'Image ID From',
		name: 'imageIdSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Expression or Value',
				value: 'parameter',
				description: 'Give the ID in Image ID, as a value or as an expression that n8n evaluates for each item',
			},
			{
				name: 'Input Field',
				value: 'field',
				description: 'Read the ID from a field of each input item. Much faster than an expression for thousands of items.',
			},
		],
		default: 'parameter',
		description: 'Where the image ID of each input item comes from',
		// A tool has no input items to read a field from: the model passes the ID.
		displayOptions: { hide: { '@tool': [true] } },
	},
	{
		displayName: 'Image ID',
		name: 'imageId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.image_id }}',
		description:
			'The image whose tags to get. Each input item names one image; the images of all items are still fetched together in batches.',
		hint: 'The 32-character ID ModelArts gives each image of the job (its sample ID)',
		displayOptions: { show: { imageIdSource: ['parameter'] }, hide: { '@tool': [true] } },
	},
	{
		displayName: 'Image ID',
		name: 'imageId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a99',
		description:
			'The ID of the one image whose tags to get: the 32-character hexadecimal ID ModelArts gives each image (sample) of the job',
		displayOptions: { show: { '@tool': [true] } },
	},
	{
		displayName: 'Input Field Name',
		name: 'imageIdField',
		type: 'string',
		required: true,
		default: 'image_id',
		placeholder: 'e.g. data.image_id',
		description:
			'The field of each input item that holds the ID of its image. The images of all items are still fetched together in batches.',
		hint: 'A field name, or a dot path such as data.image_id for a nested field',
		displayOptions: { show: { imageIdSource: ['field'] } },
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

const displayOptions = { show: { resource: ['image'], operation: ['getTag'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** Where each item's image ID comes from: the Image ID parameter (evaluated per item) or an input field. */
const IMAGE_ID: ImageIdSource = {
	source: 'imageIdSource',
	parameter: 'imageId',
	field: 'imageIdField',
	what: 'the image ID',
	howTo: HOW_TO_IMAGE_ID,
};

/** One output item per input item: the tags of the image it named. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const settings = readSettings(this);
	const readId = imageIdReader(this, items, IMAGE_ID, parseSingleImageIdList);
	const { requests, errorItems } = collectRequests(this, items, readId);
	const fetched = await fetchTags(this, requests, settings);
	if (!this.continueOnFail()) throwFirstFailure(this, fetched);

	if (!settings.includeMissing) hintMissingImages(this, fetched);
	const output: INodeExecutionData[] = [...errorItems];
	for (const { itemIndex, annotationId, imageIds } of requests) {
		const outcome = fetched.lookup(annotationId, imageIds[0]!);
		const pairedItem = { item: itemIndex };
		if (outcome.error) output.push({ json: failureDetails(outcome, fetched.scrub), pairedItem });
		else if (outcome.image) output.push({ json: imageRecord(outcome, settings), pairedItem });
		else if (settings.includeMissing) output.push({ json: missingRecord(outcome, settings), pairedItem });
	}
	return output;
}
