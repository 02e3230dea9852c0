import type { INodeProperties } from 'n8n-workflow';
import * as checkLabels from './checkLabels.operation';
import * as exportTags from './exportTags.operation';
import * as getTag from './getTag.operation';
import * as getTags from './getTags.operation';

export { checkLabels, exportTags, getTag, getTags };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['image'] } },
		options: [
			{
				name: 'Check Labels',
				value: 'checkLabels',
				description: 'Check the labels of many images: boxes outside the image, empty or inverted boxes, images without tags, unknown tags',
				action: 'Check the labels of images',
			},
			{
				name: 'Export Tags',
				value: 'exportTags',
				description:
					'Export the tags of many images to a file in a training format: COCO, Pascal VOC, YOLO, ModelArts manifest, CSV, JSON Lines',
				action: 'Export tags to a file',
			},
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
	...exportTags.description,
	...checkLabels.description,
];
