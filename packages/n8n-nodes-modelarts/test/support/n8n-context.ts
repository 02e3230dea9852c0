/**
 * A stand-in for the IExecuteFunctions n8n hands a node, faithful where the
 * node depends on it: parameters are resolved per item (as expressions are),
 * `getNode().parameters` holds the raw values (a parameter given as a
 * function is an expression there, "={{ ... }}", and a plain value is
 * itself), every getNodeParameter call is recorded,
 * and `helpers.httpRequestWithAuthentication` does what n8n-core does: it
 * replaces the abort signal with the execution's, calls the credential
 * type's real `authenticate` function, then sends a real HTTP request with
 * the semantics of n8n's axios-based `httpRequest` (returnFullResponse,
 * ignoreHttpStatusErrors, encoding, baseURL/qs, timeout, no redirects when
 * disabled). Failures are wrapped in NodeApiError around an error that, like
 * axios's, carries the request config with its headers, so tests see what
 * the node would see in n8n, secrets included.
 */
import http from 'node:http';
import https from 'node:https';
import {
	NodeApiError,
	type IBinaryData,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IExecuteFunctions,
	type IAdditionalCredentialOptions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type NodeExecutionHint,
	type INodeType,
	type IVersionedNodeType,
	type JsonObject,
} from 'n8n-workflow';
import { ModelArtsApi } from '../../credentials/ModelArtsApi.credentials';
import { ModelArts } from '../../nodes/ModelArts/ModelArts.node';

/** A value, or a function standing for an expression: evaluated per item, stored as "={{ ... }}". */
export type ParameterValue = unknown | ((itemIndex: number, item: INodeExecutionData) => unknown);

export interface RecordedRequest {
	method: string;
	url: string;
	headers: Record<string, string>;
	body: string | undefined;
}

export interface ContextOptions {
	items: INodeExecutionData[];
	/** The credential type whose `authenticate` signs requests; default: the one built from source. */
	credentialType?: ICredentialType;
	/** The node to run; default: the one built from source. */
	nodeType?: INodeType | IVersionedNodeType;
	parameters: Record<string, ParameterValue>;
	credentials: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	retryOnFail?: boolean;
	cancelSignal?: AbortSignal;
	/** The node's type in the workflow; n8n's tool variant appends "Tool". */
	nodeTypeName?: string;
	/** The node's version in the workflow: 1 (the default, as workflows saved before 1.1) or 1.1. */
	typeVersion?: number;
}

/** One getNodeParameter call of the node. */
export interface ParameterRead {
	name: string;
	itemIndex: number;
}

export interface FakeContext {
	context: IExecuteFunctions;
	requests: RecordedRequest[];
	parameterReads: ParameterRead[];
	/** Each time the credential was read and decrypted: by getCredentials, or by a request not given it. */
	credentialReads: string[];
	/** What the node gave `addExecutionHints`, in order. */
	hints: NodeExecutionHint[];
}

/** The node's parameters as n8n stores them: an expression is its text, "=" first. */
function rawParameters(parameters: Record<string, ParameterValue>): INodeParameters {
	return Object.fromEntries(
		Object.entries(parameters).map(([name, value]) => [
			name,
			typeof value === 'function' ? '={{ $json /* per item */ }}' : structuredClone(value),
		]),
	) as INodeParameters;
}

const NODE: INode = {
	id: '5b1f3c4e-0000-4000-8000-000000000001',
	name: 'ModelArts',
	type: '@modelarts-kit/n8n-nodes-modelarts.modelArts',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** The same composition n8n uses for a community package, loaded from source. */
export const credentialType = new ModelArtsApi();

export function createContext(options: ContextOptions): FakeContext {
	const requests: RecordedRequest[] = [];
	const parameterReads: ParameterRead[] = [];
	const credentialReads: string[] = [];
	const hints: NodeExecutionHint[] = [];
	const credentials = options.credentialType ?? credentialType;
	const node: INode = {
		...NODE,
		type: options.nodeTypeName ?? NODE.type,
		typeVersion: options.typeVersion ?? NODE.typeVersion,
		parameters: rawParameters(options.parameters),
		retryOnFail: options.retryOnFail ?? false,
		maxTries: 3,
	};

	const getNodeParameter = (
		name: string,
		itemIndex: number,
		fallback?: unknown,
		parameterOptions?: { extractValue?: boolean },
	): unknown => {
		parameterReads.push({ name, itemIndex });
		if (!(name in options.parameters)) {
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		}
		const value = options.parameters[name];
		const item = options.items[itemIndex];
		if (!item) throw new Error(`No item ${itemIndex}`);
		const resolved =
			typeof value === 'function' ? (value as (i: number, it: INodeExecutionData) => unknown)(itemIndex, item) : structuredClone(value);
		// As n8n does with extractValue: a resource locator gives its value, whatever its mode.
		if (parameterOptions?.extractValue && resolved !== null && typeof resolved === 'object' && (resolved as { __rl?: unknown }).__rl) {
			return (resolved as { value: unknown }).value;
		}
		return resolved;
	};

	const context = {
		getInputData: () => options.items,
		// n8n hands out a fresh copy on every call.
		getNode: () => structuredClone(node),
		getNodeParameter,
		continueOnFail: () => options.continueOnFail ?? false,
		addExecutionHints: (...added: NodeExecutionHint[]) => hints.push(...added),
		getExecutionCancelSignal: () => options.cancelSignal,
		getCredentials: async (type: string) => {
			if (type !== credentials.name) throw new Error(`The node has no credentials of type ${type}`);
			credentialReads.push('getCredentials');
			return structuredClone(options.credentials);
		},
		helpers: {
			// As n8n-core does with the default (in-memory) binary data mode: the bytes as base64, with their name and type.
			async prepareBinaryData(data: Buffer, fileName?: string, mimeType?: string): Promise<IBinaryData> {
				const dot = fileName?.lastIndexOf('.') ?? -1;
				return {
					data: data.toString('base64'),
					mimeType: mimeType ?? 'application/octet-stream',
					...(fileName ? { fileName } : {}),
					...(fileName && dot > 0 ? { fileExtension: fileName.slice(dot + 1) } : {}),
					fileSize: `${data.length} B`,
				};
			},
			async httpRequestWithAuthentication(
				this: unknown,
				type: string,
				requestOptions: IHttpRequestOptions,
				additional?: IAdditionalCredentialOptions,
			) {
				if (type !== credentials.name) throw new Error(`Unknown credential type ${type}`);
				// As n8n-core does: the execution's cancel signal replaces the caller's.
				requestOptions.abortSignal = options.cancelSignal;
				try {
					const authenticate = credentials.authenticate;
					if (typeof authenticate !== 'function') throw new Error('authenticate must be a function');
					// As n8n-core does: a credential the node already read is used as given, not read again.
					if (!additional?.credentialsDecrypted) credentialReads.push('request');
					const credential = additional?.credentialsDecrypted?.data ?? structuredClone(options.credentials);
					const authenticated = await authenticate(credential, requestOptions);
					return await httpRequest(authenticated, requests);
				} catch (error) {
					// n8n-workflow 2.x keeps the wrapped error (with its request config) as `cause`;
					// 1.x drops it. Behave like 2.x, the one that carries more.
					const wrapped = new NodeApiError(node, error as JsonObject);
					if (wrapped.cause === undefined)
						Object.defineProperty(wrapped, 'cause', { value: error, enumerable: true, configurable: true, writable: true });
					throw wrapped;
				}
			},
		},
	};
	return { context: context as unknown as IExecuteFunctions, requests, parameterReads, credentialReads, hints };
}

/** Runs the node's execute() the way n8n does for the node's version (default 1). */
export async function runNode(options: ContextOptions): Promise<{
	output: INodeExecutionData[];
	requests: RecordedRequest[];
	parameterReads: ParameterRead[];
	credentialReads: string[];
	hints: NodeExecutionHint[];
}> {
	const { context, requests, parameterReads, credentialReads, hints } = createContext(options);
	const versioned = options.nodeType ?? new ModelArts();
	const nodeType = ('getNodeType' in versioned ? versioned.getNodeType(options.typeVersion ?? 1) : versioned) as INodeType;
	const [output] = (await nodeType.execute!.call(context)) as INodeExecutionData[][];
	return { output: output ?? [], requests, parameterReads, credentialReads, hints };
}

/** A request error shaped like axios's: the config (with headers) rides along. */
class HttpClientError extends Error {
	constructor(
		message: string,
		readonly code: string | undefined,
		readonly config: { url: string; method: string; headers: Record<string, string> },
		readonly response?: { status: number; data: unknown; headers: Record<string, unknown> },
	) {
		super(message);
		this.name = 'AxiosError';
	}
}

function fullUrl(options: IHttpRequestOptions): URL {
	const raw = options.url ?? '';
	const url = new URL(/^https?:\/\//i.test(raw) ? raw : `${(options.baseURL ?? '').replace(/\/+$/, '')}/${raw.replace(/^\/+/, '')}`);
	for (const [key, value] of Object.entries((options.qs ?? {}) as Record<string, unknown>)) {
		if (value !== undefined) url.searchParams.append(key, String(value));
	}
	return url;
}

function requestBody(options: IHttpRequestOptions, headers: Record<string, string>): string | undefined {
	const { body } = options;
	if (body === undefined || body === null || body === '') return undefined;
	if (typeof body === 'string') {
		// axios sends a string that parses as JSON trimmed, as is otherwise.
		try {
			JSON.parse(body);
			return body.trim();
		} catch {
			return body;
		}
	}
	if (typeof body === 'object' && Object.keys(body).length === 0) return undefined;
	headers['content-type'] ??= 'application/json';
	return JSON.stringify(body);
}

async function httpRequest(options: IHttpRequestOptions, log: RecordedRequest[]): Promise<unknown> {
	const url = fullUrl(options);
	const method = (options.method ?? 'GET').toUpperCase();
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = String(value);
	headers['user-agent'] ??= 'n8n';
	const body = requestBody(options, headers);
	log.push({ method, url: url.href, headers: { ...headers }, body });
	const config = { url: url.href, method, headers: { ...headers } };

	const response = await new Promise<{ status: number; statusText: string; headers: http.IncomingHttpHeaders; data: Buffer }>(
		(resolve, reject) => {
			const transport = url.protocol === 'https:' ? https : http;
			const request = transport.request(url, { method, headers, signal: options.abortSignal as AbortSignal | undefined }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () =>
					resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, data: Buffer.concat(chunks) }),
				);
				res.on('error', (error: NodeJS.ErrnoException) => reject(new HttpClientError(error.message, error.code, config)));
			});
			if (options.timeout) {
				request.setTimeout(options.timeout, () =>
					request.destroy(Object.assign(new Error(`timeout of ${options.timeout}ms exceeded`), { code: 'ECONNABORTED' })),
				);
			}
			request.on('error', (error: NodeJS.ErrnoException) => reject(new HttpClientError(error.message, error.code, config)));
			request.end(body);
		},
	);

	let data: unknown = response.data;
	if (options.encoding !== 'arraybuffer') {
		const text = response.data.toString('utf8');
		try {
			data = JSON.parse(text);
		} catch {
			data = text;
		}
	}
	if (!options.ignoreHttpStatusErrors && (response.status < 200 || response.status >= 300)) {
		throw new HttpClientError(`Request failed with status code ${response.status}`, 'ERR_BAD_RESPONSE', config, {
			status: response.status,
			data,
			headers: response.headers,
		});
	}
	if (options.returnFullResponse) {
		return { body: data, headers: response.headers, statusCode: response.status, statusMessage: response.statusText };
	}
	return data;
}

/** n8n items with just JSON. */
export const itemsOf = (values: Array<Record<string, unknown>>): INodeExecutionData[] =>
	values.map((json) => ({ json: json as INodeExecutionData['json'] }));

/** The items at which the node read the parameter `name`, in order. */
export const readsOf = (reads: ParameterRead[], name: string): number[] =>
	reads.filter((read) => read.name === name).map((read) => read.itemIndex);
