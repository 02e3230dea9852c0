import {
	ConfigurationError,
	ModelArtsCoreClient,
	noAuth,
	redact,
	type Transport,
	type TransportRequest,
	type TransportResponse,
	untilStopped,
} from '@modelarts-kit/client/core';
import * as n8nWorkflow from 'n8n-workflow';
import type {
	IAdditionalCredentialOptions,
	IExecuteFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';
import { readCredential, secretsOf } from '../../../../credentials/common/modelarts-auth';

export const CREDENTIAL_TYPE = 'modelArtsApi';

/** What the client needs of n8n: an execution, the editor's list search, or a trigger's poll. */
export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface ClientSettings {
	batchSize: number;
	concurrency: number;
	maxRetries: number;
	timeoutMs: number;
}

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * n8n's abortable sleep: n8n-workflow 1.x exports it as `sleepWithAbort`;
 * 2.x dropped that name and its `sleep(ms, signal)` takes the signal itself.
 * Looked up on the instance's own n8n-workflow (a peer dependency), so the
 * node needs no timer of its own on either major version.
 */
export function hostSleep(workflow: object = n8nWorkflow): Sleep {
	const { sleepWithAbort, sleep } = workflow as { sleepWithAbort?: Sleep; sleep?: Sleep };
	const chosen = sleepWithAbort ?? sleep;
	if (typeof chosen !== 'function') throw new TypeError('n8n-workflow provides neither sleepWithAbort nor sleep');
	return chosen;
}

export interface NodeClient {
	client: ModelArtsCoreClient;
	/** Redacts credential values and signatures in a text (defence in depth for error text). */
	scrub(text: string): string;
}

/**
 * A ModelArts client whose requests go through n8n's
 * `httpRequestWithAuthentication`: the credential's `authenticate` function
 * signs each attempt, n8n applies its proxy and TLS settings, and our code
 * never builds auth headers itself. Timers come from n8n-workflow (see
 * hostSleep), so the bundled client needs no global timer.
 *
 * Nothing is kept between executions: a client lives for one `execute`
 * call, so the node runs unchanged on queue-mode workers.
 */
export async function createNodeClient(ctx: RequestContext, settings: ClientSettings): Promise<NodeClient> {
	// Read (and decrypted) once per execution: every request then signs with this same copy.
	const raw = await ctx.getCredentials(CREDENTIAL_TYPE);
	const credential = readCredential(raw);
	const secrets = secretsOf(raw);
	const scrub = (text: string): string => redact(text, secrets);
	const reference = ctx.getNode().credentials?.[CREDENTIAL_TYPE];
	const decrypted: IAdditionalCredentialOptions = {
		credentialsDecrypted: { id: reference?.id ?? '', name: reference?.name ?? '', type: CREDENTIAL_TYPE, data: raw },
	};
	const client = new ModelArtsCoreClient({
		endpoint: credential.endpoint,
		allowInsecureHttp: credential.allowInsecureHttp,
		projectId: credential.projectId,
		// The credential signs in n8n's request layer; the client adds nothing.
		auth: noAuth,
		transport: n8nTransport(ctx, settings.timeoutMs, scrub, decrypted),
		runtime: { sleep: hostSleep() },
		batchSize: settings.batchSize,
		concurrency: settings.concurrency,
		maxRetries: settings.maxRetries,
		timeoutMs: settings.timeoutMs,
	});
	return { client, scrub };
}

/**
 * The client's transport on top of n8n's request helper. The body goes out
 * as the exact JSON string the client serialised (and the credential
 * signed); HTTP error statuses come back as responses, because the client
 * reads ModelArts' error body, request ID and Retry-After from them; and
 * redirects are not followed, so credentials stay with the configured host.
 */
export function n8nTransport(
	ctx: RequestContext,
	timeoutMs: number,
	scrub: (text: string) => string,
	credential?: IAdditionalCredentialOptions,
): Transport {
	return async (url: string, init: TransportRequest): Promise<TransportResponse> => {
		const options: IHttpRequestOptions = {
			method: init.method.toUpperCase() as IHttpRequestMethods,
			url,
			headers: { ...init.headers },
			body: init.body,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			encoding: 'arraybuffer',
			// n8n's helper replaces our abort signal with the execution's, so the
			// socket gets its own limit as well as the race below.
			timeout: timeoutMs,
		};
		let response: IN8nHttpFullResponse;
		try {
			// Both contexts' helpers have this signature; TypeScript cannot call a union of them.
			const pending = (ctx as IExecuteFunctions).helpers.httpRequestWithAuthentication.call(
				ctx,
				CREDENTIAL_TYPE,
				options,
				credential,
			) as Promise<IN8nHttpFullResponse>;
			response = await (init.signal ? untilStopped(pending, init.signal) : pending);
		} catch (error) {
			throw transportFailure(error, scrub);
		}
		return toTransportResponse(response);
	};
}

/**
 * What the client learns about a request that got no HTTP answer. n8n's
 * error wraps the HTTP library's error, which holds the request options,
 * headers included: only the error code and message travel on, never the
 * wrapped objects, and any credential value in them is masked.
 */
function transportFailure(error: unknown, scrub: (text: string) => string): Error {
	const chain: Array<Record<string, unknown>> = [];
	let current: unknown = error;
	while (current && typeof current === 'object' && chain.length < 8) {
		chain.push(current as Record<string, unknown>);
		current = (current as { cause?: unknown }).cause;
	}
	if (chain.some((link) => link.name === 'ModelArtsCredentialError')) {
		const origin = chain.find((link) => link.name === 'ModelArtsCredentialError')!;
		return new ConfigurationError(scrub(String(origin.message)));
	}
	const code = chain.map((link) => link.code).find((value): value is string => typeof value === 'string' && /^E[A-Z_]+$/.test(value));
	const innermost = [...chain].reverse().find((link) => typeof link.message === 'string' && link.message !== '');
	const message = scrub(String(innermost?.message ?? 'the request failed without an answer')).slice(0, 300);
	const failure = new Error(code && !message.includes(code) ? `${code} ${message}` : message);
	if (code) Object.assign(failure, { code });
	return failure;
}

function toTransportResponse(response: IN8nHttpFullResponse): TransportResponse {
	const headers = (response.headers ?? {}) as Record<string, unknown>;
	const names = new Map(Object.keys(headers).map((name) => [name.toLowerCase(), name]));
	return {
		status: response.statusCode,
		headers: {
			get(name: string): string | null {
				const key = names.get(name.toLowerCase());
				if (key === undefined) return null;
				const value = headers[key];
				if (value === undefined || value === null) return null;
				return Array.isArray(value) ? value.join(', ') : String(value);
			},
		},
		text: async () => bodyText(response.body),
	};
}

function bodyText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (body instanceof ArrayBuffer) return new TextDecoder().decode(body);
	if (ArrayBuffer.isView(body)) return new TextDecoder().decode(body);
	// A host that parsed the JSON anyway: its serialisation is the same document.
	return JSON.stringify(body);
}
