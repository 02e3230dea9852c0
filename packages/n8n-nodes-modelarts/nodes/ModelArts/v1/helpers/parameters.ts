import type { IExecuteFunctions, INodeParameters } from 'n8n-workflow';

const EXTRACT = { extractValue: true } as const;

/**
 * Whether a parameter is stored as an expression ("={{ ... }}"), which n8n
 * evaluates for each item, rather than as one fixed value. `parameters` is
 * the node's raw parameters, from `getNode()` (a fresh copy per call in
 * n8n: fetch them once per run, not per item).
 */
export function isExpression(parameters: INodeParameters, name: string): boolean {
	let raw: unknown = parameters[name];
	// A resource locator ({ __rl, mode, value }) is an expression when its value is.
	if (raw !== null && typeof raw === 'object' && (raw as { __rl?: unknown }).__rl === true) raw = (raw as { value?: unknown }).value;
	return typeof raw === 'string' && raw.startsWith('=');
}

/**
 * Reads and checks a parameter for an item. An expression is evaluated and
 * checked for every item, as n8n would. A fixed value is the same for every
 * item, so it is read and checked once, at the first item asked for, and
 * that result (or that error) is reused: with thousands of items this saves
 * thousands of getNodeParameter calls and changes nothing else. A resource
 * locator gives its value (whichever mode it is in); any other parameter itself.
 */
export function parameterReader<T>(
	ctx: IExecuteFunctions,
	parameters: INodeParameters,
	name: string,
	parse: (value: unknown) => T,
): (itemIndex: number) => T {
	if (isExpression(parameters, name)) return (itemIndex) => parse(ctx.getNodeParameter(name, itemIndex, undefined, EXTRACT));
	let once: { value: T } | { error: unknown } | undefined;
	return (itemIndex) => {
		if (once === undefined) {
			try {
				once = { value: parse(ctx.getNodeParameter(name, itemIndex, undefined, EXTRACT)) };
			} catch (error) {
				once = { error };
			}
		}
		if ('error' in once) throw once.error;
		return once.value;
	};
}
