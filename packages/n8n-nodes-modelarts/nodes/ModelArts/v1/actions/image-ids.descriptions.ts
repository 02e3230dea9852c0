import type { INodeProperties } from 'n8n-workflow';
import { HOW_TO_IMAGE_IDS, type ImageIdSource } from '../helpers/input-field';

/**
 * Where the image IDs of each input item come from, shared by the operations that take many IDs per
 * item (Get Tags, Export Tags, Check Labels): an expression per item, or an input field.
 */
export const imageIdsProperties: INodeProperties[] = [
	{
		displayName: 'Image IDs From',
		name: 'imageIdsSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Expression or Value',
				value: 'parameter',
				description: 'Give the IDs in Image IDs, as a value or as an expression that n8n evaluates for each item',
			},
			{
				name: 'Input Field',
				value: 'field',
				description: 'Read the IDs from a field of each input item. Much faster than an expression for thousands of items.',
			},
		],
		default: 'parameter',
		description: 'Where the image IDs of each input item come from',
		// A tool has no input items to read a field from: the model passes the IDs.
		displayOptions: { hide: { '@tool': [true] } },
	},
	{
		displayName: 'Image IDs',
		name: 'imageIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.image_ids }}',
		description:
			'The images whose tags to get, from an expression per item: one ID, a list of IDs, or IDs separated by commas or line breaks. The IDs of all items are fetched together in batches.',
		hint: 'Image IDs are the 32-character IDs ModelArts gives each image of the job (its sample ID)',
		displayOptions: { show: { imageIdsSource: ['parameter'] }, hide: { '@tool': [true] } },
	},
	{
		displayName: 'Image IDs',
		name: 'imageIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a99, 0a1b2c3d4e5f60718293a4b5c6d7e8f9',
		description:
			'The IDs of the images whose tags to get: one image ID, or several separated by commas. An image ID is the 32-character hexadecimal ID ModelArts gives each image (sample) of the job.',
		displayOptions: { show: { '@tool': [true] } },
	},
	{
		displayName: 'Input Field Name',
		name: 'imageIdsField',
		type: 'string',
		required: true,
		default: 'image_id',
		placeholder: 'e.g. image_ids',
		description:
			'The field of each input item that holds its image IDs: one ID, a list of IDs, or IDs separated by commas or line breaks. The IDs of all items are fetched together in batches.',
		hint: 'A field name, or a dot path such as data.image_ids for a nested field',
		displayOptions: { show: { imageIdsSource: ['field'] } },
	},
];

/** Reads each item's image IDs from the parameters above (see imageIdReader). */
export const IMAGE_IDS: ImageIdSource = {
	source: 'imageIdsSource',
	parameter: 'imageIds',
	field: 'imageIdsField',
	what: 'image IDs',
	howTo: HOW_TO_IMAGE_IDS,
};
