import {
	controlCharacterAt,
	describeType,
	InputValidationError,
	isIdentifier,
	normalizeImageIds,
	previewValue as preview,
} from '@modelarts-kit/client/core';

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

const SEPARATORS = /[,\r\n]+/;

const EXPECTED =
	'Give one image ID, a list of IDs, or IDs separated by commas or line breaks, e.g. {{ $json.image_id }} or {{ $json.image_ids }}';

const CONTROL_CHARACTER_HINT = 'Control characters usually come from a broken paste or from splitting a file with the wrong line endings.';

/**
 * Trims, checks and de-duplicates one item's IDs with the client's own
 * check (normalizeImageIds: the only one on the node's path, since the
 * client does not check its result again), worded for the node.
 */
function checked(ids: readonly string[], subject: (index: number) => string): readonly string[] {
	let failure: unknown;
	try {
		return normalizeImageIds(ids, subject);
	} catch (error) {
		failure = error;
	}
	if (!(failure instanceof InputValidationError) || failure.index === undefined) throw failure;
	const bad = ids[failure.index]!;
	const description = bad.trim() === '' ? EXPECTED : controlCharacterAt(bad) >= 0 ? CONTROL_CHARACTER_HINT : undefined;
	throw new InvalidParameterError(failure.message, description);
}

/** One element of a list as text; numbers are IDs from a spreadsheet. */
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
	return element;
}

function fromList(list: readonly unknown[]): readonly string[] {
	if (list.length === 0) return list as readonly string[];
	return checked(
		list.map((element, position) => fromElement(element, position)),
		(index) => `Image ID number ${index + 1} of the list`,
	);
}

function fromString(value: string): readonly string[] {
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
	const pieces = trimmed.split(SEPARATORS).filter((piece) => piece.trim() !== '');
	return pieces.length === 0 ? pieces : checked(pieces, (index) => `Image ID number ${index + 1}`);
}

/** The image IDs of one item, trimmed, in their order, each once; checked, so the client does not check them again. */
export function parseImageIds(value: unknown): readonly string[] {
	let ids: readonly string[];
	if (typeof value === 'string') ids = fromString(value);
	else if (Array.isArray(value)) ids = fromList(value);
	else if (typeof value === 'number') ids = checked([fromElement(value, 0)], () => 'Image ID number 1 of the list');
	else if (value === undefined || value === null) ids = [];
	else {
		throw new InvalidParameterError(
			`The image IDs are ${describeType(value)} (${preview(value)}), not an ID, a list or a text`,
			`${EXPECTED}. If the IDs sit in a field of that object, point the expression at the field.`,
		);
	}
	if (ids.length === 0) throw new InvalidParameterError('No image ID was given for this item', EXPECTED);
	return ids;
}

/** Exactly one image ID (the Get Tag operation), as a checked list of one, which the client does not check again. */
export function parseSingleImageIdList(value: unknown): readonly string[] {
	const ids = parseImageIds(value);
	if (ids.length > 1) {
		throw new InvalidParameterError(
			`Get Tag takes one image ID, but ${ids.length} were given (${preview(ids)})`,
			'Use the Get Tags operation for several IDs per item.',
		);
	}
	return ids;
}

/** Exactly one image ID (the Get Tag operation). */
export function parseSingleImageId(value: unknown): string {
	return parseSingleImageIdList(value)[0]!;
}

/** The annotation job ID: letters, digits, ".", "_" and "-", as ModelArts issues them. */
export function parseAnnotationId(value: unknown): string {
	const id = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
	if (typeof id !== 'string' || id.trim() === '') {
		const what = typeof id === 'string' || id === undefined || id === null ? 'empty' : `${describeType(id)} (${preview(id)})`;
		throw new InvalidParameterError(`The annotation job ID is ${what}`, 'Set Annotation Job ID to the ID of the labelling job, e.g. 282.');
	}
	const trimmed = id.trim();
	if (!isIdentifier(trimmed)) {
		throw new InvalidParameterError(
			`The annotation job ID ${preview(trimmed)} is not valid: it may only contain letters, digits, ".", "_" and "-" (1 to 128 characters)`,
			'Copy the ID from the job details in the ModelArts console, not the job name.',
		);
	}
	return trimmed;
}
