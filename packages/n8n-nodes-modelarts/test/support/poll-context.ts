/**
 * The IPollFunctions n8n hands a polling trigger, built on the execute context of n8n-context.ts
 * (same parameters, credential and real HTTP): getNodeParameter without an item index, the mode
 * ('trigger' for an active workflow, 'manual' for Fetch Test Event), the workflow static data
 * object, and a switch that fails chosen requests (as a reset connection) to cut a poll half way.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { ModelArtsTrigger } from '../../nodes/ModelArtsTrigger/ModelArtsTrigger.node';
import { createContext, type RecordedRequest } from './n8n-context';

export interface PollOptions {
	parameters: Record<string, unknown>;
	credentials: ICredentialDataDecryptedObject;
	staticData: IDataObject;
	mode?: 'trigger' | 'manual';
	/** Called before each request with its URL and the count of earlier requests; true fails it. */
	failRequest?: (url: string, index: number) => boolean;
}

export interface PollRun {
	events: IDataObject[] | null;
	requests: RecordedRequest[];
}

export async function runPoll(options: PollOptions, node = new ModelArtsTrigger()): Promise<PollRun> {
	const { context, requests } = createContext({
		items: [{ json: {} }],
		parameters: options.parameters,
		credentials: options.credentials,
		nodeTypeName: '@modelarts-kit/n8n-nodes-modelarts.modelArtsTrigger',
	});
	const execute = context as unknown as Record<string, unknown> & { helpers: Record<string, unknown> };
	const send = execute.helpers.httpRequestWithAuthentication as (...args: unknown[]) => Promise<unknown>;
	let sent = 0;
	const poll = {
		...execute,
		getNodeParameter: (name: string, fallback?: unknown, parameterOptions?: { extractValue?: boolean }) =>
			(execute.getNodeParameter as (...args: unknown[]) => unknown)(name, 0, fallback, parameterOptions),
		getMode: () => options.mode ?? 'trigger',
		getActivationMode: () => 'activate',
		getWorkflowStaticData: (type: string) => {
			if (type !== 'node') throw new Error(`the trigger asked for ${type} static data`);
			return options.staticData;
		},
		helpers: {
			...execute.helpers,
			returnJsonArray: (data: IDataObject[]) => data.map((json) => ({ json })),
			async httpRequestWithAuthentication(this: unknown, type: string, request: IHttpRequestOptions, ...rest: unknown[]) {
				if (options.failRequest?.(String(request.url), sent++)) {
					throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
				}
				return await send.call(this, type, request, ...rest);
			},
		},
	} as unknown as IPollFunctions;
	const output = (await node.poll.call(poll)) as INodeExecutionData[][] | null;
	return { events: output ? output[0]!.map((item) => item.json) : null, requests };
}

/** Static data as n8n persists it (JSON in the database) and reads it back after a restart. */
export const restarted = (staticData: IDataObject): IDataObject => JSON.parse(JSON.stringify(staticData)) as IDataObject;
