import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { DEFAULT_CREDENTIALS, DEFAULT_PROJECT_ID, DEFAULT_TOKEN, startEmulator, type RunningEmulator } from '@modelarts-kit/emulator';
import { UserError, type ICredentialDataDecryptedObject, type IHttpRequestOptions } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	authenticateRequest,
	endpointFromCredential,
	ModelArtsCredentialError,
	readCredential,
} from '../credentials/common/modelarts-auth';
import { createContext, credentialType, itemsOf } from './support/n8n-context';

interface Vector {
	id: string;
	request: { method: string; url: string; headers: Record<string, string>; body: string | null };
	credentials: { accessKey: string; secretKey: string };
	date: string;
	expected: { authorization: string; xSdkDate: string };
}

const vectors = (
	JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'client', 'test', 'fixtures', 'signing-vectors.json'), 'utf8')) as {
		vectors: Vector[];
	}
).vectors;

describe('authenticate: AK/SK signatures match the official signer', () => {
	// The vectors whose signed headers are exactly what the credential signs:
	// content-type, host, x-project-id, x-sdk-date (and x-security-token for temporary keys).
	it.each(['tags_show_basic', 'tags_show_unicode_spaces', 'security_token', 'endpoint_with_port_http', 'post_empty_body_undefined'])(
		'vector %s',
		async (id) => {
			const vector = vectors.find((candidate) => candidate.id === id)!;
			const url = new URL(vector.request.url);
			const securityToken = vector.request.headers['X-Security-Token'];
			const credential: ICredentialDataDecryptedObject = {
				authType: 'accessKey',
				accessKey: vector.credentials.accessKey,
				secretKey: vector.credentials.secretKey,
				...(securityToken ? { securityToken } : {}),
				endpointType: 'custom',
				endpoint: url.origin,
				projectId: vector.request.headers['X-Project-Id']!,
			};
			const signed = await authenticateRequest(
				credential,
				{
					method: vector.request.method as IHttpRequestOptions['method'],
					url: vector.request.url,
					headers: { 'Content-Type': 'application/json' },
					body: vector.request.body ?? undefined,
				},
				new Date(vector.date),
			);
			expect(signed.headers).toMatchObject({
				authorization: vector.expected.authorization,
				'x-sdk-date': vector.expected.xSdkDate,
				'x-project-id': credential.projectId,
			});
			expect(signed.body).toBe(vector.request.body ?? undefined);
			expect(signed.headers).not.toHaveProperty('host');
		},
	);

	it('signs an object body as the JSON string it then sends', async () => {
		const vector = vectors.find((candidate) => candidate.id === 'tags_show_basic')!;
		const signed = await authenticateRequest(
			{ authType: 'accessKey', ...vector.credentials, endpointType: 'region', region: 'cn-north-4', projectId: DEFAULT_PROJECT_ID },
			{ method: 'POST', url: new URL(vector.request.url).pathname, body: JSON.parse(vector.request.body!) },
			new Date(vector.date),
		);
		expect(signed.url).toBe(vector.request.url);
		expect(signed.body).toBe(vector.request.body);
		expect(signed.headers!.authorization).toBe(vector.expected.authorization);
	});
});

describe('authenticate: token, endpoint and where credentials may go', () => {
	const tokenCredential: ICredentialDataDecryptedObject = {
		authType: 'token',
		token: ' the-token ',
		endpointType: 'custom',
		endpoint: 'http://127.0.0.1:9/base/',
		projectId: 'p1',
	};

	it('sets X-Auth-Token and X-Project-Id, and resolves a relative URL against the endpoint', async () => {
		const signed = await authenticateRequest(tokenCredential, {
			method: 'POST',
			url: '/v1/p1/data-annotations/1/tags/show',
			headers: { Authorization: 'Bearer stale', 'X-Auth-Token': 'stale' },
			body: '{"image_id":["a"]}',
			qs: {},
		});
		expect(signed.url).toBe('http://127.0.0.1:9/base/v1/p1/data-annotations/1/tags/show');
		expect(signed.headers).toEqual({ 'content-type': 'application/json', 'x-project-id': 'p1', 'x-auth-token': 'the-token' });
		expect(signed).not.toHaveProperty('qs');
	});

	it('refuses to attach the credential to another origin', async () => {
		await expect(authenticateRequest(tokenCredential, { method: 'GET', url: 'http://127.0.0.1:10/v1/p1/x' })).rejects.toThrow(
			'The ModelArts credential is only sent to http://127.0.0.1:9; refusing to attach it to a request for http://127.0.0.1:10',
		);
		await expect(authenticateRequest(tokenCredential, { method: 'GET', url: 'https://127.0.0.1:9/x' })).rejects.toThrow(/refusing/);
	});

	it.each([
		[{ endpointType: 'region', region: 'cn-north-4' }, 'https://modelarts.cn-north-4.myhuaweicloud.com'],
		[{ endpointType: 'custom', endpoint: 'https://modelarts.example.com/' }, 'https://modelarts.example.com'],
		[{ endpointType: 'custom', endpoint: 'http://localhost:8080' }, 'http://localhost:8080'],
		[{ endpointType: 'custom', endpoint: 'http://[::1]:8080/' }, 'http://[::1]:8080'],
		[{ endpointType: 'custom', endpoint: 'http://modelarts.internal.test', allowInsecureHttp: true }, 'http://modelarts.internal.test'],
	])('endpoint %j -> %s', (fields, expected) => {
		expect(endpointFromCredential(fields as ICredentialDataDecryptedObject)).toBe(expected);
	});

	it.each([
		[{ endpointType: 'custom', endpoint: 'http://modelarts.internal.test' }, /uses plain HTTP/],
		[{ endpointType: 'custom', endpoint: 'ftp://modelarts.internal.test' }, /must be an http\(s\) URL/],
		[{ endpointType: 'custom', endpoint: 'https://user:pw@modelarts.example.com' }, /user name or password/],
		[{ endpointType: 'custom', endpoint: 'https://modelarts.example.com/?a=1' }, /query or fragment/],
		[{ endpointType: 'custom', endpoint: 'not a url' }, /is not a URL/],
		[{ endpointType: 'region', region: 'mars-1' }, /not a Huawei Cloud region/],
	])('refuses the endpoint %j', (fields, message) => {
		expect(() => endpointFromCredential(fields as ICredentialDataDecryptedObject)).toThrow(message);
	});

	it('refuses with a user error, which n8n logs without a stack trace when a credential test fails', () => {
		let caught: unknown;
		try {
			endpointFromCredential({ endpointType: 'custom', endpoint: 'http://modelarts.internal.test' });
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(ModelArtsCredentialError);
		expect(caught).toBeInstanceOf(UserError);
		expect((caught as UserError).level).toBe('info');
	});

	it.each([
		[{ authType: 'accessKey', accessKey: 'ak', secretKey: '', projectId: 'p' }, 'The ModelArts credential has no secret access key (SK)'],
		[{ authType: 'accessKey', accessKey: 'ak', secretKey: 'a\nb', projectId: 'p' }, /contains a line break/],
		[{ authType: 'token', token: '  ', projectId: 'p' }, 'The ModelArts credential has no IAM token'],
		[{ authType: 'token', token: 't', projectId: '' }, /project ID of the ModelArts credential is missing/],
		[{ authType: 'token', token: 't', projectId: 'a/b' }, /project ID of the ModelArts credential is missing or not valid/],
	])('refuses the credential %j', (fields, message) => {
		expect(() => readCredential({ endpointType: 'region', region: 'cn-north-4', ...fields } as ICredentialDataDecryptedObject)).toThrow(
			message,
		);
	});
});

/**
 * The credential test as n8n's credentials tester runs a request-based test:
 * the request's expressions are resolved with $credentials, the request goes
 * through httpRequestWithAuthentication (so `authenticate` signs it), and
 * each `responseSuccessBody` rule fails the test when the body's key equals
 * the rule's value.
 */
async function testCredential(credentials: ICredentialDataDecryptedObject): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const resolve = (value: unknown): unknown =>
		typeof value === 'string' && value.startsWith('=')
			? value
					.slice(1)
					.replace(/\{\{(.+?)\}\}/g, (_, expression: string) =>
						String(new Function('$credentials', `return (${expression});`)(credentials)),
					)
			: value;
	const { request, rules = [] } = credentialType.test!;
	const options = {
		qs: {},
		body: {},
		headers: {},
		...Object.fromEntries(Object.entries(request).map(([key, value]) => [key, resolve(value)])),
		returnFullResponse: true,
	};
	const { context } = createContext({ items: itemsOf([{}]), parameters: {}, credentials });
	let response: { body: unknown };
	try {
		response = (await context.helpers.httpRequestWithAuthentication.call(context, credentialType.name, options as IHttpRequestOptions)) as {
			body: unknown;
		};
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
	for (const rule of rules) {
		if (rule.type !== 'responseSuccessBody') continue;
		const body = response.body as Record<string, unknown> | string;
		const value = typeof body === 'object' && body !== null ? body[rule.properties.key] : undefined;
		if (value === rule.properties.value) return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}

describe('the credential test', () => {
	let emulator: RunningEmulator;
	let htmlServer: http.Server;
	let htmlUrl: string;
	beforeAll(async () => {
		emulator = await startEmulator({ imagesPerJob: 10 });
		htmlServer = http.createServer((_, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<html>Not Found</html>'));
		await new Promise<void>((resolve) => htmlServer.listen(0, '127.0.0.1', resolve));
		htmlUrl = `http://127.0.0.1:${(htmlServer.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		await emulator.close();
		await new Promise((resolve) => htmlServer.close(resolve));
	});

	const base = () => ({ endpointType: 'custom', endpoint: emulator.url, projectId: DEFAULT_PROJECT_ID });

	it('passes with a working AK/SK pair: the job-not-found answer proves the gateway accepted the signature', async () => {
		emulator.resetStats();
		expect(await testCredential({ ...base(), authType: 'accessKey', ...DEFAULT_CREDENTIALS })).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(emulator.stats.auth.signature).toBe(1);
		expect(emulator.stats.responses[404]).toBe(1);
	});

	it('passes with a working token', async () => {
		expect((await testCredential({ ...base(), authType: 'token', token: DEFAULT_TOKEN })).status).toBe('OK');
	});

	it('fails with a wrong secret key or token, naming the cause', async () => {
		const wrongKey = await testCredential({
			...base(),
			authType: 'accessKey',
			accessKey: DEFAULT_CREDENTIALS.accessKey,
			secretKey: 'wrong',
		});
		expect(wrongKey).toEqual({ status: 'Error', message: expect.stringContaining('ModelArts rejected the credentials') });
		expect(wrongKey.message).toContain('(APIG.0301)');
		const wrongToken = await testCredential({ ...base(), authType: 'token', token: 'expired-token' });
		expect(wrongToken.status).toBe('Error');
		expect(wrongToken.message).toContain('rejected the credentials');
	});

	it('fails for an endpoint that is not ModelArts', async () => {
		const result = await testCredential({ ...base(), endpoint: htmlUrl, authType: 'token', token: DEFAULT_TOKEN });
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('did not answer like ModelArts') });
	});

	it('fails for an endpoint path where no ModelArts API is published', async () => {
		const result = await testCredential({ ...base(), endpoint: `${emulator.url}/wrong/prefix`, authType: 'token', token: DEFAULT_TOKEN });
		expect(result).toEqual({
			status: 'Error',
			message: 'This endpoint does not serve the ModelArts API: check the region or the endpoint URL (APIG.0101)',
		});
	});

	it('fails before sending anything for a plain-HTTP endpoint on the network', async () => {
		const result = await testCredential({ ...base(), endpoint: 'http://modelarts.internal.test', authType: 'token', token: DEFAULT_TOKEN });
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('uses plain HTTP') });
	});
});
