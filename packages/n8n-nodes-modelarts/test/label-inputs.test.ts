import { describe, expect, it } from 'vitest';
import { namesOfItem, mappingOfPairs } from '../nodes/ModelArts/v1/helpers/file-names';
import { InvalidParameterError } from '../nodes/ModelArts/v1/helpers/image-ids';
import { parseTagList, parseTagStatistics } from '../nodes/ModelArts/v1/helpers/label-inputs';

describe('parseTagList', () => {
	it('takes a list, a JSON list as text, or names one per line or separated by commas, in their order', () => {
		expect(parseTagList(['猫', ' dog ', 7], 'Class Order')).toEqual(['猫', 'dog', '7']);
		expect(parseTagList('["stop sign", "行人"]', 'Class Order')).toEqual(['stop sign', '行人']);
		expect(parseTagList('car, person\r\nbicycle\n\n', 'Class Order')).toEqual(['car', 'person', 'bicycle']);
	});

	it('treats empty as not given, and refuses what is not tag names, naming the entry', () => {
		expect(parseTagList('  ', 'Class Order')).toBeUndefined();
		expect(parseTagList(undefined, 'Class Order')).toBeUndefined();
		expect(() => parseTagList({ car: 1 }, 'Class Order')).toThrow(InvalidParameterError);
		expect(() => parseTagList({ car: 1 }, 'Class Order')).toThrow('Class Order is an object');
		expect(() => parseTagList(['car', ''], 'Job Tag List')).toThrow('Job Tag List: entry 2 is');
	});
});

describe('parseTagStatistics', () => {
	it('takes tag counts as a list, as the tag statistics answer holding tag_count, or as an object', () => {
		const counts = [
			{ tag: 'cat', count: 12 },
			{ tag: '行人', count: 0 },
		];
		expect(parseTagStatistics(JSON.stringify(counts))).toEqual(counts);
		expect(parseTagStatistics({ tag_count: counts, total: 12 })).toEqual(counts);
		expect(parseTagStatistics({ cat: 12, 行人: 0 })).toEqual(counts);
		expect(parseTagStatistics('')).toBeUndefined();
	});

	it('refuses text that is not JSON and entries that are not a tag with a whole count', () => {
		expect(() => parseTagStatistics('cat: 12')).toThrow('Tag Statistics is not JSON');
		expect(() => parseTagStatistics([{ tag: 'cat', count: 1.5 }])).toThrow(
			'Tag Statistics: entry 1 (["cat",1.5]) is not a tag with a count of images',
		);
		expect(() => parseTagStatistics(12)).toThrow('Tag Statistics is a number (12)');
	});
});

describe('file names from an input field', () => {
	it('pairs one name with one ID, or a list with as many IDs, through the mapping file rules', () => {
		expect(namesOfItem(' a/cat.jpg ', ['id-1'], 'url')).toEqual([['id-1', 'a/cat.jpg']]);
		expect(namesOfItem(['x.jpg', 'y.jpg'], ['id-1', 'id-2'], 'url')).toEqual([
			['id-1', 'x.jpg'],
			['id-2', 'y.jpg'],
		]);
		expect(
			mappingOfPairs(
				[
					['id-1', 'obs://b/猫, 狗 & 1.jpg'],
					['id-1', 'obs://b/猫, 狗 & 1.jpg'],
				],
				'names',
			),
		).toEqual(new Map([['id-1', 'obs://b/猫, 狗 & 1.jpg']]));
	});

	it('refuses a name count that differs from the IDs, and names a mapping file would refuse', () => {
		expect(() => namesOfItem(['x.jpg'], ['id-1', 'id-2'], 'url')).toThrow(
			'The input field "url" holds a list (["x.jpg"]), not 2 file names',
		);
		expect(() =>
			mappingOfPairs(
				[
					['id-1', 'a.jpg'],
					['id-2', 'a.jpg'],
				],
				'the file names in input field "url"',
			),
		).toThrow('the file names in input field "url", line 2: "a.jpg" is the file name of both id-1 and id-2');
		expect(() => mappingOfPairs([['id-1', 'dir/']], 'names')).toThrow('does not end in a file name');
	});
});
