import {
	CLASSIFICATION_JOB_ID,
	DETECTION_JOB_ID,
	PRODUCT_CLASSIFICATION_JOB_ID,
	SHELF_DETECTION_JOB_ID as SHELF_JOB,
	startEmulator,
	type RunningEmulator,
} from '@modelarts-kit/emulator';
import type { ICredentialDataDecryptedObject, ILoadOptionsFunctions, INodeProperties } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelArts } from '../nodes/ModelArts/ModelArts.node';
import { searchAnnotationJobs } from '../nodes/ModelArts/v1/methods/listSearch';
import { expectedRecord } from './support/expected';
import { createContext, itemsOf, runNode } from './support/n8n-context';
import { emulatorCredentials } from './support/emulator-credentials';

let emulator: RunningEmulator;
let credentials: ICredentialDataDecryptedObject;

beforeAll(async () => {
	emulator = await startEmulator({ imagesPerJob: 120, obsSync: { durationMs: 300, addImages: 7 } });
	credentials = emulatorCredentials(emulator);
});
beforeEach(() => emulator.reset());
afterAll(async () => emulator.close());

/** The job as version 1.1 stores it: a resource locator, here in By ID mode. */
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const run = (parameters: Record<string, unknown>, extra: { continueOnFail?: boolean; items?: number } = {}) =>
	runNode({
		items: itemsOf(Array.from({ length: extra.items ?? 1 }, () => ({}))),
		parameters,
		credentials,
		typeVersion: 1.1,
		continueOnFail: extra.continueOnFail,
	});

describe('the Annotation Job parameter', () => {
	const propertiesOf = (version: number): INodeProperties[] => new ModelArts().nodeVersions[version]!.description.properties;

	it('is a resource locator (From List with search, By ID with a check) from 1.1 on, and the text field of version 1 before', () => {
		const fields = propertiesOf(1.1).filter((property) => property.name === 'annotationId');
		const locator = fields.find((field) => field.type === 'resourceLocator')!;
		expect(locator.displayOptions?.show?.['@version']).toEqual([{ _cnd: { gte: 1.1 } }]);
		expect(locator.modes?.map((mode) => [mode.name, mode.typeOptions?.searchListMethod])).toEqual([
			['list', 'searchAnnotationJobs'],
			['id', undefined],
		]);
		const text = fields.find((field) => field.type === 'string')!;
		expect(text.displayOptions?.show?.['@version']).toEqual([1]);
		// Every operation that takes a job has both shapes.
		expect(fields.length).toBe(2 * 10);
	});

	it("lists the emulator's jobs From List, and the search narrows them down", async () => {
		const { context } = createContext({ items: [], parameters: {}, credentials });
		const all = await searchAnnotationJobs.call(context as unknown as ILoadOptionsFunctions);
		const expected = emulator.jobList().map((job) => String(job.dls_prj_id));
		expect(all.results.map((entry) => entry.value).sort()).toEqual(expected.sort());
		const street = await searchAnnotationJobs.call(context as unknown as ILoadOptionsFunctions, 'STREET');
		expect(street.results).toEqual([{ name: `street-objects (${DETECTION_JOB_ID})`, value: DETECTION_JOB_ID }]);
	});

	it('reads a job given From List, By ID, or as the text of a version 1 workflow the same way', async () => {
		const imageIds = emulator.jobs.classification.imageIds.slice(0, 3);
		const getTags = { resource: 'image', operation: 'getTags', imageIds };
		const fromList = await run({ ...getTags, annotationId: { __rl: true, mode: 'list', value: CLASSIFICATION_JOB_ID } });
		const fromId = await run({ ...getTags, annotationId: byId(` ${CLASSIFICATION_JOB_ID} `) });
		const version1 = await runNode({ items: itemsOf([{}]), parameters: { ...getTags, annotationId: CLASSIFICATION_JOB_ID }, credentials });
		const expected = imageIds.map((id) => expectedRecord(emulator.groundTruth(CLASSIFICATION_JOB_ID, id)!));
		for (const { output } of [fromList, fromId, version1]) expect(output.map((item) => item.json)).toEqual(expected);
	});

	it('refuses an empty job before any request, naming the item', async () => {
		const before = emulator.stats.requests;
		await expect(run({ resource: 'tag', operation: 'getAll', annotationId: { __rl: true, mode: 'list', value: '' } })).rejects.toThrow(
			/annotation job ID is empty \(item 0\)/,
		);
		expect(emulator.stats.requests).toBe(before);
	});
});

describe('Annotation Job: Get Many', () => {
	it('returns every job with the ID the other operations take, or up to the limit, filtered by name', async () => {
		const { output } = await run({ resource: 'annotationJob', operation: 'getAll', returnAll: true });
		expect(output.map((item) => item.json.annotation_id).sort()).toEqual(
			emulator
				.jobList()
				.map((job) => String(job.dls_prj_id))
				.sort(),
		);
		const detection = output.find((item) => item.json.annotation_id === DETECTION_JOB_ID)!;
		expect(detection).toMatchObject({ json: { name: 'street-objects', job_type: 'detection', total_count: 120 }, pairedItem: { item: 0 } });
		const limited = await run({ resource: 'annotationJob', operation: 'getAll', limit: 2, options: { sortBy: 'name', order: 'asc' } });
		const names = emulator
			.jobList()
			.map((job) => job.name)
			.sort();
		expect(limited.output.map((item) => item.json.name)).toHaveLength(2);
		expect(names).toContain(limited.output[0]!.json.name);
		const searched = await run({ resource: 'annotationJob', operation: 'getAll', returnAll: true, filters: { search: 'shelves' } });
		expect(searched.output.map((item) => item.json.name)).toEqual(['warehouse-shelves']);
	});
});

describe('Tag: Get Many and Get Statistics', () => {
	/** Images per tag, and untagged images, from the emulator's state. */
	function truth(jobId: string) {
		const counts = new Map<string, number>();
		let untagged = 0;
		for (const id of emulator.imageIds(jobId)) {
			const tags = expectedRecord(emulator.groundTruth(jobId, id)!).tags as string[];
			if (tags.length === 0) untagged++;
			for (const tag of tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
		}
		return { counts, untagged, total: emulator.imageIds(jobId).length };
	}

	it('lists the tag names of the job, one item each', async () => {
		const { output } = await run({ resource: 'tag', operation: 'getAll', annotationId: byId(DETECTION_JOB_ID), returnAll: true });
		expect(output.map((item) => item.json.tag)).toEqual([...truth(DETECTION_JOB_ID).counts.keys()].sort());
		expect(output[0]).toMatchObject({ json: { annotation_id: DETECTION_JOB_ID }, pairedItem: { item: 0 } });
	});

	it('counts the images per tag and the tagged and untagged images as the emulator holds them', async () => {
		const { counts, untagged, total } = truth(PRODUCT_CLASSIFICATION_JOB_ID);
		const { output } = await run({ resource: 'tag', operation: 'getStatistics', annotationId: byId(PRODUCT_CLASSIFICATION_JOB_ID) });
		expect(output).toHaveLength(1);
		const json = output[0]!.json as { tags: { tag: string; count: number }[]; tagged: number; untagged: number };
		expect(new Map(json.tags.map(({ tag, count }) => [tag, count]))).toEqual(counts);
		expect([json.tagged, json.untagged]).toEqual([total - untagged, untagged]);
	});

	it('with Continue On Fail, an unknown job becomes an error item of its item and the others go on', async () => {
		const { output } = await runNode({
			items: itemsOf([{ job: '999' }, { job: CLASSIFICATION_JOB_ID }]),
			parameters: {
				resource: 'tag',
				operation: 'getStatistics',
				annotationId: (_: number, item: { json: { job: string } }) => item.json.job,
			},
			credentials,
			typeVersion: 1.1,
			continueOnFail: true,
		});
		expect(output[0]).toMatchObject({ json: { annotation_id: '999', http_status: 404 }, pairedItem: { item: 0 } });
		expect(output[0]!.json.error).toMatch(/404/);
		expect(output[1]).toMatchObject({ json: { annotation_id: CLASSIFICATION_JOB_ID }, pairedItem: { item: 1 } });
	});
});

describe('Annotation Job: Sync From OBS', () => {
	const sync = { resource: 'annotationJob', operation: 'syncFromObs', annotationId: byId(SHELF_JOB) };

	it('waits until the sync is done and outputs the final status; the new images are then in the job', async () => {
		const before = emulator.imageIds(SHELF_JOB).length;
		const { output } = await run(sync);
		expect(output).toEqual([
			{ json: expect.objectContaining({ annotation_id: SHELF_JOB, sync_status: 'done', sync_status_code: 1 }), pairedItem: { item: 0 } },
		]);
		expect(emulator.imageIds(SHELF_JOB)).toHaveLength(before + 7);
	});

	it('without waiting, outputs the running status at once', async () => {
		const { output } = await run({ ...sync, waitForCompletion: false });
		expect(output[0]!.json).toMatchObject({ sync_status: 'running', sync_status_code: 3 });
	});

	it('a sync that fails, or still runs at the time limit, is an error (an error item with Continue On Fail)', async () => {
		emulator.setObsSync({ outcome: 'failed' }, SHELF_JOB);
		await expect(run(sync)).rejects.toThrow(/OBS sync of annotation job 302 failed/);
		emulator.setObsSync({ outcome: 'hang' }, SHELF_JOB);
		const { output } = await run({ ...sync, timeLimit: 1 }, { continueOnFail: true });
		expect(output[0]!.json.error).toMatch(/still running when deadlineMs ran out/);
		expect(output[0]!.pairedItem).toEqual({ item: 0 });
	});
});
