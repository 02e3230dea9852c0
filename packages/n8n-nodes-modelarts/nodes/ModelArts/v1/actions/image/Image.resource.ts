import type { INodeProperties } from 'n8n-workflow';
import * as checkLabels from './checkLabels.operation';
import * as deleteImages from './delete.operation';
import * as exportTags from './exportTags.operation';
import * as getAll from './getAll.operation';
import * as getTag from './getTag.operation';
import * as getTags from './getTags.operation';
import * as updateTags from './updateTags.operation';

export { checkLabels, deleteImages as delete, exportTags, getAll, getTag, getTags, updateTags };

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
				name: 'Delete',
				value: 'delete',
				description: 'Remove images from the annotation job, with their tags (cannot be undone)',
				action: 'Delete images from a job',
			},
			{
				name: 'Export Tags',
				value: 'exportTags',
				description:
					'Export the tags of many images to a file in a training format: COCO, Pascal VOC, YOLO, ModelArts manifest, CSV, JSON Lines',
				action: 'Export tags to a file',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the images of the job: all, tagged, untagged, or those with a tag',
				action: 'Get many images',
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
			{
				name: 'Update Tags',
				value: 'updateTags',
				description: 'Write the tags (names or boxes) of images from the fields of input items, replacing what they had',
				action: 'Update the tags of images',
			},
		],
		default: 'getTags',
	},
	...getAll.description,
	...getTags.description,
	...getTag.description,
	...exportTags.description,
	...checkLabels.description,
	...updateTags.description,
	...deleteImages.description,
];
