import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { describeType, InvalidParameterError, preview } from './image-ids';
import { parameterReader } from './parameters';

/** How many of an object's field names a "no such field" message lists. */
const FIELDS_SHOWN = 5;

const HOW_TO =
	'Set Input Field Name to the field that holds the image IDs; a dot path such as data.image_ids reaches into nested objects.';

/** The Input Field Name parameter: a field name or a dot path, trimmed. */
export function parseFieldName(value: unknown): string {
	const name = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
	if (typeof name !== 'string' || name.trim() === '') {
		const what = typeof name === 'string' || name === undefined || name === null ? 'empty' : `${describeType(name)} (${preview(name)})`;
		throw new InvalidParameterError(`Input Field Name is ${what}`, HOW_TO);
	}
	return name.trim();
}

function fieldsOf(object: object): string {
	const names = Object.keys(object);
	if (names.length === 0) return 'no fields';
	const shown = names.slice(0, FIELDS_SHOWN).map((name) => preview(name)).join(', ');
	const more = names.length > FIELDS_SHOWN ? ` and ${names.length - FIELDS_SHOWN} more` : '';
	return `the field${names.length === 1 ? '' : 's'} ${shown}${more}`;
}

function missingField(path: string, reachedPath: string, reached: unknown): InvalidParameterError {
	let found: string;
	if (reachedPath === '') found = `The item has ${fieldsOf(reached as object)}.`;
	else if (Array.isArray(reached)) {
		found = `"${reachedPath}" is a list of ${reached.length}; a number picks an element, e.g. ${reachedPath}.0.`;
	} else if (reached !== null && typeof reached === 'object') found = `"${reachedPath}" has ${fieldsOf(reached)}.`;
	else found = `"${reachedPath}" is ${describeType(reached)} (${preview(reached)}), which has no fields.`;
	return new InvalidParameterError(`The input item has no field "${path}"`, `${found} ${HOW_TO}`);
}

/**
 * The value at `path` in an item's JSON. A field whose name is the whole
 * path wins (so a top-level key that contains dots is read as it is);
 * otherwise the path is followed one dot-separated name at a time, through
 * objects and lists ("images.0.id"). A field that is not there is an error
 * that lists some of the fields that are, where the path stopped.
 */
export function readInputField(json: IDataObject, path: string): unknown {
	if (Object.hasOwn(json, path)) return json[path];
	const names = path.split('.');
	let current: unknown = json;
	for (let depth = 0; depth < names.length; depth++) {
		const name = names[depth]!;
		if (current === null || typeof current !== 'object' || !Object.hasOwn(current, name)) {
			throw missingField(path, names.slice(0, depth).join('.'), current);
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
): (itemIndex: number) => unknown {
	const fieldName = parameterReader(ctx, ctx.getNode().parameters, parameterName, parseFieldName);
	return (itemIndex) => readInputField(items[itemIndex]!.json, fieldName(itemIndex));
}
