import { describeType, previewValue as preview } from '@modelarts-kit/client/core';
import { parseNameMapping } from '@modelarts-kit/formats';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { ItemRequest } from './fetch-tags';
import { InvalidParameterError } from './image-ids';
import { inputFieldReader } from './input-field';
import type { JobResult } from './job-results';

const HOW_TO_FILE_NAME = 'Set File Name Field to the field that holds the file name (or OBS URI) of the image, e.g. url.';

/** Image ID -> file name for a job, from the mapping text or the items' input field; undefined for image IDs as names. */
export function namesOf(ctx: IExecuteFunctions, items: INodeExecutionData[], job: JobResult, requests: readonly ItemRequest[]) {
	const from = ctx.getNodeParameter('fileNamesFrom', 0, 'imageId') as string;
	if (from === 'mapping') {
		const text = ctx.getNodeParameter('fileNameMapping', job.itemIndexes[0]!);
		if (typeof text !== 'string') {
			throw new InvalidParameterError(
				'File Name Mapping is not text',
				'Give CSV rows image_id,file_name, e.g. the text of a mapping file.',
			);
		}
		return parseNameMapping(text, 'File Name Mapping');
	}
	if (from !== 'field') return undefined;
	const readField = inputFieldReader(ctx, items, 'fileNameField', HOW_TO_FILE_NAME);
	const field = String(ctx.getNodeParameter('fileNameField', job.itemIndexes[0]!));
	const pairs = requests
		.filter((request) => request.annotationId === job.annotationId)
		.flatMap(({ itemIndex, imageIds }) => namesOfItem(readField(itemIndex), imageIds, field));
	return mappingOfPairs(pairs, `the file names in input field "${field}"`);
}

/**
 * Image ID -> file name (or OBS URI) given one image at a time, e.g. from the `url` field of the
 * items of an image list. The pairs go through the formats package's mapping reader, so the names
 * pass the same checks as a mapping file (no control characters, a file name at the end, one name
 * per image and one image per name).
 */
export function mappingOfPairs(pairs: readonly (readonly [string, string])[], source: string): Map<string, string> {
	const quoted = (text: string): string => `"${text.replace(/"/g, '""')}"`;
	return parseNameMapping(pairs.map(([id, name]) => `${quoted(id)},${quoted(name)}`).join('\n'), source);
}

/** The file names an input field gives for an item's image IDs: one name for one ID, or a list as long as the IDs. */
export function namesOfItem(value: unknown, imageIds: readonly string[], field: string): [string, string][] {
	const names = Array.isArray(value) ? value : [value];
	if (names.length !== imageIds.length || names.some((name) => typeof name !== 'string' || name.trim() === '')) {
		throw new InvalidParameterError(
			`The input field "${field}" holds ${describeType(value)} (${preview(value)}), not ${imageIds.length === 1 ? 'a file name' : `${imageIds.length} file names`} for the item's ${imageIds.length === 1 ? 'image' : 'images'}`,
			'Point File Name Field at the field that holds the file name (or OBS URI) of the image, e.g. url; for several image IDs in one item, a list of names in the same order.',
		);
	}
	return names.map((name, index) => [imageIds[index]!, (name as string).trim()]);
}
