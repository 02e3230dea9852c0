import { startEmulator, type RunningEmulator } from '@modelarts-kit/emulator';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { itemsOf, runNode } from './support/n8n-context';
import { emulatorCredentials } from './support/emulator-credentials';

const ITEMS = 1_000;
const IDS_PER_ITEM = 10;

let emulator: RunningEmulator;
let credentials: ICredentialDataDecryptedObject;

beforeAll(async () => {
	emulator = await startEmulator({ imagesPerJob: ITEMS * IDS_PER_ITEM });
	credentials = emulatorCredentials(emulator);
});
afterAll(async () => emulator.close());
beforeEach(() => emulator.resetStats());

/** 1,000 items, each naming its own 10 images of the classification job as comma-separated text. */
function items() {
	const ids = emulator.jobs.classification.imageIds;
	return itemsOf(
		Array.from({ length: ITEMS }, (_, item) => ({ ids: ids.slice(item * IDS_PER_ITEM, (item + 1) * IDS_PER_ITEM).join(',') })),
	);
}

describe('IDs of all items are pooled into batches, never one request per item', () => {
	it.each([100, 250, 1000])(
		'1,000 items x 10 IDs with batch size %i make at most ceil(10,000 / batch size) requests',
		async (batchSize) => {
			const input = items();
			const { output, credentialReads } = await runNode({
				items: input,
				parameters: {
					resource: 'image',
					operation: 'getTags',
					annotationId: emulator.jobs.classification.id,
					imageIds: (_: number, item: { json: Record<string, unknown> }) => item.json.ids,
					options: { batchSize },
				},
				credentials,
			});
			const limit = Math.ceil((ITEMS * IDS_PER_ITEM) / batchSize);
			expect(emulator.stats.requests).toBeLessThanOrEqual(limit);
			expect(emulator.stats.requests).toBe(limit);
			expect(emulator.stats.jobs[emulator.jobs.classification.id]).toEqual({ requests: limit, imageIds: ITEMS * IDS_PER_ITEM });
			expect(output).toHaveLength(ITEMS * IDS_PER_ITEM);
			// The credential is read (and decrypted) once for the execution, not again for each request.
			expect(credentialReads).toEqual(['getCredentials']);
			// Every image comes back once, linked to the item that named it.
			output.forEach((item, index) => {
				expect(item.pairedItem).toEqual({ item: Math.floor(index / IDS_PER_ITEM) });
				expect(item.json.image_id).toBe(emulator.jobs.classification.imageIds[index]);
			});
		},
	);

	it('an ID named by many items is requested once', async () => {
		const shared = emulator.jobs.classification.imageIds[0]!;
		const { output } = await runNode({
			items: itemsOf(Array.from({ length: 300 }, () => ({ ids: shared }))),
			parameters: {
				resource: 'image',
				operation: 'getTags',
				annotationId: emulator.jobs.classification.id,
				imageIds: (_: number, item: { json: Record<string, unknown> }) => item.json.ids,
			},
			credentials,
		});
		expect(emulator.stats.requests).toBe(1);
		expect(emulator.stats.jobs[emulator.jobs.classification.id]!.imageIds).toBe(1);
		expect(output).toHaveLength(1);
		expect(output[0]!.pairedItem).toEqual(Array.from({ length: 300 }, (_, item) => ({ item })));
	});
});
