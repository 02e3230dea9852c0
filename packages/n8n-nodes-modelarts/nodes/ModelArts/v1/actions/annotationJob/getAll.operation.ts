import type { AnnotationJob } from '@modelarts-kit/client/core';
import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { callSignal, forEachItem, readLimit, take } from '../../helpers/annotation-job';
import { callOptions, returnAllFields, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	...returnAllFields,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Name Contains',
				name: 'search',
				type: 'string',
				default: '',
				placeholder: 'e.g. street',
				description: 'Only jobs whose name contains this text (case does not matter)',
			},
		],
	},
	optionsCollection([
		{
			displayName: 'Sort By',
			name: 'sortBy',
			type: 'options',
			options: [
				{ name: 'Creation Time', value: 'create_time' },
				{ name: 'Name', value: 'name' },
			],
			default: 'create_time',
		},
		{
			displayName: 'Sort Order',
			name: 'order',
			type: 'options',
			options: [
				{ name: 'Ascending', value: 'asc' },
				{ name: 'Descending', value: 'desc' },
			],
			default: 'desc',
		},
		...callOptions,
	]),
];

const displayOptions = { show: { resource: ['annotationJob'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** One job as an output item: the ID the other operations take first, counts as numbers. */
export function jobRecord(job: AnnotationJob): IDataObject {
	return {
		annotation_id: job.annotationId,
		name: job.name,
		job_type: job.type,
		...(job.description !== undefined ? { description: job.description } : {}),
		...(job.progress !== undefined ? { progress: job.progress } : {}),
		...(job.counts?.total !== undefined ? { total_count: job.counts.total } : {}),
		...(job.counts?.tagged !== undefined ? { tagged_count: job.counts.tagged } : {}),
		...(job.counts?.untagged !== undefined ? { untagged_count: job.counts.untagged } : {}),
		...(job.path !== undefined ? { path: job.path } : {}),
		...(job.createTime !== undefined ? { create_time: job.createTime } : {}),
		job_id: job.jobId,
	};
}

/** The project's annotation jobs, one item each, page by page up to the limit. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (client, itemIndex) => {
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const search = typeof filters.search === 'string' && filters.search.trim() !== '' ? filters.search.trim() : undefined;
		const jobs = client.listJobs({
			...(search ? { search } : {}),
			...(options.sortBy === 'name' || options.sortBy === 'create_time' ? { sortBy: options.sortBy } : {}),
			...(options.order === 'asc' || options.order === 'desc' ? { order: options.order } : {}),
			...callSignal(this),
		});
		return (await take(jobs, readLimit(this, itemIndex))).map(jobRecord);
	});
}
