import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { callSignal, forEachItem } from '../../helpers/annotation-job';
import { annotationJobFields, callOptions, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	...annotationJobFields,
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description:
			'Whether to wait until ModelArts reports the sync done (or failed) before the node continues, so the next node sees the new images',
	},
	{
		displayName: 'Time Limit (Seconds)',
		name: 'timeLimit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 600,
		description:
			'How long to wait for the sync. A sync still running then is an error; it goes on in ModelArts, and a later run sees its images.',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	optionsCollection([
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollInterval',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1,
			description: 'The first pause between two reads of the sync status; each pause doubles, up to 15 seconds',
		},
		...callOptions,
	]),
];

const displayOptions = { show: { resource: ['annotationJob'], operation: ['syncFromObs'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * Starts a re-sync of each job's images from its OBS folder and, with Wait for Completion, polls
 * the status with growing pauses until it is done. One item per input item: the final status.
 * A sync already running is joined, not started twice.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (client, itemIndex, job) => {
		const annotationId = job();
		const wait = this.getNodeParameter('waitForCompletion', itemIndex, true) === true;
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const pollSeconds = typeof options.pollInterval === 'number' ? options.pollInterval : 1;
		const status = await client.syncFromObs(annotationId, {
			wait,
			...(wait
				? {
						deadlineMs: Math.round((this.getNodeParameter('timeLimit', itemIndex, 600) as number) * 1000),
						pollIntervalMs: Math.round(pollSeconds * 1000),
						maxPollIntervalMs: Math.max(15_000, Math.round(pollSeconds * 1000)),
					}
				: {}),
			...callSignal(this),
		});
		const json: IDataObject = { annotation_id: annotationId, sync_status: status.state, sync_status_code: status.code };
		if (status.requestId) json.request_id = status.requestId;
		return [json];
	});
}
