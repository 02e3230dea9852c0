import type { INodeProperties } from 'n8n-workflow';

/** The job ID as version 1 of the node takes it: a text field (kept so workflows saved with it run as they did). */
const annotationIdText: INodeProperties = {
	displayName: 'Annotation Job ID',
	name: 'annotationId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 282',
	description: 'ID of the manual annotation (labelling) job whose tags to read. It must belong to the project set in the credential.',
	hint: 'ModelArts console > Data Labeling (under Data Management): open the job; its ID is in the job details and at the end of the page URL',
	displayOptions: { show: { '@version': [1] } },
};

/** The job from version 1.1 on: picked from the project's job list (searchable) or given by ID (the trigger node uses it too). */
export const annotationJobLocator: INodeProperties = {
	displayName: 'Annotation Job',
	name: 'annotationId',
	type: 'resourceLocator',
	required: true,
	default: { mode: 'list', value: '' },
	description: 'The manual annotation (labelling) job. It must belong to the project set in the credential.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a job...',
			typeOptions: { searchListMethod: 'searchAnnotationJobs', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 282',
			hint: 'The numeric ID of the job (dls_prj_id in the job list), shown in the job details of the ModelArts console',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[A-Za-z0-9._-]{1,128}\\s*$',
						errorMessage: 'Not an annotation job ID: letters, digits, ".", "_" and "-" only, e.g. 282',
					},
				},
			],
		},
	],
	displayOptions: { show: { '@version': [{ _cnd: { gte: 1.1 } }] } },
};

/** The annotation job of an operation, in the shape of the node's version (read with readAnnotationId). */
export const annotationJobFields: INodeProperties[] = [annotationIdText, annotationJobLocator];

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

/** Return All and Limit of a Get Many operation, as n8n's own nodes have them. */
export const returnAllFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** The request options of the operations that make single requests (no batches of image IDs). */
export const callOptions: INodeProperties[] = requestOptions.filter((option) => option.name === 'maxRetries' || option.name === 'timeout');

/** The Options collection of an operation. */
export const optionsCollection = (options: INodeProperties[]): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options,
});
