import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { DEFAULT_PROJECT_ID, startEmulator, type RunningEmulator } from '@modelarts-kit/emulator';
import type { INodeExecutionData } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { n8nTransport } from '../nodes/ModelArts/v1/transport/client';
import { createContext, itemsOf, runNode } from './support/n8n-context';

// Known values that must never show up in anything the node lets out.
const SENTINELS = {
	accessKey: 'SENTINELAK7Q2W9E4R1T',
	secretKey: 'sentinel-secret-key/Z8x7C6v5B4n3M2',
	securityToken: 'sentinel-security-token-P0o9I8u7',
	token: 'sentinel-iam-token-L1k2J3h4G5f6',
};
const SECRET_VALUES = Object.values(SENTINELS);

/** Everything about an error a user, a log or n8n's stored execution could see. */
function exposure(error: unknown): string {
	const parts: string[] = [inspect(error, { depth: 20, showHidden: true, getters: true })];
	try {
		parts.push(JSON.stringify(error));
	} catch (caught) {
		parts.push(String(caught));
	}
	for (let link: unknown = error; link; link = (link as { cause?: unknown }).cause) {
		const { message, description, stack } = link as { message?: unknown; description?: unknown; stack?: unknown };
		parts.push(String(message), String(description), String(stack));
	}
	return parts.join('\n');
}

function expectNoSecret(text: string): void {
	for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
	// Not even a signature made with them.
	expect(text).not.toMatch(/Signature=[0-9a-f]{64}/);
}

let emulator: RunningEmulator;
let closedPortUrl: string;
let echoServer: http.Server;
let echoUrl: string;

beforeAll(async () => {
	emulator = await startEmulator({ imagesPerJob: 10, faults: { jobs: { '287': { rate: 1, kinds: ['delay'], delayMs: 20_000 } } } });
	const probe = http.createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	closedPortUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
	await new Promise((resolve) => probe.close(resolve));
	// A hostile gateway that repeats the credentials it received in its error message.
	echoServer = http.createServer((req, res) => {
		const echoed = `${req.headers['x-auth-token'] ?? ''} ${req.headers.authorization ?? ''} ${req.headers['x-security-token'] ?? ''}`;
		res.writeHead(401, { 'content-type': 'application/json', 'x-request-id': 'echo-request' });
		res.end(JSON.stringify({ error_code: 'APIG.0301', error_msg: `Bad credentials: ${echoed}` }));
	});
	await new Promise<void>((resolve) => echoServer.listen(0, '127.0.0.1', resolve));
	echoUrl = `http://127.0.0.1:${(echoServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
	await emulator.close();
	await new Promise((resolve) => echoServer.close(resolve));
});

const tokenAuth = { authType: 'token', token: SENTINELS.token };
const keyAuth = {
	authType: 'accessKey',
	accessKey: SENTINELS.accessKey,
	secretKey: SENTINELS.secretKey,
	securityToken: SENTINELS.securityToken,
};

function run(
	credentials: Record<string, unknown>,
	extra: { continueOnFail?: boolean; jobId?: string; options?: Record<string, unknown> } = {},
) {
	return runNode({
		items: itemsOf([{ ids: 'img-1,img-2' }]),
		parameters: {
			resource: 'image',
			operation: 'getTags',
			annotationId: extra.jobId ?? '282',
			imageIds: (_: number, item: INodeExecutionData) => item.json.ids,
			options: { maxRetries: 1, timeout: 1_000, ...extra.options },
		},
		credentials: { endpointType: 'custom', projectId: DEFAULT_PROJECT_ID, ...credentials },
		continueOnFail: extra.continueOnFail ?? false,
	});
}

describe('no credential leaks out of the node', () => {
	const cases: Array<[string, () => Record<string, unknown>, { jobId?: string }?]> = [
		['wrong AK/SK (401 from the gateway)', () => ({ ...keyAuth, endpoint: emulator.url })],
		['wrong token (401 from the gateway)', () => ({ ...tokenAuth, endpoint: emulator.url })],
		['a gateway that echoes the token', () => ({ ...tokenAuth, endpoint: echoUrl })],
		['a gateway that echoes the signature and security token', () => ({ ...keyAuth, endpoint: echoUrl })],
		['a refused connection (the HTTP error carries the signed headers)', () => ({ ...keyAuth, endpoint: closedPortUrl })],
		['a refused connection with a token', () => ({ ...tokenAuth, endpoint: closedPortUrl })],
		['a timeout', () => ({ ...tokenAuth, endpoint: emulator.url }), { jobId: '287' }],
		['plain HTTP to a network host', () => ({ ...keyAuth, endpoint: 'http://modelarts.internal.test' })],
		['a secret key with a line break', () => ({ ...keyAuth, secretKey: `${SENTINELS.secretKey}\n`, endpoint: emulator.url })],
		['a token with a line break', () => ({ ...tokenAuth, token: `x\n${SENTINELS.token}`, endpoint: emulator.url })],
	];

	it.each(cases)('%s: the thrown error', async (_, credentials, extra) => {
		const error = await run(credentials(), extra).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(Error);
		expectNoSecret(exposure(error));
	});

	it.each(cases)('%s: the error items of Continue On Fail', async (_, credentials, extra) => {
		const outcome = await run(credentials(), { ...extra, continueOnFail: true }).then(
			({ output }) => JSON.stringify(output) + inspect(output, { depth: 20 }),
			(error: unknown) => exposure(error),
		);
		expectNoSecret(outcome);
	});

	it('the echoed secrets really were in the answer: the node masked them', async () => {
		const { output } = await run({ ...tokenAuth, endpoint: echoUrl }, { continueOnFail: true });
		expect(String(output[0]!.json.error_msg)).toBe('Bad credentials: [credential]  ');
	});
});

describe('the transport hands the client only a code and a message', () => {
	it('drops the HTTP error that carries the signed request headers', async () => {
		const { context } = createContext({
			items: itemsOf([{}]),
			parameters: {},
			credentials: { ...keyAuth, endpointType: 'custom', endpoint: closedPortUrl, projectId: DEFAULT_PROJECT_ID },
		});
		const request = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"image_id":["a"]}' };
		const url = `${closedPortUrl}/v1/${DEFAULT_PROJECT_ID}/data-annotations/282/tags/show`;
		// What n8n's helper throws does hold the secrets: the test below is not vacuous.
		const raw = await context.helpers.httpRequestWithAuthentication
			.call(context, 'modelArtsApi', { ...request, method: 'POST', url })
			.catch((caught: unknown) => caught);
		expect(exposure(raw)).toContain(SENTINELS.securityToken);

		const transport = n8nTransport(context, 1_000, (text) => text);
		const error = await transport(url, request).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error & { code?: string }).code).toBe('ECONNREFUSED');
		expectNoSecret(exposure(error));
	});
});
