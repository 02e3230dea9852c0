import type { INodeProperties } from 'n8n-workflow';
import * as getTag from './getTag.operation';
import * as getTags from './getTags.operation';

export { getTag, getTags };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['image'] } },
		options: [
			{
				name: 'Get Tag',
				value: 'getTag',
				description: 'Get the tags of the one image each input item names',
				action: 'Get the tags of an image',
			},
			{
				name: 'Get Tags',
				value: 'getTags',
				description: 'Get the tags of many images, from IDs given per input item, fetched in batches',
				action: 'Get the tags of many images',
			},
		],
		default: 'getTags',
	},
	...getTags.description,
	...getTag.description,
];
