import { DETECTION_JOB_ID, startEmulator, type RunningEmulator } from '@modelarts-kit/emulator';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxesOf } from './support/expected';
import { itemsOf, runNode } from './support/n8n-context';
import { emulatorCredentials } from './support/emulator-credentials';

let emulator: RunningEmulator;
let credentials: ICredentialDataDecryptedObject;

beforeAll(async () => {
	emulator = await startEmulator({ imagesPerJob: 200 });
	credentials = emulatorCredentials(emulator);
});
afterAll(async () => emulator.close());

const UNKNOWN_ID = 'ffffffffffffffffffffffffffffffff';
const boxes = (imageId: string) => boxesOf(emulator.groundTruth(DETECTION_JOB_ID, imageId)!);

const checkLabels = (extra: Record<string, unknown>) => ({
	resource: 'image',
	operation: 'checkLabels',
	annotationId: DETECTION_JOB_ID,
	imageIds: (_: number, item: { json: Record<string, unknown> }) => item.json.ids,
	...extra,
});

/** Per tag of the ground truth: images carrying it and boxes. */
function tagCounts(ids: readonly string[]): Map<string, { images: number; boxes: number }> {
	const counts = new Map<string, { images: number; boxes: number }>();
	for (const id of ids) {
		const seen = new Set<string>();
		for (const { tag } of boxes(id)) {
			const count = counts.get(tag) ?? { images: 0, boxes: 0 };
			count.boxes++;
			if (!seen.has(tag)) count.images++;
			seen.add(tag);
			counts.set(tag, count);
		}
	}
	return counts;
}

describe('Check Labels against the emulator', () => {
	it('returns one summary per job: counts per kind, per-tag counts, the text report and the IDs it could not check', async () => {
		const ids = emulator.jobs.detection.imageIds.slice(0, 120);
		const counts = tagCounts(ids);
		const [left, ...tagList] = [...counts.keys()];
		const { output } = await runNode({
			items: itemsOf([{ ids: ids.slice(0, 60) }, { ids: [...ids.slice(60), UNKNOWN_ID] }]),
			parameters: checkLabels({ options: { tagList: tagList.join(', ') } }),
			credentials,
		});
		expect(output).toHaveLength(1);
		const [summary] = output;
		const withoutTags = ids.filter((id) => boxes(id).length === 0);
		expect(withoutTags.length).toBeGreaterThan(0);
		expect(summary!.pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		expect(summary!.json).toMatchObject({
			annotation_id: DETECTION_JOB_ID,
			images: ids.length,
			boxes: ids.reduce((sum, id) => sum + boxes(id).length, 0),
			findings: withoutTags.length + counts.get(left!)!.images,
			counts: {
				boxOutsideImage: 0,
				zeroAreaBox: 0,
				invertedBox: 0,
				boxWithoutSize: 0,
				imageWithoutTags: withoutTags.length,
				tagNotInTagList: counts.get(left!)!.images,
				tagCountMismatch: 0,
			},
			missing: [UNKNOWN_ID],
		});
		expect(summary!.json.tags).toEqual(
			[...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([tag, count]) => ({ tag, ...count })),
		);
		const text = String(summary!.json.summary);
		expect(text).toMatch(new RegExp(`^Label QA: ${ids.length} image\\(s\\)`));
		expect(text).toContain(`images without tags: ${withoutTags.length}`);
		expect(text).toContain(`image IDs not in annotation job ${DETECTION_JOB_ID} (not checked): 1\n  ${UNKNOWN_ID}`);
	});

	it('adds one machine-readable item per finding, linked to the items that asked for its image', async () => {
		const ids = emulator.jobs.detection.imageIds.slice(0, 80);
		const counts = tagCounts(ids);
		const [first, second] = [...counts.keys()];
		// The job's statistics as ModelArts answers them, off by one for one tag and missing another.
		const statistics = {
			tag_count: [...counts]
				.filter(([tag]) => tag !== second)
				.map(([tag, count]) => ({ tag, count: tag === first ? count.images + 1 : count.images })),
		};
		const { output } = await runNode({
			items: itemsOf(ids.map((id) => ({ ids: id }))),
			parameters: checkLabels({ qaOutput: 'findings', options: { tagStatistics: JSON.stringify(statistics) } }),
			credentials,
		});
		const [summary, ...findings] = output;
		expect(findings).toHaveLength(summary!.json.findings as number);
		const withoutTags = ids.flatMap((id, item) => (boxes(id).length === 0 ? [{ id, item }] : []));
		expect(findings.filter((finding) => finding.json.kind === 'imageWithoutTags').map((f) => [f.json.image_id, f.pairedItem])).toEqual(
			withoutTags.map(({ id, item }) => [id, { item }]),
		);
		const mismatches = findings.filter((finding) => finding.json.kind === 'tagCountMismatch');
		expect(mismatches.map((finding) => finding.json)).toEqual([
			expect.objectContaining({ tag: first, expected: counts.get(first!)!.images + 1, actual: counts.get(first!)!.images }),
			expect.objectContaining({ tag: second, expected: 0, actual: counts.get(second!)!.images }),
		]);
		// A job-level finding belongs to every item of the job.
		expect(mismatches[0]!.pairedItem).toEqual(ids.map((_, item) => ({ item })));
		for (const finding of findings) expect(Object.values(finding.json)).not.toContain(undefined);
	});

	it('caps the lists of the text summary at Findings Listed per Kind, the unknown IDs too', async () => {
		const ids = emulator.jobs.detection.imageIds.slice(0, 60);
		const unknown = ['f1', 'f2', 'f3'];
		const { output } = await runNode({
			items: itemsOf([{ ids: [...ids, ...unknown] }]),
			parameters: checkLabels({ options: { perKind: 2 } }),
			credentials,
		});
		const withoutTags = ids.filter((id) => boxes(id).length === 0);
		const text = String(output[0]!.json.summary);
		expect(text).toContain(
			`images without tags: ${withoutTags.length}\n  image ${withoutTags[0]} has no tags\n  image ${withoutTags[1]} has no tags\n  ... and ${withoutTags.length - 2} more\n`,
		);
		expect(text).toContain(`image IDs not in annotation job ${DETECTION_JOB_ID} (not checked): 3\n  f1, f2\n  ... and 1 more\n`);
		expect(output[0]!.json.missing).toEqual(unknown);
	});

	it('refuses statistics that are not tag counts, naming the entry', async () => {
		const parameters = checkLabels({ options: { tagStatistics: '[{"tag": "cat", "count": -1}]' } });
		const items = itemsOf([{ ids: emulator.jobs.detection.imageIds[0] }]);
		await expect(runNode({ items, parameters, credentials })).rejects.toThrow(
			`Annotation job ${DETECTION_JOB_ID}: Tag Statistics: entry 1 (["cat",-1]) is not a tag with a count of images`,
		);
		const { output } = await runNode({ items, parameters, credentials, continueOnFail: true });
		expect(output[0]!.json).toMatchObject({ annotation_id: DETECTION_JOB_ID, error: expect.stringContaining('Tag Statistics: entry 1') });
	});
});
