import type { IExecuteFunctions, INodeParameters } from 'n8n-workflow';

/**
 * Whether a parameter is stored as an expression ("={{ ... }}"), which n8n
 * evaluates for each item, rather than as one fixed value. `parameters` is
 * the node's raw parameters, from `getNode()` (a fresh copy per call in
 * n8n: fetch them once per run, not per item).
 */
export function isExpression(parameters: INodeParameters, name: string): boolean {
	const raw = parameters[name];
	return typeof raw === 'string' && raw.startsWith('=');
}

/**
 * Reads and checks a parameter for an item. An expression is evaluated and
 * checked for every item, as n8n would. A fixed value is the same for every
 * item, so it is read and checked once, at the first item asked for, and
 * that result (or that error) is reused: with thousands of items this saves
 * thousands of getNodeParameter calls and changes nothing else.
 */
export function parameterReader<T>(
	ctx: IExecuteFunctions,
	parameters: INodeParameters,
	name: string,
	parse: (value: unknown) => T,
): (itemIndex: number) => T {
	if (isExpression(parameters, name)) return (itemIndex) => parse(ctx.getNodeParameter(name, itemIndex));
	let once: { value: T } | { error: unknown } | undefined;
	return (itemIndex) => {
		if (once === undefined) {
			try {
				once = { value: parse(ctx.getNodeParameter(name, itemIndex)) };
			} catch (error) {
				once = { error };
			}
		}
		if ('error' in once) throw once.error;
		return once.value;
	};
}
