import { CLASSIFICATION_JOB_ID, DETECTION_JOB_ID, startEmulator, type RunningEmulator } from '@modelarts-kit/emulator';
import { NodeOperationError, type ICredentialDataDecryptedObject, type INodeExecutionData } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectedRecord } from './support/expected';
import { itemsOf, readsOf, runNode } from './support/n8n-context';
import { emulatorCredentials } from './support/emulator-credentials';

let emulator: RunningEmulator;
let credentials: ICredentialDataDecryptedObject;

beforeAll(async () => {
	emulator = await startEmulator({ imagesPerJob: 200 });
	credentials = emulatorCredentials(emulator);
});
afterAll(async () => emulator.close());
beforeEach(() => emulator.resetStats());

const truth = (jobId: string, imageId: string) => expectedRecord(emulator.groundTruth(jobId, imageId)!);
/** The expression {{ $json[name] }}. */
const field = (name: string) => (_: number, item: INodeExecutionData) => item.json[name];

describe('the annotation job ID', () => {
	it('is read and checked once when it is a fixed value, for Get Tags and Get Tag', async () => {
		const ids = emulator.jobs.classification.imageIds.slice(0, 50);
		const items = itemsOf(ids.map((image_id) => ({ image_id })));
		for (const operation of [
			{ operation: 'getTags', imageIds: field('image_id') },
			{ operation: 'getTag', imageId: field('image_id') },
		]) {
			const { output, parameterReads } = await runNode({
				items,
				parameters: { resource: 'image', annotationId: ` ${CLASSIFICATION_JOB_ID} `, ...operation },
				credentials,
			});
			expect(output.map((item) => [item.json, item.pairedItem])).toEqual(
				ids.map((id, item) => [truth(CLASSIFICATION_JOB_ID, id), { item }]),
			);
			expect(readsOf(parameterReads, 'annotationId')).toEqual([0]);
			expect(readsOf(parameterReads, operation.operation === 'getTags' ? 'imageIds' : 'imageId')).toHaveLength(ids.length);
		}
	});

	it('is read per item when it is an expression', async () => {
		const c = emulator.jobs.classification.imageIds[0]!;
		const d = emulator.jobs.detection.imageIds[0]!;
		const { output, parameterReads, requests } = await runNode({
			items: itemsOf([
				{ job: CLASSIFICATION_JOB_ID, image_id: c },
				{ job: DETECTION_JOB_ID, image_id: d },
				{ job: CLASSIFICATION_JOB_ID, image_id: c },
			]),
			parameters: { resource: 'image', operation: 'getTags', annotationId: field('job'), imageIds: field('image_id') },
			credentials,
		});
		expect(output.map((item) => [item.json, item.pairedItem])).toEqual([
			[truth(CLASSIFICATION_JOB_ID, c), [{ item: 0 }, { item: 2 }]],
			[truth(DETECTION_JOB_ID, d), { item: 1 }],
		]);
		expect(readsOf(parameterReads, 'annotationId')).toEqual([0, 1, 2]);
		expect(requests).toHaveLength(2);
	});

	it('a wrong fixed ID, checked once, still fails every item as it did when read per item', async () => {
		const items = itemsOf([{ image_id: 'a' }, { image_id: 'b' }, { image_id: 'c' }]);
		const parameters = { resource: 'image', operation: 'getTags', annotationId: '../282', imageIds: field('image_id') };
		const stopped = await runNode({ items, parameters, credentials }).catch((caught: unknown) => caught);
		expect(stopped).toBeInstanceOf(NodeOperationError);
		expect((stopped as NodeOperationError).message).toMatch(/^The annotation job ID "\.\.\/282" is not valid.* \(item 0\)$/);
		expect((stopped as NodeOperationError).context.itemIndex).toBe(0);

		const { output, parameterReads } = await runNode({ items, parameters, credentials, continueOnFail: true });
		expect(output.map((item) => item.pairedItem)).toEqual([0, 1, 2].map((item) => ({ item })));
		expect(new Set(output.map((item) => JSON.stringify(item.json))).size).toBe(1);
		expect(String(output[0]!.json.error)).toMatch(/^The annotation job ID "\.\.\/282" is not valid/);
		expect(output[0]!.json.description).toBe('Copy the ID from the job details in the ModelArts console, not the job name.');
		expect(readsOf(parameterReads, 'annotationId')).toEqual([0]);
		expect(emulator.stats.requests).toBe(0);
	});
});
