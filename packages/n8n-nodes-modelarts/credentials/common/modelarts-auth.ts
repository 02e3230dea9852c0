import { isIdentifier, resolveEndpoint, secretValues, signRequest, type EndpointWording } from '@modelarts-kit/client/core';
import { UserError, type ICredentialDataDecryptedObject, type IDataObject, type IHttpRequestOptions } from 'n8n-workflow';

/**
 * What the ModelArts credential holds, checked and trimmed. Shared by the
 * credential's `authenticate` function (which signs every request) and the
 * node (which needs the endpoint and project ID to build request URLs).
 */
export type ModelArtsAuth =
	| { kind: 'accessKey'; accessKey: string; secretKey: string; securityToken?: string }
	| { kind: 'token'; token: string };

export interface ModelArtsCredentialData {
	auth: ModelArtsAuth;
	/** Base URL without a trailing slash, e.g. https://modelarts.cn-north-4.myhuaweicloud.com */
	endpoint: string;
	allowInsecureHttp: boolean;
	projectId: string;
}

/**
 * Raised for a credential that cannot work. Messages name fields, never their secret values.
 * A UserError (level "info"): n8n reports a failed credential test to the user and logs it
 * without a stack trace, as it does for other mistakes in user input.
 */
export class ModelArtsCredentialError extends UserError {
	override name = 'ModelArtsCredentialError';
}

/** The client's endpoint rule, worded for the credential's fields. */
const CREDENTIAL_WORDING: EndpointWording = {
	endpoint: 'The custom endpoint',
	allowInsecureHttp: 'turn on "Allow Insecure HTTP"',
	region: 'pick one from the list or use a custom endpoint',
};
const HEADER_BREAKING = /[\r\n\0]/;

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

function secret(raw: ICredentialDataDecryptedObject, field: string, label: string): string {
	const value = text(raw[field]);
	if (value === '') throw new ModelArtsCredentialError(`The ModelArts credential has no ${label}`);
	if (HEADER_BREAKING.test(value)) {
		throw new ModelArtsCredentialError(
			`The ${label} of the ModelArts credential contains a line break or NUL, which cannot be sent in a header`,
		);
	}
	return value;
}

/**
 * The endpoint the credential points at. HTTPS is required, except for a
 * loopback address (a local emulator or tunnel) or an explicit opt-in.
 */
export function endpointFromCredential(raw: ICredentialDataDecryptedObject): string {
	const options =
		raw.endpointType === 'custom'
			? { endpoint: text(raw.endpoint), allowInsecureHttp: raw.allowInsecureHttp === true }
			: { region: text(raw.region) };
	let problem: string;
	try {
		return resolveEndpoint(options, CREDENTIAL_WORDING);
	} catch (error) {
		problem = (error as Error).message;
	}
	throw new ModelArtsCredentialError(problem);
}

/** What readCredential made of a credential object: n8n hands the same object to every request of an execution. */
const read = new WeakMap<ICredentialDataDecryptedObject, ModelArtsCredentialData>();

export function readCredential(raw: ICredentialDataDecryptedObject): ModelArtsCredentialData {
	const known = read.get(raw);
	if (known) return known;
	const projectId = text(raw.projectId);
	if (!isIdentifier(projectId)) {
		throw new ModelArtsCredentialError(
			'The project ID of the ModelArts credential is missing or not valid: it is the 32-character ID listed for your region under My Credentials > API Credentials in the Huawei Cloud console',
		);
	}
	let auth: ModelArtsAuth;
	if (raw.authType === 'token') {
		auth = { kind: 'token', token: secret(raw, 'token', 'IAM token') };
	} else {
		const securityToken = text(raw.securityToken);
		auth = {
			kind: 'accessKey',
			accessKey: secret(raw, 'accessKey', 'access key ID (AK)'),
			secretKey: secret(raw, 'secretKey', 'secret access key (SK)'),
		};
		if (securityToken !== '') auth.securityToken = secret(raw, 'securityToken', 'security token');
	}
	const credential: ModelArtsCredentialData = {
		auth,
		endpoint: endpointFromCredential(raw),
		allowInsecureHttp: raw.endpointType === 'custom' && raw.allowInsecureHttp === true,
		projectId,
	};
	read.set(raw, credential);
	return credential;
}

/** The secret values of a credential, so that error text can be scrubbed of them. */
export function secretsOf(raw: ICredentialDataDecryptedObject): string[] {
	return secretValues(['accessKey', 'secretKey', 'securityToken', 'token'].map((field) => text(raw[field])));
}

// axios joins baseURL and url this way; the signature must cover the URL that is really requested.
function joinUrl(baseURL: string, url: string): string {
	return `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

function requestUrl(options: IHttpRequestOptions, endpoint: string): URL {
	const raw = options.url ?? '';
	const absolute = /^https?:\/\//i.test(raw) ? raw : joinUrl(options.baseURL ?? endpoint, raw);
	const url = new URL(absolute);
	const qs = options.qs as IDataObject | undefined;
	if (qs) {
		for (const [key, value] of Object.entries(qs)) {
			if (value === undefined || value === null) continue;
			for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
		}
	}
	return url;
}

/** The exact body bytes that will be sent (as axios sends them), or undefined for none. */
function wireBody(body: IHttpRequestOptions['body']): string | undefined {
	if (body === undefined || body === null || body === '') return undefined;
	if (typeof body === 'string') return body;
	if (typeof body === 'object' && Object.getPrototypeOf(body) === Object.prototype) {
		return Object.keys(body).length === 0 ? undefined : JSON.stringify(body);
	}
	if (Array.isArray(body)) return JSON.stringify(body);
	throw new ModelArtsCredentialError('ModelArts requests are JSON: the request body must be a string or a plain object to be signed');
}

function parsesAsJson(value: string): boolean {
	try {
		JSON.parse(value);
		return true;
	} catch {
		return false;
	}
}

/**
 * The credential's `authenticate` function: adds `X-Auth-Token` (token) or
 * an SDK-HMAC-SHA256 signature (AK/SK) to a request, plus `X-Project-Id`.
 *
 * - The body is serialised here, once, and that exact string is both signed
 *   and sent, so what the gateway hashes is what was signed.
 * - The credentials are only ever attached to requests for the endpoint the
 *   credential names: a request for another origin is refused, so an
 *   expression or a redirect cannot carry them to another host.
 * - It is called for every attempt, so a retry is signed afresh (new X-Sdk-Date).
 */
export async function authenticateRequest(
	raw: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
	now: Date = new Date(),
): Promise<IHttpRequestOptions> {
	const credential = readCredential(raw);
	const endpoint = new URL(credential.endpoint);
	const url = requestUrl(options, credential.endpoint);
	if (url.origin !== endpoint.origin) {
		throw new ModelArtsCredentialError(
			`The ModelArts credential is only sent to ${endpoint.origin}; refusing to attach it to a request for ${url.origin}`,
		);
	}
	const method = (options.method ?? 'GET').toUpperCase();
	let body = wireBody(options.body);

	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(options.headers ?? {})) {
		if (value === undefined || value === null) continue;
		headers[name.toLowerCase()] = String(value);
	}
	// Whatever was there before is replaced by this credential's own auth.
	for (const name of ['authorization', 'x-auth-token', 'x-sdk-date', 'x-security-token', 'host']) delete headers[name];
	if (body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
	// axios sends a JSON string body trimmed when it parses as JSON: sign those same bytes.
	if (body !== undefined && headers['content-type']?.includes('json') && body !== body.trim() && parsesAsJson(body)) {
		body = body.trim();
	}
	headers['x-project-id'] = credential.projectId;

	if (credential.auth.kind === 'token') {
		headers['x-auth-token'] = credential.auth.token;
	} else {
		const signedHeaders: Record<string, string> = { 'x-project-id': credential.projectId };
		if (headers['content-type'] !== undefined) signedHeaders['content-type'] = headers['content-type'];
		const added = signRequest({ method, url: url.href, headers: signedHeaders, body }, credential.auth, { date: now });
		for (const [name, value] of Object.entries(added)) headers[name] = value;
		// The HTTP stack sends Host from the URL, the same value that was signed.
		delete headers.host;
	}

	const authenticated: IHttpRequestOptions = { ...options, method: method as IHttpRequestOptions['method'], url: url.href, headers };
	delete authenticated.baseURL;
	delete authenticated.qs;
	if (body === undefined) delete authenticated.body;
	else authenticated.body = body;
	return authenticated;
}
