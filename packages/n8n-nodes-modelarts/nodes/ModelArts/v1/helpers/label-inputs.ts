import { describeType, previewValue as preview } from '@modelarts-kit/client/core';
import type { TagCount } from '@modelarts-kit/formats';
import { InvalidParameterError } from './image-ids';

const TAG_LIST_EXPECTED = 'Give the tag names in order, one per line or separated by commas, or a list such as {{ $json.tags }}.';

function fromJsonText(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/**
 * A list of tag names in its order (the class order of COCO and YOLO, or the job's tag list for
 * the checks): a list, a JSON list as text, or names one per line or separated by commas.
 * Empty means not given.
 */
export function parseTagList(value: unknown, what: string): string[] | undefined {
	let list: unknown = value;
	if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') return undefined;
		const parsed = text.startsWith('[') ? fromJsonText(text) : undefined;
		list = Array.isArray(parsed)
			? parsed
			: text
					.split(/[\r\n,]+/)
					.map((name) => name.trim())
					.filter((name) => name !== '');
	}
	if (value === undefined || value === null) return undefined;
	if (!Array.isArray(list)) {
		throw new InvalidParameterError(`${what} is ${describeType(value)} (${preview(value)}), not a list of tag names`, TAG_LIST_EXPECTED);
	}
	return list.map((name, index) => {
		if (typeof name === 'number') return String(name);
		if (typeof name !== 'string' || name.trim() === '') {
			throw new InvalidParameterError(
				`${what}: entry ${index + 1} is ${describeType(name)} (${preview(name)}), not a tag name`,
				TAG_LIST_EXPECTED,
			);
		}
		return name.trim();
	});
}

const STATISTICS_EXPECTED =
	'Give the tag counts as a list of { "tag": "...", "count": N } (the tag_count of the job statistics, or the whole answer holding it) or as { "<tag>": N }.';

/** The job's tag statistics: images per tag, compared with the checked images. Empty means not given. */
export function parseTagStatistics(value: unknown): TagCount[] | undefined {
	let data: unknown = value;
	if (typeof value === 'string') {
		if (value.trim() === '') return undefined;
		data = fromJsonText(value.trim());
		if (data === undefined) throw new InvalidParameterError('Tag Statistics is not JSON', STATISTICS_EXPECTED);
	}
	if (data === undefined || data === null) return undefined;
	if (typeof data === 'object' && !Array.isArray(data) && Array.isArray((data as { tag_count?: unknown }).tag_count)) {
		data = (data as { tag_count: unknown[] }).tag_count;
	}
	const entries: [unknown, unknown][] = Array.isArray(data)
		? data.map((entry) => [(entry as { tag?: unknown })?.tag, (entry as { count?: unknown })?.count])
		: typeof data === 'object'
			? Object.entries(data as object)
			: [];
	if (typeof data !== 'object') {
		throw new InvalidParameterError(`Tag Statistics is ${describeType(data)} (${preview(data)})`, STATISTICS_EXPECTED);
	}
	return entries.map(([tag, count], index) => {
		if (typeof tag !== 'string' || tag === '' || typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
			throw new InvalidParameterError(
				`Tag Statistics: entry ${index + 1} (${preview([tag, count])}) is not a tag with a count of images`,
				STATISTICS_EXPECTED,
			);
		}
		return { tag, count };
	});
}
