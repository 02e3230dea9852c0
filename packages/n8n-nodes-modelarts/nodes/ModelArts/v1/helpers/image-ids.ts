import { MAX_IMAGE_ID_LENGTH } from '@modelarts-kit/client/core';

/**
 * Turns what an expression gave for one item into image IDs. Users feed IDs
 * from very different places (a webhook body, a spreadsheet cell, a previous
 * node's array), so one ID, an array, a comma- or line-separated string and a
 * string holding a JSON array are all accepted. Anything else is refused
 * with a message that says what was found and where, before any request.
 */
export class InvalidParameterError extends Error {
	override name = 'InvalidParameterError';
	constructor(
		message: string,
		readonly description?: string,
	) {
		super(message);
	}
}

/** The position of the first C0 or C1 control character or DEL: never part of an ID, usually a paste or parsing accident. */
function controlCharacterAt(text: string): number {
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return index;
	}
	return -1;
}
const SEPARATORS = /[,\r\n]+/;
// Never a dot segment ("." or ".."), which URL parsers resolve away.
const ANNOTATION_ID_PATTERN = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,128}$/;

const EXPECTED =
	'Give one image ID, a list of IDs, or IDs separated by commas or line breaks, e.g. {{ $json.image_id }} or {{ $json.image_ids }}';

/** A short, printable rendering of a value for an error message. */
export function preview(value: unknown): string {
	let rendered: string;
	if (value === undefined) return 'undefined';
	try {
		rendered = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
	} catch {
		rendered = Object.prototype.toString.call(value);
	}
	return rendered.length > 80 ? `${rendered.slice(0, 77)}...` : rendered;
}

export function describeType(value: unknown): string {
	if (value === null || value === undefined) return String(value);
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** `where` is built only when there is something to report: an item may carry a million IDs. */
function checkId(id: string, where: () => string): string {
	if (id.length > MAX_IMAGE_ID_LENGTH) {
		throw new InvalidParameterError(
			`${where()} is ${id.length} characters long (${preview(id)}); image IDs have at most ${MAX_IMAGE_ID_LENGTH}`,
		);
	}
	const position = controlCharacterAt(id);
	if (position >= 0) {
		const code = id.charCodeAt(position).toString(16).toUpperCase().padStart(4, '0');
		throw new InvalidParameterError(
			`${where()} ${preview(id)} contains the control character U+${code} at position ${position}`,
			'Control characters usually come from a broken paste or from splitting a file with the wrong line endings.',
		);
	}
	return id;
}

function fromElement(element: unknown, position: number): string {
	const where = (): string => `Image ID number ${position + 1} of the list`;
	if (typeof element === 'number') {
		if (!Number.isSafeInteger(element) || element < 0) {
			throw new InvalidParameterError(`${where()} is the number ${String(element)}, which is not an image ID`, EXPECTED);
		}
		return String(element);
	}
	if (typeof element !== 'string') {
		throw new InvalidParameterError(`${where()} is ${describeType(element)} (${preview(element)}), not an image ID`, EXPECTED);
	}
	const id = element.trim();
	if (id === '') throw new InvalidParameterError(`${where()} is empty`, EXPECTED);
	return checkId(id, where);
}

function fromList(list: readonly unknown[]): string[] {
	return list.map((element, position) => fromElement(element, position));
}

function fromString(value: string): string[] {
	const trimmed = value.trim();
	if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(trimmed);
		} catch {
			parsed = undefined;
		}
		if (Array.isArray(parsed)) return fromList(parsed);
	}
	const ids: string[] = [];
	for (const piece of trimmed.split(SEPARATORS)) {
		const id = piece.trim();
		if (id !== '') ids.push(checkId(id, () => `Image ID number ${ids.length + 1}`));
	}
	return ids;
}

/** The image IDs of one item, trimmed, in their order, each once. */
export function parseImageIds(value: unknown): string[] {
	let ids: string[];
	if (typeof value === 'string') ids = fromString(value);
	else if (Array.isArray(value)) ids = fromList(value);
	else if (typeof value === 'number') ids = [fromElement(value, 0)];
	else if (value === undefined || value === null) ids = [];
	else {
		throw new InvalidParameterError(
			`The image IDs are ${describeType(value)} (${preview(value)}), not an ID, a list or a text`,
			`${EXPECTED}. If the IDs sit in a field of that object, point the expression at the field.`,
		);
	}
	if (ids.length === 0) throw new InvalidParameterError('No image ID was given for this item', EXPECTED);
	return [...new Set(ids)];
}

/** Exactly one image ID (the Get Tag operation). */
export function parseSingleImageId(value: unknown): string {
	const ids = parseImageIds(value);
	if (ids.length > 1) {
		throw new InvalidParameterError(
			`Get Tag takes one image ID, but ${ids.length} were given (${preview(ids)})`,
			'Use the Get Tags operation for several IDs per item.',
		);
	}
	return ids[0]!;
}

/** The annotation job ID: letters, digits, ".", "_" and "-", as ModelArts issues them. */
export function parseAnnotationId(value: unknown): string {
	const id = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
	if (typeof id !== 'string' || id.trim() === '') {
		const what = typeof id === 'string' || id === undefined || id === null ? 'empty' : `${describeType(id)} (${preview(id)})`;
		throw new InvalidParameterError(
			`The annotation job ID is ${what}`,
			'Set Annotation Job ID to the ID of the labelling job, e.g. 282.',
		);
	}
	const trimmed = id.trim();
	if (!ANNOTATION_ID_PATTERN.test(trimmed)) {
		throw new InvalidParameterError(
			`The annotation job ID ${preview(trimmed)} is not valid: it may only contain letters, digits, ".", "_" and "-" (1 to 128 characters)`,
			'Copy the ID from the job details in the ModelArts console, not the job name.',
		);
	}
	return trimmed;
}
