import { ModelArtsClient } from '@modelarts-kit/client';
import {
	CLASSIFICATION_JOB_ID,
	DEFAULT_PROJECT_ID,
	DEFAULT_TOKEN,
	DETECTION_JOB_ID,
	PRODUCT_CLASSIFICATION_JOB_ID as JOB,
	startEmulator,
	type RunningEmulator,
} from '@modelarts-kit/emulator';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { restarted, runPoll } from './support/poll-context';
import { emulatorCredentials } from './support/emulator-credentials';

let emulator: RunningEmulator;
let credentials: ICredentialDataDecryptedObject;
let client: ModelArtsClient;

beforeAll(async () => {
	emulator = await startEmulator({ imagesPerJob: 150, obsSync: { durationMs: 0, addImages: 6 } });
	credentials = emulatorCredentials(emulator);
	client = new ModelArtsClient({ endpoint: emulator.url, projectId: DEFAULT_PROJECT_ID, auth: { token: DEFAULT_TOKEN } });
});
beforeEach(() => emulator.reset());
afterAll(async () => emulator.close());

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const untaggedIds = (job: string) =>
	emulator.imageIds(job).filter((id) => (emulator.groundTruth(job, id) as { tags: unknown[] }).tags.length === 0);

/** A trigger on one job and event, polled again and again with the same static data (as n8n keeps it). */
function trigger(event: string, extra: Record<string, unknown> = {}, job = JOB) {
	const staticData: IDataObject = {};
	const parameters = { event, annotationId: byId(job), ...extra };
	return {
		staticData,
		poll: (more: Partial<Parameters<typeof runPoll>[0]> = {}) => runPoll({ parameters, credentials, staticData, ...more }),
	};
}

const operationsDuring = async <T>(work: () => Promise<T>): Promise<{ result: T; operations: Record<string, number> }> => {
	emulator.resetStats();
	const result = await work();
	return { result, operations: { ...emulator.stats.operations } as Record<string, number> };
};

describe('Images Labelled', () => {
	it('takes a baseline silently, then reports each newly labelled image once, with its tags', async () => {
		const { poll } = trigger('imagesLabelled');
		expect((await poll()).events).toBeNull();
		const [first, second] = untaggedIds(JOB);
		await client.setImageTags(JOB, [
			{ imageId: first!, tags: ['shoes'] },
			{ imageId: second!, tags: ['bags', 'shoes'] },
		]);
		const { events } = await poll();
		expect(events).toEqual([
			{ event: 'imagesLabelled', annotation_id: JOB, image_id: first, job_type: 'classification', tags: ['shoes'] },
			{ event: 'imagesLabelled', annotation_id: JOB, image_id: second, job_type: 'classification', tags: ['bags', 'shoes'] },
		]);
		expect((await poll()).events).toBeNull();
	});

	it('makes one statistics request and no listing on an idle poll', async () => {
		const { poll } = trigger('imagesLabelled');
		await poll();
		const { operations } = await operationsDuring(() => poll());
		expect(operations).toEqual({ showTagStatistics: 1 });
	});

	it('reports every change once across a restart (static data serialised and read back by a new node)', async () => {
		const first = trigger('imagesLabelled');
		await first.poll();
		const ids = untaggedIds(JOB).slice(0, 3);
		await client.setImageTags(
			JOB,
			ids.map((imageId) => ({ imageId, tags: ['toys'] })),
		);
		const afterRestart = restarted(first.staticData);
		const { events } = await runPoll({
			parameters: { event: 'imagesLabelled', annotationId: byId(JOB) },
			credentials,
			staticData: afterRestart,
		});
		expect(events?.map((event) => event.image_id)).toEqual(ids);
		const again = await runPoll({
			parameters: { event: 'imagesLabelled', annotationId: byId(JOB) },
			credentials,
			staticData: afterRestart,
		});
		expect(again.events).toBeNull();
	});

	it('keeps the previous state when a poll fails after half the images were listed, and the next poll reports everything once', async () => {
		const { poll, staticData } = trigger('imagesLabelled', { options: { maxRetries: 0 } });
		await poll();
		const before = restarted(staticData);
		const ids = untaggedIds(JOB).slice(0, 4);
		await client.setImageTags(
			JOB,
			ids.map((imageId) => ({ imageId, tags: ['food'] })),
		);
		// The untagged images are listed (more than half the job), then the listing of the tagged ones fails.
		const failing = poll({ failRequest: (url) => url.includes('/images?') && !url.includes('__none__') });
		await expect(failing).rejects.toThrow(/connection to the server was closed/);
		expect(restarted(staticData)).toEqual(before);
		const { events } = await poll();
		expect(events?.map((event) => event.image_id).sort()).toEqual([...ids].sort());
		expect((await poll()).events).toBeNull();
	});
});

describe('Tags Changed', () => {
	it('finds a moved box (same counts) at the full check, with before and after', async () => {
		const { poll } = trigger('tagsChanged', { options: { fullCheckEvery: 2 } }, DETECTION_JOB_ID);
		await poll();
		const imageId = emulator
			.imageIds(DETECTION_JOB_ID)
			.find((id) => (emulator.groundTruth(DETECTION_JOB_ID, id) as { tags: unknown[] }).tags.length === 1)!;
		const entry = emulator.groundTruth(DETECTION_JOB_ID, imageId) as { tags: { tag: string; pos: number[] }[]; size: number[] };
		const [xmin, ymin, xmax, ymax] = entry.tags[0]!.pos as [number, number, number, number];
		const moved = { xmin: xmin + 1, ymin, xmax: Math.min(xmax + 1, entry.size[0]!), ymax };
		await client.setImageTags(DETECTION_JOB_ID, [
			{ imageId, tags: [{ tag: entry.tags[0]!.tag, box: moved }], size: { width: entry.size[0]!, height: entry.size[1]! } },
		]);
		// Poll 1 after the change: counts unchanged, full check not due yet (the documented limit of the shortcut).
		const idle = await operationsDuring(() => poll());
		expect(idle.result.events).toBeNull();
		expect(idle.operations).toEqual({ showTagStatistics: 1 });
		const { events } = await poll();
		expect(events).toEqual([
			{
				event: 'tagsChanged',
				annotation_id: DETECTION_JOB_ID,
				image_id: imageId,
				change: 'changed',
				job_type: 'detection',
				before: { tags: [entry.tags[0]!.tag], boxes: [{ tag: entry.tags[0]!.tag, xmin, ymin, xmax, ymax }] },
				after: expect.objectContaining({ tags: [entry.tags[0]!.tag], boxes: [{ tag: entry.tags[0]!.tag, ...moved }] }),
			},
		]);
		expect((await poll()).events).toBeNull();
	});

	it('reports labelled and cleared images as soon as the counts change; with digests only', async () => {
		const { poll } = trigger('tagsChanged', { options: { includePreviousTags: false } });
		await poll();
		const [labelled] = untaggedIds(JOB);
		await client.setImageTags(JOB, [{ imageId: labelled!, tags: ['bags'] }]);
		const { events } = await poll();
		expect(events).toEqual([
			{
				event: 'tagsChanged',
				annotation_id: JOB,
				image_id: labelled,
				change: 'labelled',
				job_type: 'classification',
				before: { tags: [] },
				after: { tags: ['bags'] },
			},
		]);
	});

	it('keeps the previous state when the second tags/show batch fails, and reports the change once afterwards', async () => {
		const { poll, staticData } = trigger('tagsChanged', { options: { maxRetries: 0 } }, CLASSIFICATION_JOB_ID);
		await poll();
		const before = restarted(staticData);
		const ids = emulator.imageIds(CLASSIFICATION_JOB_ID);
		const changed = [ids[5]!, ids.at(-5)!];
		await client.setImageTags(CLASSIFICATION_JOB_ID, [
			{ imageId: changed[0]!, tags: ['zz-first'] },
			{ imageId: changed[1]!, tags: ['zz-last'] },
		]);
		let batches = 0;
		const failing = poll({ failRequest: (url) => url.endsWith('/tags/show') && ++batches === 2 });
		await expect(failing).rejects.toThrow(/connection to the server was closed/);
		expect(batches).toBe(2);
		expect(restarted(staticData)).toEqual(before);
		const { events } = await poll();
		expect(events?.map((event) => [event.image_id, event.change, (event.after as IDataObject).tags])).toEqual([
			[changed[0], 'changed', ['zz-first']],
			[changed[1], 'changed', ['zz-last']],
		]);
		expect((await poll()).events).toBeNull();
	});
});

describe('New Untagged Images and Labelling Progress', () => {
	it('reports the images an OBS sync added, once', async () => {
		const { poll } = trigger('newUntaggedImages');
		await poll();
		const known = new Set(emulator.imageIds(JOB));
		await client.syncFromObs(JOB, { wait: true });
		const added = emulator.imageIds(JOB).filter((id) => !known.has(id));
		const { events } = await poll();
		expect(events?.map((event) => event.image_id).sort()).toEqual([...added].sort());
		expect(events?.[0]).toMatchObject({ event: 'newUntaggedImages', annotation_id: JOB, url: expect.stringMatching(/^obs:\/\//) });
		expect((await poll()).events).toBeNull();
	});

	it('reports changed counts, and with Threshold Reached only the poll that crosses it', async () => {
		const every = trigger('labellingProgress');
		const threshold = trigger('labellingProgress', { emitOn: 'threshold', threshold: 100 });
		await every.poll();
		await threshold.poll();
		const untagged = untaggedIds(JOB);
		await client.setImageTags(
			JOB,
			untagged.slice(0, 2).map((imageId) => ({ imageId, tags: ['food'] })),
		);
		const [change] = (await every.poll()).events!;
		expect(change).toMatchObject({
			event: 'labellingProgress',
			untagged: untagged.length - 2,
			threshold_crossed: false,
			tag_count_changes: { food: 2 },
		});
		expect((await threshold.poll()).events).toBeNull();
		await client.setImageTags(
			JOB,
			untagged.slice(2).map((imageId) => ({ imageId, tags: ['food'] })),
		);
		expect((await threshold.poll()).events).toEqual([
			expect.objectContaining({ percent_labelled: 100, untagged: 0, threshold_crossed: true }),
		]);
		expect((await threshold.poll()).events).toBeNull();
	});
});

describe('Fetch Test Event (manual mode)', () => {
	it('returns a sample from the job without moving the saved state', async () => {
		const { poll, staticData } = trigger('imagesLabelled');
		await poll();
		const saved = restarted(staticData);
		const { events } = await poll({ mode: 'manual' });
		expect(events?.length).toBe(3);
		expect(events?.[0]).toMatchObject({ event: 'imagesLabelled', annotation_id: JOB, job_type: 'classification', tags: expect.any(Array) });
		expect(restarted(staticData)).toEqual(saved);
	});
});
