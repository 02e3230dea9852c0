import type { INodeProperties } from 'n8n-workflow';

export const annotationIdField: INodeProperties = {
	displayName: 'Annotation Job ID',
	name: 'annotationId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 282',
	description: 'ID of the manual annotation (labelling) job whose tags to read. It must belong to the project set in the credential.',
	hint: 'ModelArts console > Data Labeling (under Data Management): open the job; its ID is in the job details and at the end of the page URL',
};

/** Shared by both operations; each adds the options that only make sense for it. */
export const requestOptions: INodeProperties[] = [
	{
		displayName: 'Batch Size',
		name: 'batchSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1000 },
		default: 100,
		description: 'Image IDs per request. IDs of all input items are pooled and split into requests of this size.',
	},
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 32 },
		default: 8,
		description: 'Requests in flight at once. Lower it if ModelArts answers 429 (throttled).',
	},
	{
		displayName: 'Include Missing Images',
		name: 'includeMissing',
		type: 'boolean',
		default: false,
		description: 'Whether to output an item with found: false for each image ID the job does not contain, instead of leaving it out',
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: 3,
		description:
			"How often a request is retried after a transient failure (throttling, 5xx, reset connection, timeout), with backoff that honours Retry-After. Ignored while the node's Retry On Fail setting is on, so the two never multiply.",
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
	},
	{
		displayName: 'Timeout',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1000 },
		default: 30000,
		description: 'Time in milliseconds to wait for one request before it counts as failed (and is retried)',
	},
];

/**
 * The request options of the operations that make one result per job (Export Tags, Check Labels):
 * missing images are always listed in that result, and there is no raw output to simplify.
 */
export const fetchOptions: INodeProperties[] = requestOptions.filter(
	(option) => option.name !== 'includeMissing' && option.name !== 'simplify',
);
