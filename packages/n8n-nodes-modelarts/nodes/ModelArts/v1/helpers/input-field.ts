import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { describeType, previewValue as preview } from '@modelarts-kit/client/core';
import { InvalidParameterError } from './image-ids';
import { parameterReader } from './parameters';

/** How many of an object's field names a "no such field" message lists. */
const FIELDS_SHOWN = 5;

/** What to set Input Field Name to, said after a missing field or a bad field name (Get Tags). */
export const HOW_TO_IMAGE_IDS =
	'Set Input Field Name to the field that holds the image IDs; a dot path such as data.image_ids reaches into nested objects.';

/** The same for an operation that takes one image ID per item (Get Tag). */
export const HOW_TO_IMAGE_ID =
	'Set Input Field Name to the field that holds the image ID; a dot path such as data.image_id reaches into nested objects.';

/** The Input Field Name parameter: a field name or a dot path, trimmed. */
export function parseFieldName(value: unknown, howTo: string = HOW_TO_IMAGE_IDS): string {
	const name = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
	if (typeof name !== 'string' || name.trim() === '') {
		const what = typeof name === 'string' || name === undefined || name === null ? 'empty' : `${describeType(name)} (${preview(name)})`;
		throw new InvalidParameterError(`Input Field Name is ${what}`, howTo);
	}
	return name.trim();
}

function fieldsOf(object: object): string {
	const names = Object.keys(object);
	if (names.length === 0) return 'no fields';
	const shown = names
		.slice(0, FIELDS_SHOWN)
		.map((name) => preview(name))
		.join(', ');
	const more = names.length > FIELDS_SHOWN ? ` and ${names.length - FIELDS_SHOWN} more` : '';
	return `the field${names.length === 1 ? '' : 's'} ${shown}${more}`;
}

function missingField(path: string, reachedPath: string, reached: unknown, howTo: string): InvalidParameterError {
	let found: string;
	if (reachedPath === '') found = `The item has ${fieldsOf(reached as object)}.`;
	else if (Array.isArray(reached)) {
		found = `"${reachedPath}" is a list of ${reached.length}; a number picks an element, e.g. ${reachedPath}.0.`;
	} else if (reached !== null && typeof reached === 'object') found = `"${reachedPath}" has ${fieldsOf(reached)}.`;
	else found = `"${reachedPath}" is ${describeType(reached)} (${preview(reached)}), which has no fields.`;
	return new InvalidParameterError(`The input item has no field "${path}"`, `${found} ${howTo}`);
}

/**
 * The value at `path` in an item's JSON. A field whose name is the whole
 * path wins (so a top-level key that contains dots is read as it is);
 * otherwise the path is followed one dot-separated name at a time, through
 * objects and lists ("images.0.id"). A field that is not there is an error
 * that lists some of the fields that are, where the path stopped.
 */
export function readInputField(json: IDataObject, path: string, howTo: string = HOW_TO_IMAGE_IDS): unknown {
	if (Object.hasOwn(json, path)) return json[path];
	const names = path.split('.');
	let current: unknown = json;
	for (let depth = 0; depth < names.length; depth++) {
		const name = names[depth]!;
		if (current === null || typeof current !== 'object' || !Object.hasOwn(current, name)) {
			throw missingField(path, names.slice(0, depth).join('.'), current, howTo);
		}
		current = (current as Record<string, unknown>)[name];
	}
	return current;
}

/**
 * Reads, per item, the value of the input field that `parameterName` names.
 * The field name is read once, unless it is an expression (then per item).
 *
 * This is the fast way to give image IDs: n8n evaluates an expression such
 * as {{ $json.image_id }} once per item, which with thousands of items
 * costs far more than fetching their tags; reading a field costs next to
 * nothing.
 */
export function inputFieldReader(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	parameterName: string,
	howTo: string,
): (itemIndex: number) => unknown {
	const fieldName = parameterReader(ctx, ctx.getNode().parameters, parameterName, (value) => parseFieldName(value, howTo));
	return (itemIndex) => readInputField(items[itemIndex]!.json, fieldName(itemIndex), howTo);
}

/** An operation's choice of where each item's image ID(s) come from, by parameter name. */
export interface ImageIdSource {
	/** The options parameter that chooses: "parameter" (the default) or "field". */
	source: string;
	/** Evaluated per item in "parameter" mode, as it always was. */
	parameter: string;
	/** Input Field Name, for "field" mode. */
	field: string;
	/** How messages name what is read: "image IDs" or "the image ID". */
	what: string;
	/** What to set Input Field Name to, after a missing field or a bad field name. */
	howTo: string;
}

/**
 * Reads an item's image ID(s) from where the operation's source parameter
 * says: its value parameter, evaluated per item (the default, and the only
 * way before the choice existed), or the input field Input Field Name names.
 * Both go through the same `parse`, so both accept the same values with the
 * same messages. The source itself is read once: it cannot be an expression.
 */
export function imageIdReader<T>(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	from: ImageIdSource,
	parse: (value: unknown) => T,
): (itemIndex: number) => T {
	const source = ctx.getNodeParameter(from.source, 0, 'parameter') as string;
	if (source === 'parameter') return (itemIndex) => parse(ctx.getNodeParameter(from.parameter, itemIndex));
	if (source !== 'field') {
		throw new NodeOperationError(ctx.getNode(), `Unknown source of ${from.what} "${String(source)}"`);
	}
	const readField = inputFieldReader(ctx, items, from.field, from.howTo);
	return (itemIndex) => parse(readField(itemIndex));
}
