import { MAX_IMAGE_ID_LENGTH } from '@modelarts-kit/client/core';
import { describe, expect, it } from 'vitest';
import { InvalidParameterError, parseAnnotationId, parseImageIds, parseSingleImageId } from '../nodes/ModelArts/v1/helpers/image-ids';

describe('image IDs from an expression: accepted forms', () => {
	it.each([
		['one ID', 'abc123', ['abc123']],
		['one ID with surrounding white space', '  abc123 \t', ['abc123']],
		['a list', ['a', 'b'], ['a', 'b']],
		['a list with padded elements', [' a ', '\tb'], ['a', 'b']],
		['comma-separated text', 'a,b, c', ['a', 'b', 'c']],
		['line-separated text (LF and CRLF)', 'a\nb\r\nc\n', ['a', 'b', 'c']],
		['mixed separators and empty pieces', ',a,,\n,b,', ['a', 'b']],
		['text holding a JSON list', '["a", " b "]', ['a', 'b']],
		['a number (numeric IDs from a spreadsheet)', 282, ['282']],
		['numbers in a list', [1, '2'], ['1', '2']],
		['repeats, kept once in first position', 'b,a,b,a', ['b', 'a']],
		['unicode IDs', ['图像-1', 'café', '🙂'], ['图像-1', 'café', '🙂']],
		['an ID of the maximum length', 'x'.repeat(MAX_IMAGE_ID_LENGTH), ['x'.repeat(MAX_IMAGE_ID_LENGTH)]],
		['text that only looks like JSON stays text', '[a,b]', ['[a', 'b]']],
	])('%s', (_, value, expected) => {
		expect(parseImageIds(value)).toEqual(expected);
	});
});

describe('image IDs from an expression: refused with a message naming what and where', () => {
	it.each([
		['undefined (the field does not exist)', undefined, 'No image ID was given for this item'],
		['null', null, 'No image ID was given for this item'],
		['empty text', '', 'No image ID was given for this item'],
		['white space only', ' \n\t ', 'No image ID was given for this item'],
		['separators only', ', ,\n', 'No image ID was given for this item'],
		['an empty list', [], 'No image ID was given for this item'],
		[
			'an object (the whole item instead of a field)',
			{ image_id: 'a' },
			'The image IDs are an object ({"image_id":"a"}), not an ID, a list or a text',
		],
		['a boolean', true, 'The image IDs are a boolean (true), not an ID, a list or a text'],
		['an empty element', ['a', ' '], 'Image ID number 2 of the list is empty'],
		['a null element', ['a', null], 'Image ID number 2 of the list is null (null), not an image ID'],
		['a nested list', ['a', ['b']], 'Image ID number 2 of the list is a list (["b"]), not an image ID'],
		['an object element', [{ id: 'a' }], 'Image ID number 1 of the list is an object ({"id":"a"}), not an image ID'],
		['a fractional number', 1.5, 'Image ID number 1 of the list is the number 1.5, which is not an image ID'],
		['a negative number', [-1], 'Image ID number 1 of the list is the number -1, which is not an image ID'],
		['NaN', Number.NaN, 'Image ID number 1 of the list is the number NaN, which is not an image ID'],
		['a control character', 'a\u0000b', 'Image ID number 1 "a\\u0000b" contains the control character U+0000 at position 1'],
		['DEL', ['ok', 'x\u007f'], 'Image ID number 2 of the list "x\\u007f" contains the control character U+007F at position 1'],
		['a C1 control character', 'x\u0085', 'Image ID number 1 "x\\u0085" contains the control character U+0085 at position 1'],
		['a tab inside text', 'a\tb', 'Image ID number 1 "a\\tb" contains the control character U+0009 at position 1'],
		['an absurdly long ID', 'y'.repeat(MAX_IMAGE_ID_LENGTH + 1), `Image ID number 1 is ${MAX_IMAGE_ID_LENGTH + 1} characters long`],
	])('%s', (_, value, message) => {
		let caught: unknown;
		try {
			parseImageIds(value);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(InvalidParameterError);
		expect((caught as Error).message.startsWith(message)).toBe(true);
	});
});

describe('scale', () => {
	it('parses 1,000,000 comma-separated IDs quickly', () => {
		const text = Array.from({ length: 1_000_000 }, (_, i) => `img-${i}`).join(',');
		const started = process.cpuUsage();
		const ids = parseImageIds(text);
		// Linear work: about a second of CPU. A quadratic check (a list lookup per ID) would need
		// ~10^12 steps and never get here. CPU time, not wall time: on a machine whose CPUs are
		// shared, the wall clock measures the other processes too (91 s once, for 1 s of work).
		const { user, system } = process.cpuUsage(started);
		expect((user + system) / 1000).toBeLessThan(20_000);
		expect(ids).toHaveLength(1_000_000);
		expect(ids[999_999]).toBe('img-999999');
	});
});

describe('single image ID and annotation job ID', () => {
	it('Get Tag takes exactly one ID', () => {
		expect(parseSingleImageId(' a ')).toBe('a');
		expect(parseSingleImageId(['a'])).toBe('a');
		expect(parseSingleImageId('a,a')).toBe('a');
		expect(() => parseSingleImageId('a,b')).toThrow('Get Tag takes one image ID, but 2 were given (["a","b"])');
	});

	it.each([
		['282', '282'],
		[' 282 ', '282'],
		[282, '282'],
		['job_1.v-2', 'job_1.v-2'],
	])('accepts the annotation job ID %j', (value, expected) => {
		expect(parseAnnotationId(value)).toBe(expected);
	});

	it.each([
		['', 'The annotation job ID is empty'],
		[undefined, 'The annotation job ID is empty'],
		[true, 'The annotation job ID is a boolean (true)'],
		[{ id: 1 }, 'The annotation job ID is an object ({"id":1})'],
		['../282', 'The annotation job ID "../282" is not valid'],
		['..', 'The annotation job ID ".." is not valid'],
		['.', 'The annotation job ID "." is not valid'],
		['282?x=1', 'The annotation job ID "282?x=1" is not valid'],
		['a'.repeat(129), 'The annotation job ID "aaaa'],
		['标注', 'The annotation job ID "标注" is not valid'],
	])('refuses the annotation job ID %j', (value, message) => {
		expect(() => parseAnnotationId(value)).toThrow(message);
	});
});
