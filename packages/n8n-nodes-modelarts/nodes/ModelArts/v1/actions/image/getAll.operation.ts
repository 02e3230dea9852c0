import type { ListedImage, ListImagesParams, ModelArtsCoreClient } from '@modelarts-kit/client/core';
import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { callSignal, forEachItem, readLimit, take } from '../../helpers/annotation-job';
import { InvalidParameterError } from '../../helpers/image-ids';
import { imageRecord } from '../../helpers/output';
import { annotationJobFields, callOptions, returnAllFields, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	...annotationJobFields,
	{
		displayName: 'Images',
		name: 'imageFilter',
		type: 'options',
		options: [
			{ name: 'All Images', value: 'all', description: 'Every image of the job: the tagged ones, then the untagged ones' },
			{ name: 'Tagged Images', value: 'tagged', description: 'Every image that has at least one tag' },
			{ name: 'Untagged Images', value: 'untagged', description: 'Every image without a tag yet, e.g. new ones from an OBS sync' },
			{ name: 'With Tag', value: 'tag', description: 'The images that carry one tag' },
		],
		default: 'all',
	},
	{
		displayName: 'Tag',
		name: 'tag',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. car',
		description: 'The tag name the images must carry',
		displayOptions: { show: { imageFilter: ['tag'] } },
	},
	...returnAllFields,
	optionsCollection([
		{
			displayName: 'Page Size',
			name: 'perPage',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: 100,
			description: 'Images per request to ModelArts (1 to 100)',
		},
		...callOptions,
	]),
];

const displayOptions = { show: { resource: ['image'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

const FILTERS = ['all', 'tagged', 'untagged', 'tag'] as const;
type Filter = (typeof FILTERS)[number];

/** One listed image: its ID, where it is stored, and its tags as Get Tags outputs them when the list carried them. */
function listedRecord(annotationId: string, image: ListedImage): IDataObject {
	const record: IDataObject = image.tags
		? imageRecord(
				{ annotationId, imageId: image.imageId, itemIndexes: [], image: image.tags, jobType: image.tags.type },
				{ simplify: true, includeMissing: false },
			)
		: { image_id: image.imageId, tags: [] };
	return { ...record, ...(image.url !== undefined ? { url: image.url } : {}) };
}

/** The listings a filter reads, in order; All reads the tagged images, then the untagged ones. */
function listingsOf(filter: Filter, annotationId: string, tag: string): ListImagesParams[] {
	switch (filter) {
		case 'tagged':
			return [{ annotationId }];
		case 'untagged':
			return [{ annotationId, untagged: true }];
		case 'tag':
			return [{ annotationId, tag }];
		default:
			return [{ annotationId }, { annotationId, untagged: true }];
	}
}

async function* imagesOf(client: ModelArtsCoreClient, listings: ListImagesParams[], options: object): AsyncGenerator<ListedImage> {
	// An image tagged while the job is listed can appear in both listings of All: it is output once.
	const seen = new Set<string>();
	for (const listing of listings) {
		for await (const image of client.listImages(listing, options)) {
			if (seen.has(image.imageId)) continue;
			if (listings.length > 1) seen.add(image.imageId);
			yield image;
		}
	}
}

/** The images of each item's job (all, tagged, untagged, or with a tag), one item each, page by page up to the limit. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (client, itemIndex, job) => {
		const annotationId = job();
		const filter = this.getNodeParameter('imageFilter', itemIndex, 'all') as Filter;
		if (!FILTERS.includes(filter)) throw new InvalidParameterError(`Unknown choice of images "${String(filter)}"`);
		const tag = filter === 'tag' ? String(this.getNodeParameter('tag', itemIndex, '')).trim() : '';
		if (filter === 'tag' && tag === '') throw new InvalidParameterError('Tag is empty', 'Give the tag name the images must carry.');
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const perPage = typeof options.perPage === 'number' ? { perPage: options.perPage } : {};
		const images = imagesOf(client, listingsOf(filter, annotationId, tag), { ...perPage, ...callSignal(this) });
		return (await take(images, readLimit(this, itemIndex))).map((image) => listedRecord(annotationId, image));
	});
}
