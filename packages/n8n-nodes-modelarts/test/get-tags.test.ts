import {
	CLASSIFICATION_JOB_ID,
	DEFAULT_CREDENTIALS,
	DEFAULT_PROJECT_ID,
	DEFAULT_TOKEN,
	DETECTION_JOB_ID,
	DETECTION_STRING_TAGS_JOB_ID,
	startEmulator,
	type RunningEmulator,
} from '@modelarts-kit/emulator';
import { NodeApiError, NodeOperationError, type ICredentialDataDecryptedObject } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { boxesOf, expectedRecord } from './support/expected';
import { itemsOf, runNode } from './support/n8n-context';

let emulator: RunningEmulator;
let tokenCredentials: ICredentialDataDecryptedObject;
let accessKeyCredentials: ICredentialDataDecryptedObject;

beforeAll(async () => {
	emulator = await startEmulator({ imagesPerJob: 500 });
	const common = { endpointType: 'custom', endpoint: emulator.url, projectId: DEFAULT_PROJECT_ID };
	tokenCredentials = { ...common, authType: 'token', token: DEFAULT_TOKEN };
	accessKeyCredentials = { ...common, authType: 'accessKey', ...DEFAULT_CREDENTIALS };
});
afterAll(async () => emulator.close());
beforeEach(() => emulator.resetStats());

const classificationIds = (): readonly string[] => emulator.jobs.classification.imageIds;
const detectionIds = (): readonly string[] => emulator.jobs.detection.imageIds;
const truth = (jobId: string, imageId: string) => expectedRecord(emulator.groundTruth(jobId, imageId)!);

/** Get Tags with the image IDs taken from each item's `ids` field, as the expression {{ $json.ids }} would. */
const getTags = (jobId: string, extra: Record<string, unknown> = {}) => ({
	resource: 'image',
	operation: 'getTags',
	annotationId: jobId,
	imageIds: (_: number, item: { json: Record<string, unknown> }) => item.json.ids,
	...extra,
});

describe('Get Tags against the emulator', () => {
	it('signs with AK/SK through the credential and returns one item per image with its item linked', async () => {
		const ids = detectionIds().slice(0, 6);
		const { output, requests } = await runNode({
			items: itemsOf([{ ids: ids.slice(0, 2) }, { ids: ids.slice(2, 5) }, { ids: [ids[5]] }]),
			parameters: getTags(DETECTION_JOB_ID),
			credentials: accessKeyCredentials,
		});
		expect(output.map((item) => item.json)).toEqual(ids.map((id) => truth(DETECTION_JOB_ID, id)));
		expect(output.map((item) => item.pairedItem)).toEqual([0, 0, 1, 1, 1, 2].map((item) => ({ item })));
		expect(requests).toHaveLength(1);
		expect(requests[0]!.headers.authorization).toMatch(
			/^SDK-HMAC-SHA256 Access=EMULATORAK0123456789, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/,
		);
		expect(requests[0]!.headers['x-project-id']).toBe(DEFAULT_PROJECT_ID);
		expect(requests[0]!.headers['x-auth-token']).toBeUndefined();
		expect(requests[0]!.body).toBe(JSON.stringify({ image_id: ids }));
		expect(emulator.stats.auth).toEqual({ token: 0, signature: 1, rejected: 0 });
	});

	it('sends an IAM token through the credential', async () => {
		const ids = classificationIds().slice(0, 4);
		const { output, requests } = await runNode({
			items: itemsOf([{ ids }]),
			parameters: getTags(CLASSIFICATION_JOB_ID),
			credentials: tokenCredentials,
		});
		expect(output.map((item) => item.json)).toEqual(ids.map((id) => truth(CLASSIFICATION_JOB_ID, id)));
		expect(requests[0]!.headers['x-auth-token']).toBe(DEFAULT_TOKEN);
		expect(requests[0]!.headers.authorization).toBeUndefined();
		expect(emulator.stats.auth).toEqual({ token: 1, signature: 0, rejected: 0 });
	});

	it('signs the security token of temporary AK/SK credentials along', async () => {
		const ids = classificationIds().slice(0, 2);
		const { output, requests } = await runNode({
			items: itemsOf([{ ids }]),
			parameters: getTags(CLASSIFICATION_JOB_ID),
			credentials: { ...accessKeyCredentials, securityToken: 'sts-security-token' },
		});
		expect(output).toHaveLength(2);
		expect(requests[0]!.headers['x-security-token']).toBe('sts-security-token');
		expect(requests[0]!.headers.authorization).toContain('SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token,');
	});

	it('accepts one ID, a list, comma- and line-separated text and a JSON list, and links a shared ID to every item', async () => {
		const ids = classificationIds().slice(10, 18);
		const items = itemsOf([
			{ ids: ids[0] },
			{ ids: [ids[1], ` ${ids[2]} `] },
			{ ids: `${ids[3]}, ${ids[4]},,` },
			{ ids: `${ids[5]}\r\n${ids[0]}\n` },
			{ ids: JSON.stringify([ids[6], ids[7]]) },
		]);
		const { output, requests } = await runNode({ items, parameters: getTags(CLASSIFICATION_JOB_ID), credentials: tokenCredentials });
		expect(requests).toHaveLength(1);
		expect(JSON.parse(requests[0]!.body!)).toEqual({ image_id: ids });
		expect(output.map((item) => item.json.image_id)).toEqual(ids);
		expect(output[0]!.pairedItem).toEqual([{ item: 0 }, { item: 3 }]);
		expect(output.slice(1).map((item) => item.pairedItem)).toEqual([1, 1, 2, 2, 3, 4, 4].map((item) => ({ item })));
	});

	it('reads detection tags that arrive as a string holding the JSON list', async () => {
		const ids = emulator.jobs.detectionStringTags.imageIds.slice(0, 5);
		const { output } = await runNode({
			items: itemsOf([{ ids }]),
			parameters: getTags(DETECTION_STRING_TAGS_JOB_ID),
			credentials: tokenCredentials,
		});
		expect(output.map((item) => item.json)).toEqual(ids.map((id) => truth(DETECTION_STRING_TAGS_JOB_ID, id)));
	});

	it('fetches several jobs named per item, one pooled call per job', async () => {
		const c = classificationIds().slice(0, 3);
		const d = detectionIds().slice(0, 3);
		const { output, requests } = await runNode({
			items: itemsOf([
				{ job: CLASSIFICATION_JOB_ID, ids: c.slice(0, 2) },
				{ job: DETECTION_JOB_ID, ids: d },
				{ job: CLASSIFICATION_JOB_ID, ids: [c[2]] },
			]),
			parameters: getTags('', { annotationId: (_: number, item: { json: Record<string, unknown> }) => item.json.job }),
			credentials: tokenCredentials,
		});
		expect(requests.map((request) => new URL(request.url).pathname)).toEqual([
			`/v1/${DEFAULT_PROJECT_ID}/data-annotations/${CLASSIFICATION_JOB_ID}/tags/show`,
			`/v1/${DEFAULT_PROJECT_ID}/data-annotations/${DETECTION_JOB_ID}/tags/show`,
		]);
		expect(output.map((item) => [item.json.image_id, item.json.job_type, item.pairedItem])).toEqual([
			[c[0], 'classification', { item: 0 }],
			[c[1], 'classification', { item: 0 }],
			[d[0], 'detection', { item: 1 }],
			[d[1], 'detection', { item: 1 }],
			[d[2], 'detection', { item: 1 }],
			[c[2], 'classification', { item: 2 }],
		]);
	});
});

describe('output modes and options', () => {
	it("one item per input item carries that item's images and the IDs the job lacks", async () => {
		const ids = classificationIds().slice(0, 3);
		const { output } = await runNode({
			items: itemsOf([{ ids: [ids[0], 'no-such-image'] }, { ids: [ids[1], ids[2], ids[0]] }]),
			parameters: getTags(CLASSIFICATION_JOB_ID, { outputMode: 'perItem' }),
			credentials: tokenCredentials,
		});
		expect(output).toEqual([
			{
				json: { job_type: 'classification', images: [truth(CLASSIFICATION_JOB_ID, ids[0]!)], missing: ['no-such-image'] },
				pairedItem: { item: 0 },
			},
			{
				json: { job_type: 'classification', images: [ids[1], ids[2], ids[0]].map((id) => truth(CLASSIFICATION_JOB_ID, id!)), missing: [] },
				pairedItem: { item: 1 },
			},
		]);
	});

	it('one item per box for a detection job, each linked to the items that asked for its image', async () => {
		const ids = detectionIds()
			.filter((id) => boxesOf(emulator.groundTruth(DETECTION_JOB_ID, id)!).length > 0)
			.slice(0, 4);
		const { output } = await runNode({
			items: itemsOf([{ ids: ids.slice(0, 3) }, { ids: [ids[2], ids[3]] }]),
			parameters: getTags(DETECTION_JOB_ID, { outputMode: 'perBox' }),
			credentials: accessKeyCredentials,
		});
		const expected = ids.flatMap((id, imageIndex) => {
			const entry = emulator.groundTruth(DETECTION_JOB_ID, id)!;
			const size = (expectedRecord(entry) as { size: unknown }).size;
			const pairedItem = imageIndex < 2 ? { item: 0 } : imageIndex === 2 ? [{ item: 0 }, { item: 1 }] : { item: 1 };
			return boxesOf(entry).map(({ tag, pos }, boxIndex) => ({
				json: { image_id: id, box_index: boxIndex, tag, xmin: pos[0], ymin: pos[1], xmax: pos[2], ymax: pos[3], size },
				pairedItem,
			}));
		});
		expect(output).toEqual(expected);
	});

	it('refuses one item per box for a classification job, or reports it per image with Continue On Fail', async () => {
		const ids = classificationIds().slice(0, 2);
		const parameters = getTags(CLASSIFICATION_JOB_ID, { outputMode: 'perBox' });
		const run = runNode({ items: itemsOf([{ ids }]), parameters, credentials: tokenCredentials });
		await expect(run).rejects.toBeInstanceOf(NodeOperationError);
		await expect(run).rejects.toThrow(/classification job/);
		const { output } = await runNode({ items: itemsOf([{ ids }]), parameters, credentials: tokenCredentials, continueOnFail: true });
		expect(output).toHaveLength(2);
		expect(output.every((item) => String(item.json.error).includes('classification job'))).toBe(true);
	});

	it('leaves IDs the job lacks out with a hint naming them, or outputs them with found: false', async () => {
		const [id] = classificationIds();
		const items = itemsOf([{ ids: [id, 'missing-1'] }, { ids: ['missing-1', 'missing-2'] }]);
		const plain = await runNode({ items, parameters: getTags(CLASSIFICATION_JOB_ID), credentials: tokenCredentials });
		expect(plain.output.map((item) => item.json.image_id)).toEqual([id]);
		expect(plain.hints).toEqual([
			{
				type: 'warning',
				location: 'outputPane',
				message: `2 image IDs are not in annotation job ${CLASSIFICATION_JOB_ID}: missing-1, missing-2. They are left out of the output: turn on Options > Include Missing Images to get an item with found: false for each.`,
			},
		]);

		const withMissing = await runNode({
			items,
			parameters: getTags(CLASSIFICATION_JOB_ID, { options: { includeMissing: true } }),
			credentials: tokenCredentials,
		});
		// A missing image has the fields of a found one, empty.
		const missing = (imageId: string) => ({ image_id: imageId, job_type: 'classification', found: false, tags: [] });
		expect(withMissing.output).toEqual([
			{ json: { ...truth(CLASSIFICATION_JOB_ID, id!), found: true }, pairedItem: { item: 0 } },
			{ json: missing('missing-1'), pairedItem: [{ item: 0 }, { item: 1 }] },
			{ json: missing('missing-2'), pairedItem: { item: 1 } },
		]);
		expect(withMissing.hints).toEqual([]);
	});

	it('gives a missing image of a detection job the same fields as a found one, in the same order', async () => {
		const [id] = detectionIds();
		const { output } = await runNode({
			items: itemsOf([{ ids: [id, 'missing-1'] }]),
			parameters: getTags(DETECTION_JOB_ID, { options: { includeMissing: true } }),
			credentials: tokenCredentials,
		});
		expect(output.map((item) => Object.keys(item.json))).toEqual([
			['image_id', 'job_type', 'found', 'tags', 'boxes', 'size'],
			['image_id', 'job_type', 'found', 'tags', 'boxes', 'size'],
		]);
		expect(output[1]!.json).toEqual({ image_id: 'missing-1', job_type: 'detection', found: false, tags: [], boxes: [], size: null });
	});

	it('names at most ten missing IDs per job in the hint, and Get Tag hints too', async () => {
		const missingIds = Array.from({ length: 12 }, (_, i) => `gone-${i}`);
		const many = await runNode({
			items: itemsOf([{ ids: missingIds }]),
			parameters: getTags(DETECTION_JOB_ID),
			credentials: tokenCredentials,
		});
		expect(many.output).toEqual([]);
		expect(many.hints.map((hint) => hint.message)).toEqual([
			`12 image IDs are not in annotation job ${DETECTION_JOB_ID}: ${missingIds.slice(0, 10).join(', ')} and 2 more. They are left out of the output: turn on Options > Include Missing Images to get an item with found: false for each.`,
		]);
		const one = await runNode({
			items: itemsOf([{ id: 'gone-0' }]),
			parameters: {
				resource: 'image',
				operation: 'getTag',
				annotationId: DETECTION_JOB_ID,
				imageId: (_: number, item: { json: Record<string, unknown> }) => item.json.id,
			},
			credentials: tokenCredentials,
		});
		expect(one.output).toEqual([]);
		expect(one.hints.map((hint) => hint.message)).toEqual([
			`1 image ID is not in annotation job ${DETECTION_JOB_ID}: gone-0. It is left out of the output: turn on Options > Include Missing Images to get an item with found: false for it.`,
		]);
	});

	it('without Simplify returns the job ID, found, and every field of the raw record', async () => {
		const [id] = detectionIds();
		const { output } = await runNode({
			items: itemsOf([{ ids: [id] }]),
			parameters: getTags(DETECTION_JOB_ID, { options: { simplify: false } }),
			credentials: tokenCredentials,
		});
		expect(output[0]!.json).toEqual({ ...truth(DETECTION_JOB_ID, id!), annotation_id: DETECTION_JOB_ID, found: true });
	});

	it('Get Tag outputs one item per input item, even when two items name the same image', async () => {
		const ids = detectionIds().slice(0, 2);
		const { output, requests } = await runNode({
			items: itemsOf([{ id: ids[0] }, { id: ids[1] }, { id: ` ${ids[0]} ` }]),
			parameters: {
				resource: 'image',
				operation: 'getTag',
				annotationId: DETECTION_JOB_ID,
				imageId: (_: number, item: { json: Record<string, unknown> }) => item.json.id,
			},
			credentials: accessKeyCredentials,
		});
		expect(requests).toHaveLength(1);
		expect(JSON.parse(requests[0]!.body!).image_id).toEqual(ids);
		expect(output).toEqual([0, 1, 0].map((idIndex, item) => ({ json: truth(DETECTION_JOB_ID, ids[idIndex]!), pairedItem: { item } })));
	});

	it('Get Tag refuses several IDs for one item before any request', async () => {
		const run = runNode({
			items: itemsOf([{}]),
			parameters: { resource: 'image', operation: 'getTag', annotationId: DETECTION_JOB_ID, imageId: 'a,b' },
			credentials: tokenCredentials,
		});
		await expect(run).rejects.toThrow(/Get Tag takes one image ID, but 2 were given/);
		expect(emulator.stats.requests).toBe(0);
	});
});

describe('failures', () => {
	it('without Continue On Fail, an unknown job stops the run with status, error code, request ID and item', async () => {
		const error = await runNode({
			items: itemsOf([
				{ job: CLASSIFICATION_JOB_ID, ids: classificationIds().slice(0, 2) },
				{ job: '999999', ids: ['x1', 'x2'] },
			]),
			parameters: getTags('', { annotationId: (_: number, item: { json: Record<string, unknown> }) => item.json.job }),
			credentials: tokenCredentials,
		}).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeApiError);
		const apiError = error as NodeApiError;
		expect(apiError.message).toMatch(
			/^ModelArts request failed for item 1: .*HTTP 404, ModelArts\.4104: The annotation job 999999 does not exist\., request ID [0-9a-f]{32}/,
		);
		expect(apiError.httpCode).toBe('404');
		expect(apiError.context.itemIndex).toBe(1);
		expect(apiError.description).toMatch(
			/requested by item 1; 1 more image ID failed as well\. HTTP status: 404\. ModelArts error code: ModelArts\.4104\. Request ID: [0-9a-f]{32}\./,
		);
	});

	it('with Continue On Fail, the IDs of an unknown job become error items linked to their items and the rest still flow', async () => {
		const good = classificationIds().slice(0, 3);
		const { output } = await runNode({
			items: itemsOf([
				{ job: CLASSIFICATION_JOB_ID, ids: good.slice(0, 2) },
				{ job: '999999', ids: ['x1', 'x2'] },
				{ job: '999999', ids: ['x2'] },
				{ job: CLASSIFICATION_JOB_ID, ids: [good[2]] },
			]),
			parameters: getTags('', { annotationId: (_: number, item: { json: Record<string, unknown> }) => item.json.job }),
			credentials: tokenCredentials,
			continueOnFail: true,
		});
		const errors = output.filter((item) => item.json.error !== undefined);
		expect(errors.map((item) => [item.json.image_id, item.json.http_status, item.json.error_code, item.pairedItem])).toEqual([
			['x1', 404, 'ModelArts.4104', { item: 1 }],
			['x2', 404, 'ModelArts.4104', [{ item: 1 }, { item: 2 }]],
		]);
		expect(errors.every((item) => /^[0-9a-f]{32}$/.test(String(item.json.request_id)))).toBe(true);
		expect(output.filter((item) => item.json.error === undefined).map((item) => [item.json, item.pairedItem])).toEqual([
			[truth(CLASSIFICATION_JOB_ID, good[0]!), { item: 0 }],
			[truth(CLASSIFICATION_JOB_ID, good[1]!), { item: 0 }],
			[truth(CLASSIFICATION_JOB_ID, good[2]!), { item: 3 }],
		]);
	});

	it('with Continue On Fail and one item per input item, an item with failed IDs carries the error', async () => {
		const { output } = await runNode({
			items: itemsOf([
				{ job: '999999', ids: ['x1'] },
				{ job: CLASSIFICATION_JOB_ID, ids: [classificationIds()[0]] },
			]),
			parameters: getTags('', {
				annotationId: (_: number, item: { json: Record<string, unknown> }) => item.json.job,
				outputMode: 'perItem',
			}),
			credentials: tokenCredentials,
			continueOnFail: true,
		});
		expect(output[0]!.json.error).toMatch(/^1 of 1 image IDs failed: Not found/);
		expect(output[0]!.pairedItem).toEqual({ item: 0 });
		expect(output[1]!.json.error).toBeUndefined();
		expect(output[1]!.json.images).toHaveLength(1);
	});

	it('bad input stops the run with the item index before any request', async () => {
		const error = await runNode({
			items: itemsOf([{ ids: classificationIds()[0] }, { ids: { nested: 'object' } }]),
			parameters: getTags(CLASSIFICATION_JOB_ID),
			credentials: tokenCredentials,
		}).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toBe(
			'The image IDs are an object ({"nested":"object"}), not an ID, a list or a text (item 1)',
		);
		expect((error as NodeOperationError).context.itemIndex).toBe(1);
		expect(emulator.stats.requests).toBe(0);
	});

	it('with Continue On Fail, a bad item becomes an error item and the others are fetched', async () => {
		const [id] = classificationIds();
		const { output } = await runNode({
			items: itemsOf([{ ids: '' }, { ids: id }, { ids: 'bad\u0007id' }]),
			parameters: getTags(CLASSIFICATION_JOB_ID),
			credentials: tokenCredentials,
			continueOnFail: true,
		});
		expect(output.map((item) => [item.json.error ?? item.json.image_id, item.pairedItem])).toEqual([
			['No image ID was given for this item', { item: 0 }],
			['Image ID number 1 "bad\\u0007id" contains the control character U+0007 at position 3', { item: 2 }],
			[id, { item: 1 }],
		]);
	});

	it('an invalid annotation job ID is refused before any request', async () => {
		await expect(runNode({ items: itemsOf([{ ids: 'a' }]), parameters: getTags('../282'), credentials: tokenCredentials })).rejects.toThrow(
			/annotation job ID "\.\.\/282" is not valid/,
		);
		expect(emulator.stats.requests).toBe(0);
	});

	it('wrong credentials fail the run with the 401 and a hint, after a single request', async () => {
		const error = await runNode({
			items: itemsOf([{ ids: classificationIds().slice(0, 3) }]),
			parameters: getTags(CLASSIFICATION_JOB_ID),
			credentials: { ...accessKeyCredentials, secretKey: 'not-the-secret-key' },
		}).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(/Authentication failed.*HTTP 401, APIG\.0301/);
		expect(emulator.stats.requests).toBe(1);
	});
});
