import { CLASSIFICATION_JOB_ID, DETECTION_JOB_ID, startEmulator, type RunningEmulator } from '@modelarts-kit/emulator';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedRecord } from './support/expected';
import { itemsOf, runNode } from './support/n8n-context';
import { emulatorCredentials } from './support/emulator-credentials';

let emulator: RunningEmulator;
let credentials: ICredentialDataDecryptedObject;

beforeAll(async () => {
	emulator = await startEmulator({ imagesPerJob: 80 });
	credentials = emulatorCredentials(emulator);
});
afterAll(async () => emulator.close());

/** The job's tag list as the emulator holds it: every tag some image carries, sorted. */
const tagList = (jobId: string) =>
	[...new Set(emulator.imageIds(jobId).flatMap((id) => expectedRecord(emulator.groundTruth(jobId, id)!).tags as string[]))].sort();

const run = (typeVersion: number, parameters: Record<string, unknown>) =>
	runNode({
		items: itemsOf([{}]),
		parameters: { resource: 'image', annotationId: parameters.job, ...parameters },
		credentials,
		typeVersion,
	});

describe("Export Tags and Check Labels with the job's own tag list and statistics", () => {
	it("Export Tags takes the class order from the job's tag list from version 1.1; version 1 keeps the tags found", async () => {
		const imageIds = emulator.imageIds(DETECTION_JOB_ID).slice(0, 3);
		const found = [
			...new Set(imageIds.flatMap((id) => expectedRecord(emulator.groundTruth(DETECTION_JOB_ID, id)!).tags as string[])),
		].sort();
		expect(found.length).toBeLessThan(tagList(DETECTION_JOB_ID).length);
		const exportCoco = { operation: 'exportTags', imageIds, format: 'coco' };
		const withJob = await run(1.1, { ...exportCoco, job: { __rl: true, mode: 'id', value: DETECTION_JOB_ID } });
		expect(withJob.output[0]!.json.classes).toEqual(tagList(DETECTION_JOB_ID));
		const version1 = await run(1, { ...exportCoco, job: DETECTION_JOB_ID });
		expect(version1.output[0]!.json.classes).toEqual(found);
		const turnedOff = await run(1.1, {
			...exportCoco,
			job: { __rl: true, mode: 'id', value: DETECTION_JOB_ID },
			options: { useJobTagList: false },
		});
		expect(turnedOff.output[0]!.json.classes).toEqual(found);
	});

	it('Check Labels compares with the job statistics when the whole job is checked, and says why not otherwise', async () => {
		const all = emulator.imageIds(CLASSIFICATION_JOB_ID);
		const check = { operation: 'checkLabels', job: { __rl: true, mode: 'id', value: CLASSIFICATION_JOB_ID } };
		const whole = await run(1.1, { ...check, imageIds: all });
		const summary = whole.output[0]!.json as { tags: { tag: string; images: number; expected_images?: number }[]; statistics?: string };
		expect(summary.statistics).toBeUndefined();
		expect(summary.tags.map((tag) => tag.tag).sort()).toEqual(tagList(CLASSIFICATION_JOB_ID));
		for (const tag of summary.tags) expect(tag.expected_images).toBe(tag.images);
		expect((whole.output[0]!.json.counts as Record<string, number>).tagCountMismatch ?? 0).toBe(0);

		const part = await run(1.1, { ...check, imageIds: all.slice(0, 10) });
		expect(part.output[0]!.json.statistics).toBe(
			`not compared with the job statistics: 10 of ${all.length} images of the job were checked`,
		);
		expect((part.output[0]!.json.tags as { expected_images?: number }[]).every((tag) => tag.expected_images === undefined)).toBe(true);
	});
});
