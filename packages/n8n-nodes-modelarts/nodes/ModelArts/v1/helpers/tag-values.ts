import { describeType, previewValue as preview, type BoundingBox, type ImageSize } from '@modelarts-kit/client/core';
import { InvalidParameterError } from './image-ids';

/*
 * The tags of an image as Update Tags reads them from an item: the shapes Get Tags outputs (tags as
 * names, boxes as { tag, xmin, ymin, xmax, ymax }, size as { width, height }) and the ModelArts wire
 * shapes ({ tag, pos: [xmin, ymin, xmax, ymax] }, size [w, h]), as values or as JSON text. Only the
 * shape is read here; the client checks the values (boxes inside the size, xmin < xmax, ...) before
 * anything is written.
 */

const NAMES_EXPECTED = 'Give the tag names as a list, e.g. ["cat", "dog"], or as text separated by commas.';
const BOXES_EXPECTED =
	'Give the boxes as a list of { "tag": "car", "xmin": 10, "ymin": 20, "xmax": 110, "ymax": 80 } (the boxes Get Tags outputs) or of { "tag": "car", "pos": [10, 20, 110, 80] }.';
const SIZE_EXPECTED = 'Give the size as { "width": 640, "height": 480 } (as Get Tags outputs it) or as [640, 480].';

function jsonText(value: unknown, what: string, expected: string): unknown {
	if (typeof value !== 'string') return value;
	const text = value.trim();
	if (!text.startsWith('[') && !text.startsWith('{')) return value;
	let parsed: unknown;
	let parses = true;
	try {
		parsed = JSON.parse(text);
	} catch {
		parses = false;
	}
	if (!parses) throw new InvalidParameterError(`${what} is text that looks like JSON but does not parse (${preview(text)})`, expected);
	return parsed;
}

/** Classification tags: a list of names, JSON text of one, or names separated by commas. An empty list clears the tags. */
export function parseTagNames(value: unknown, field: string): string[] {
	const parsed = jsonText(value, `The field "${field}"`, NAMES_EXPECTED);
	if (typeof parsed === 'string') {
		return parsed
			.split(/[,\r\n]+/)
			.map((name) => name.trim())
			.filter((name) => name !== '');
	}
	if (!Array.isArray(parsed)) {
		throw new InvalidParameterError(
			`The field "${field}" is ${describeType(parsed)} (${preview(parsed)}), not a list of tag names`,
			NAMES_EXPECTED,
		);
	}
	return parsed.map((name, index) => {
		if (typeof name !== 'string') {
			throw new InvalidParameterError(
				`The field "${field}": entry ${index + 1} is ${describeType(name)} (${preview(name)}), not a tag name`,
				NAMES_EXPECTED,
			);
		}
		return name;
	});
}

function corners(entry: Record<string, unknown>): unknown[] {
	if (Array.isArray(entry.pos)) return entry.pos;
	const box = entry.box !== null && typeof entry.box === 'object' ? (entry.box as Record<string, unknown>) : entry;
	return [box.xmin, box.ymin, box.xmax, box.ymax];
}

/** Detection boxes: a list (or JSON text of one) of boxes in Get Tags' shape or ModelArts' `pos` shape. An empty list clears the boxes. */
export function parseBoxes(value: unknown, field: string): { tag: string; box: BoundingBox }[] {
	const parsed = jsonText(value, `The field "${field}"`, BOXES_EXPECTED);
	if (!Array.isArray(parsed)) {
		throw new InvalidParameterError(
			`The field "${field}" is ${describeType(parsed)} (${preview(parsed)}), not a list of boxes`,
			BOXES_EXPECTED,
		);
	}
	return parsed.map((entry, index) => {
		const at = `The field "${field}": box ${index + 1} (${preview(entry)})`;
		if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
			throw new InvalidParameterError(`${at} is not an object with a tag and corners`, BOXES_EXPECTED);
		}
		const record = entry as Record<string, unknown>;
		const [xmin, ymin, xmax, ymax, ...rest] = corners(record);
		const numbers = [xmin, ymin, xmax, ymax];
		if (typeof record.tag !== 'string' || rest.length > 0 || numbers.some((n) => typeof n !== 'number' || !Number.isFinite(n))) {
			throw new InvalidParameterError(`${at} needs a tag name and four numbers xmin, ymin, xmax, ymax`, BOXES_EXPECTED);
		}
		return { tag: record.tag, box: { xmin, ymin, xmax, ymax } as BoundingBox };
	});
}

/** The image size: { width, height, depth? } or [w, h, depth?]; undefined when not given. */
export function parseSize(value: unknown, field: string): ImageSize | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const parsed = jsonText(value, `The field "${field}"`, SIZE_EXPECTED);
	const [width, height, depth] = Array.isArray(parsed)
		? parsed
		: parsed !== null && typeof parsed === 'object'
			? [(parsed as ImageSize).width, (parsed as ImageSize).height, (parsed as ImageSize).depth]
			: [];
	const dimension = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n > 0;
	if (!dimension(width) || !dimension(height) || (depth !== undefined && !dimension(depth))) {
		throw new InvalidParameterError(
			`The field "${field}" is ${describeType(parsed)} (${preview(parsed)}), not an image size`,
			SIZE_EXPECTED,
		);
	}
	return { width: width as number, height: height as number, ...(depth !== undefined ? { depth: depth as number } : {}) };
}

/** Whether a size given with the boxes is the image's own (ModelArts refuses another size). */
export function sameSize(a: ImageSize, b: ImageSize): boolean {
	return a.width === b.width && a.height === b.height && (a.depth === undefined || b.depth === undefined || a.depth === b.depth);
}
