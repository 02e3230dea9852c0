import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import {
	collectRequests,
	failureDetails,
	fetchTags,
	readSettings,
	throwFirstFailure,
} from '../../helpers/fetch-tags';
import { parseSingleImageId } from '../../helpers/image-ids';
import { imageRecord, missingRecord } from '../../helpers/output';
import { annotationIdField, requestOptions } from '../common.descriptions';

const properties: INodeProperties[] = [
	annotationIdField,
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

/** One output item per input item: the tags of the image it named. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const settings = readSettings(this);
	const { requests, errorItems } = collectRequests(this, items, (itemIndex) => [
		parseSingleImageId(this.getNodeParameter('imageId', itemIndex)),
	]);
	const fetched = await fetchTags(this, requests, settings);
	if (!this.continueOnFail()) throwFirstFailure(this, fetched);

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
