import { mergeImageIds } from '@modelarts-kit/client/core';
import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { callSignal, clientForRun } from '../../helpers/annotation-job';
import { collectRequests, readSettings, type ItemRequest } from '../../helpers/fetch-tags';
import { parseImageIds } from '../../helpers/image-ids';
import { imageIdReader } from '../../helpers/input-field';
import { failuresOf, imagesInJob, WriteOutput } from '../../helpers/write-items';
import { annotationJobFields, fetchOptions, optionsCollection } from '../common.descriptions';
import { IMAGE_IDS, imageIdsProperties } from '../image-ids.descriptions';

const TOOL_REFUSAL = 'Delete removes images from an annotation job for good, which a model is not trusted to decide';

const properties: INodeProperties[] = [
	{
		displayName:
			'Removes the images from the annotation job, with their tags. This cannot be undone: the files stay in OBS, but a sync from OBS brings them back untagged.',
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
	...annotationJobFields,
	...imageIdsProperties,
	optionsCollection(fetchOptions),
];

const displayOptions = { show: { resource: ['image'], operation: ['delete'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * Removes the images the items name from their job: every image is checked to be in the job first
 * (so a typo fails its item, and nothing of it is deleted), then the IDs of all items are deleted
 * with batched requests. One output item per input item: the IDs deleted, or its error.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	// Deleting is irreversible: a workflow author decides it, not a model's tool call.
	if (this.getNode().type.endsWith('Tool')) {
		throw new NodeOperationError(this.getNode(), `${TOOL_REFUSAL}: it does not run as a tool`, {
			description: 'Use Delete as a node in a workflow, e.g. after Check Labels, where its input can be reviewed.',
		});
	}
	const settings = readSettings(this);
	const { requests, errorItems } = collectRequests(this, items, imageIdReader(this, items, IMAGE_IDS, parseImageIds));
	const output = new WriteOutput(this, errorItems);
	const { present } = await imagesInJob(this, requests, settings, output);
	const byJob = new Map<string, ItemRequest[]>();
	for (const request of present) byJob.set(request.annotationId, [...(byJob.get(request.annotationId) ?? []), request]);
	if (byJob.size === 0) return output.items();

	const { client, scrub } = await clientForRun(this);
	for (const [annotationId, jobRequests] of byJob) {
		const imageIds = mergeImageIds(jobRequests.map((request) => request.imageIds));
		const result = await client.deleteImages(annotationId, imageIds, {
			onError: 'collect',
			batchSize: settings.batchSize,
			...callSignal(this),
		});
		const failures = failuresOf(result);
		for (const { itemIndex, imageIds: ids } of jobRequests) {
			const failed = ids.find((imageId) => failures.has(imageId));
			const details = { annotation_id: annotationId, image_ids: [...ids] };
			if (failed) output.fail(itemIndex, failures.get(failed), scrub, details);
			else output.push({ ...details, deleted: ids.length }, itemIndex);
		}
	}
	return output.items();
}
