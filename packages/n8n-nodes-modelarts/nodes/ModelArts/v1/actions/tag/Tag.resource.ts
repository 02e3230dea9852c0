import type { INodeProperties } from 'n8n-workflow';
import * as getAll from './getAll.operation';
import * as getStatistics from './getStatistics.operation';

export { getAll, getStatistics };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['tag'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the tag names of the job',
				action: 'Get many tags',
			},
			{
				name: 'Get Statistics',
				value: 'getStatistics',
				description: 'Count the images per tag, and the tagged and untagged images of the job',
				action: 'Get tag statistics',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...getStatistics.description,
];
