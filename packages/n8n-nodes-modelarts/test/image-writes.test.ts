import {
	CLASSIFICATION_JOB_ID,
	DETECTION_JOB_ID,
	PRODUCT_CLASSIFICATION_JOB_ID,
	startEmulator,
	type RunningEmulator,
} from '@modelarts-kit/emulator';
import type { ICredentialDataDecryptedObject, INodeExecutionData } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectedRecord } from './support/expected';
import { itemsOf, runNode } from './support/n8n-context';
import { emulatorCredentials } from './support/emulator-credentials';

let emulator: RunningEmulator;
let credentials: ICredentialDataDecryptedObject;

beforeAll(async () => {
	emulator = await startEmulator({ imagesPerJob: 150 });
	credentials = emulatorCredentials(emulator);
});
beforeEach(() => emulator.reset());
afterAll(async () => emulator.close());

const UNKNOWN_ID = 'ffffffffffffffffffffffffffffffff';
const job = (value: string) => ({ __rl: true, mode: 'id', value });
const truth = (jobId: string, imageId: string) => expectedRecord(emulator.groundTruth(jobId, imageId)!);
/** Update Tags' field names as n8n fills them in (their defaults): the fields of Get Tags' output. */
const FIELDS = { imageIdField: 'image_id', tagsField: 'tags', boxesField: 'boxes', sizeField: 'size' };
const run = (items: INodeExecutionData[], parameters: Record<string, unknown>, continueOnFail = false) =>
	runNode({ items, parameters, credentials, typeVersion: 1.1, continueOnFail });

describe('Image: Get Many', () => {
	const getAll = (jobId: string, extra: Record<string, unknown>) =>
		run(itemsOf([{}]), { resource: 'image', operation: 'getAll', annotationId: job(jobId), returnAll: true, ...extra });

	it('lists every image of the job once (tagged, then untagged), with the tags Get Tags would give', async () => {
		const { output } = await getAll(PRODUCT_CLASSIFICATION_JOB_ID, { options: { perPage: 17 } });
		const ids = output.map((item) => item.json.image_id as string);
		expect([...ids].sort()).toEqual([...emulator.imageIds(PRODUCT_CLASSIFICATION_JOB_ID)].sort());
		for (const { json } of output) {
			const { url, ...record } = json;
			expect(record).toEqual(truth(PRODUCT_CLASSIFICATION_JOB_ID, json.image_id as string));
			expect(url).toMatch(/^obs:\/\//);
		}
		expect(output.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('filters the untagged images, the images with a tag, and stops at the limit', async () => {
		const ids = emulator.imageIds(PRODUCT_CLASSIFICATION_JOB_ID);
		const untagged = ids.filter((id) => (truth(PRODUCT_CLASSIFICATION_JOB_ID, id).tags as string[]).length === 0);
		const { output } = await getAll(PRODUCT_CLASSIFICATION_JOB_ID, { imageFilter: 'untagged' });
		expect(output.map((item) => item.json.image_id).sort()).toEqual([...untagged].sort());

		const tag = (truth(DETECTION_JOB_ID, emulator.imageIds(DETECTION_JOB_ID)[0]!).tags as string[])[0]!;
		const withTag = emulator.imageIds(DETECTION_JOB_ID).filter((id) => (truth(DETECTION_JOB_ID, id).tags as string[]).includes(tag));
		const tagged = await getAll(DETECTION_JOB_ID, { imageFilter: 'tag', tag });
		expect(tagged.output.map((item) => item.json.image_id).sort()).toEqual([...withTag].sort());

		const pages = emulator.stats.operations.listImages ?? 0;
		const limited = await getAll(DETECTION_JOB_ID, { imageFilter: 'tagged', returnAll: false, limit: 5, options: { perPage: 5 } });
		expect(limited.output).toHaveLength(5);
		// The listing stops at the limit: the page holding it, and at most the one fetched ahead.
		expect((emulator.stats.operations.listImages ?? 0) - pages).toBeLessThanOrEqual(2);
	});
});

describe('Image: Update Tags', () => {
	it('writes classification tags and detection boxes from item fields in one request per job; Get Tags reads them back', async () => {
		const [a, b] = emulator.imageIds(CLASSIFICATION_JOB_ID);
		const [c] = emulator.imageIds(DETECTION_JOB_ID);
		const size = truth(DETECTION_JOB_ID, c!).size as { width: number; height: number };
		const boxes = [{ tag: 'car', xmin: 1, ymin: 2, xmax: size.width - 1, ymax: size.height - 1 }];
		const writes = emulator.stats.operations.updateImageTags ?? 0;
		const classification = await run(
			itemsOf([
				{ image_id: a, tags: ['cat', 'dog'] },
				{ image_id: b, tags: 'bird' },
			]),
			{
				resource: 'image',
				operation: 'updateTags',
				...FIELDS,
				annotationId: job(CLASSIFICATION_JOB_ID),
			},
		);
		expect(classification.output).toEqual([
			{
				json: { annotation_id: CLASSIFICATION_JOB_ID, image_id: a, job_type: 'classification', tags: ['cat', 'dog'] },
				pairedItem: { item: 0 },
			},
			{ json: { annotation_id: CLASSIFICATION_JOB_ID, image_id: b, job_type: 'classification', tags: ['bird'] }, pairedItem: { item: 1 } },
		]);
		const detection = await run(itemsOf([{ image_id: c, boxes: JSON.stringify(boxes) }]), {
			resource: 'image',
			operation: 'updateTags',
			...FIELDS,
			annotationId: job(DETECTION_JOB_ID),
		});
		expect(detection.output[0]!.json).toMatchObject({ image_id: c, boxes, size });
		expect((emulator.stats.operations.updateImageTags ?? 0) - writes).toBe(2);
		expect(truth(CLASSIFICATION_JOB_ID, a!).tags).toEqual(['cat', 'dog']);
		expect(truth(CLASSIFICATION_JOB_ID, b!).tags).toEqual(['bird']);
		expect(truth(DETECTION_JOB_ID, c!)).toMatchObject({ boxes, size });

		// Get Tags' output fits Update Tags as it is: writing it back changes nothing.
		const read = await run(itemsOf([{}]), { resource: 'image', operation: 'getTags', annotationId: job(DETECTION_JOB_ID), imageIds: c });
		const again = await run(read.output, { resource: 'image', operation: 'updateTags', ...FIELDS, annotationId: job(DETECTION_JOB_ID) });
		expect(again.output[0]!.json).toEqual({ annotation_id: DETECTION_JOB_ID, ...read.output[0]!.json });
	});

	it('refuses an unknown image, a box outside the image and a malformed box before anything is written, naming the item', async () => {
		const [c, d] = emulator.imageIds(DETECTION_JOB_ID);
		const width = (truth(DETECTION_JOB_ID, d!).size as { width: number }).width;
		const writes = () => emulator.stats.operations.updateImageTags ?? 0;
		const before = writes();
		const update = { resource: 'image', operation: 'updateTags', ...FIELDS, annotationId: job(DETECTION_JOB_ID) };
		const good = { image_id: c, boxes: [] };
		await expect(run(itemsOf([good, { image_id: UNKNOWN_ID, boxes: [] }]), update)).rejects.toMatchObject({
			message: expect.stringMatching(/Image ffff+ is not in annotation job 287 \(item 1\)/),
			context: { itemIndex: 1 },
		});
		await expect(
			run(itemsOf([good, { image_id: d, boxes: [{ tag: 'car', xmin: 0, ymin: 0, xmax: width + 10, ymax: 5 }] }]), update),
		).rejects.toMatchObject({ message: expect.stringMatching(/outside|inside|width/), context: { itemIndex: 1 } });
		await expect(run(itemsOf([{ image_id: d, boxes: [{ tag: 'car', pos: [1, 2] }] }]), update)).rejects.toMatchObject({
			message: expect.stringMatching(/needs a tag name and four numbers .*\(item 0\)/),
		});
		expect(writes()).toBe(before);
	});

	it('with Continue On Fail, each bad item becomes its error item and the others are written', async () => {
		const [a, b, c] = emulator.imageIds(CLASSIFICATION_JOB_ID);
		const { output } = await run(
			itemsOf([
				{ image_id: a, tags: ['one'] },
				{ image_id: UNKNOWN_ID, tags: ['two'] },
				{ image_id: b, tags: [''] },
				{ image_id: c, tags: ['three'] },
				{ image_id: c, tags: ['again'] },
			]),
			{ resource: 'image', operation: 'updateTags', ...FIELDS, annotationId: job(CLASSIFICATION_JOB_ID) },
			true,
		);
		expect(output.map((item) => [(item.pairedItem as { item: number }).item, item.json.error === undefined])).toEqual([
			[0, true],
			[1, false],
			[2, false],
			[3, true],
			[4, false],
		]);
		expect(output[1]!.json.error).toMatch(/not in annotation job/);
		expect(output[4]!.json.error).toMatch(/twice/);
		expect(truth(CLASSIFICATION_JOB_ID, a!).tags).toEqual(['one']);
		expect(truth(CLASSIFICATION_JOB_ID, c!).tags).toEqual(['three']);
		expect(truth(CLASSIFICATION_JOB_ID, b!).tags).not.toEqual(['']);
	});
});

describe('Image: Update Tags when ModelArts fails a write', () => {
	it('with Continue On Fail, the items of the failed batch get the error and the other batches are written', async () => {
		// The check that the job holds the images (three reads, one image each) passes; the first write gets a 500.
		const faulty = await startEmulator({ imagesPerJob: 20, faults: { sequence: [null, null, null, '500'] } });
		try {
			const ids = faulty.imageIds(CLASSIFICATION_JOB_ID).slice(0, 3);
			const { output } = await runNode({
				items: itemsOf(ids.map((image_id, index) => ({ image_id, tags: [`written-${index}`] }))),
				parameters: {
					resource: 'image',
					operation: 'updateTags',
					...FIELDS,
					annotationId: job(CLASSIFICATION_JOB_ID),
					options: { batchSize: 1, maxRetries: 0 },
				},
				credentials: { ...credentials, endpoint: faulty.url },
				typeVersion: 1.1,
				continueOnFail: true,
			});
			expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(output[0]!.json).toMatchObject({ annotation_id: CLASSIFICATION_JOB_ID, image_id: ids[0], http_status: 500 });
			expect(output[0]!.error).toBeDefined();
			expect(output.slice(1).map((item) => item.json.tags)).toEqual([['written-1'], ['written-2']]);
			expect(faulty.stats.operations.updateImageTags).toBe(3);
			expect(expectedRecord(faulty.groundTruth(CLASSIFICATION_JOB_ID, ids[0]!)!).tags).not.toEqual(['written-0']);
			expect(expectedRecord(faulty.groundTruth(CLASSIFICATION_JOB_ID, ids[2]!)!).tags).toEqual(['written-2']);
		} finally {
			await faulty.close();
		}
	});
});

describe('Image: Delete', () => {
	it('removes the images of all items with batched requests; one item per input item', async () => {
		const ids = emulator.imageIds(CLASSIFICATION_JOB_ID).slice(0, 5);
		const { output } = await run(itemsOf([{ ids: ids.slice(0, 2) }, { ids: ids.slice(2) }]), {
			resource: 'image',
			operation: 'delete',
			annotationId: job(CLASSIFICATION_JOB_ID),
			imageIdsSource: 'field',
			imageIdsField: 'ids',
		});
		expect(output).toEqual([
			{ json: { annotation_id: CLASSIFICATION_JOB_ID, image_ids: ids.slice(0, 2), deleted: 2 }, pairedItem: { item: 0 } },
			{ json: { annotation_id: CLASSIFICATION_JOB_ID, image_ids: ids.slice(2), deleted: 3 }, pairedItem: { item: 1 } },
		]);
		expect(emulator.stats.operations.deleteImages).toBe(1);
		for (const id of ids) expect(emulator.groundTruth(CLASSIFICATION_JOB_ID, id)).toBeUndefined();
	});

	it('an item naming an image the job lacks deletes nothing of it (error item with Continue On Fail)', async () => {
		const [a, b] = emulator.imageIds(CLASSIFICATION_JOB_ID);
		const parameters = {
			resource: 'image',
			operation: 'delete',
			annotationId: job(CLASSIFICATION_JOB_ID),
			imageIds: (_: number, item: INodeExecutionData) => item.json.ids,
		};
		await expect(run(itemsOf([{ ids: [a] }, { ids: [b, UNKNOWN_ID] }]), parameters)).rejects.toMatchObject({ context: { itemIndex: 1 } });
		expect(emulator.groundTruth(CLASSIFICATION_JOB_ID, a!)).toBeDefined();
		const { output } = await run(itemsOf([{ ids: [a] }, { ids: [b, UNKNOWN_ID] }]), parameters, true);
		expect(output[0]!.json).toMatchObject({ deleted: 1 });
		expect(output[1]).toMatchObject({ json: { image_ids: [b, UNKNOWN_ID] }, pairedItem: { item: 1 } });
		expect(emulator.groundTruth(CLASSIFICATION_JOB_ID, a!)).toBeUndefined();
		expect(emulator.groundTruth(CLASSIFICATION_JOB_ID, b!)).toBeDefined();
	});
});
