import { CLASSIFICATION_JOB_ID, DETECTION_JOB_ID, startEmulator, type RunningEmulator } from '@modelarts-kit/emulator';
import { unzipSync } from 'fflate';
import { NodeApiError, NodeOperationError, type ICredentialDataDecryptedObject, type INodeExecutionData } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { boxesOf } from './support/expected';
import { itemsOf, runNode } from './support/n8n-context';
import { emulatorCredentials } from './support/emulator-credentials';

let emulator: RunningEmulator;
let credentials: ICredentialDataDecryptedObject;

beforeAll(async () => {
	emulator = await startEmulator({ imagesPerJob: 300 });
	credentials = emulatorCredentials(emulator);
});
afterAll(async () => emulator.close());
beforeEach(() => emulator.resetStats());

const detectionIds = (): readonly string[] => emulator.jobs.detection.imageIds;
const truthBoxes = (imageId: string) => boxesOf(emulator.groundTruth(DETECTION_JOB_ID, imageId)!);
const sizeOf = (imageId: string) => {
	const entry = emulator.groundTruth(DETECTION_JOB_ID, imageId)!;
	if (!('size' in entry)) throw new Error(`${imageId} is not a detection image`);
	return { width: entry.size[0]!, height: entry.size[1]! };
};

/** Export Tags with the image IDs taken from each item's `ids` field. */
const exportTags = (extra: Record<string, unknown>) => ({
	resource: 'image',
	operation: 'exportTags',
	annotationId: DETECTION_JOB_ID,
	imageIds: (_: number, item: { json: Record<string, unknown> }) => item.json.ids,
	...extra,
});

const fileOf = (item: INodeExecutionData, property = 'data'): Buffer => Buffer.from(item.binary![property]!.data, 'base64');
const textOf = (item: INodeExecutionData, property = 'data'): string => fileOf(item, property).toString('utf8');
const zipOf = (item: INodeExecutionData, property = 'data'): Record<string, string> =>
	Object.fromEntries(Object.entries(unzipSync(fileOf(item, property))).map(([path, bytes]) => [path, Buffer.from(bytes).toString('utf8')]));

describe('Export Tags against the emulator', () => {
	it('exports COCO as one JSON file whose boxes are the fetched ones, with one batched request and the report', async () => {
		const ids = detectionIds().slice(0, 150);
		const { output, requests } = await runNode({
			items: itemsOf([
				{ ids: ids.slice(0, 90) },
				{ ids: [...ids.slice(90), 'ffffffffffffffffffffffffffffffff'] },
				{ ids: ids.slice(0, 3) },
			]),
			parameters: exportTags({ format: 'coco' }),
			credentials,
		});
		expect(requests).toHaveLength(2); // 151 distinct IDs in batches of 100
		expect(output).toHaveLength(1);
		const [item] = output;
		expect(item!.pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(item!.binary!.data).toMatchObject({ mimeType: 'application/json', fileName: `modelarts-${DETECTION_JOB_ID}-coco.json` });

		const coco = JSON.parse(textOf(item!)) as {
			images: { id: number; file_name: string; width: number; height: number; modelarts_image_id: string }[];
			annotations: { image_id: number; category_id: number; bbox: number[] }[];
			categories: { id: number; name: string }[];
		};
		expect(coco.images.map((image) => image.modelarts_image_id)).toEqual(ids);
		const categories = new Map(coco.categories.map(({ id, name }) => [id, name]));
		for (const image of coco.images) {
			expect({ width: image.width, height: image.height }).toEqual(sizeOf(image.modelarts_image_id));
			const boxes = coco.annotations
				.filter((annotation) => annotation.image_id === image.id)
				.map(({ category_id, bbox }) => ({ tag: categories.get(category_id), bbox }));
			expect(boxes).toEqual(
				truthBoxes(image.modelarts_image_id).map(({ tag, pos }) => ({ tag, bbox: [pos[0], pos[1], pos[2]! - pos[0]!, pos[3]! - pos[1]!] })),
			);
		}
		const allTags = [...new Set(ids.flatMap((id) => truthBoxes(id).map((box) => box.tag)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
		expect(item!.json).toMatchObject({
			annotation_id: DETECTION_JOB_ID,
			format: 'coco',
			file_name: `modelarts-${DETECTION_JOB_ID}-coco.json`,
			files: 1,
			images: 150,
			boxes: coco.annotations.length,
			classes: allTags,
			missing: ['ffffffffffffffffffffffffffffffff'],
			notes: [],
		});
		expect(item!.json.file_size).toBe(fileOf(item!).length);
		expect(item!.json.error).toBeUndefined();
	});

	it('exports YOLO as a ZIP, in the class order given, named from an input field, into the binary property asked for', async () => {
		const ids = detectionIds().slice(20, 60);
		const tags = [...new Set(ids.flatMap((id) => truthBoxes(id).map((box) => box.tag)))];
		const classOrder = tags.slice(1).reverse(); // one tag left out: it is appended and reported
		const { output } = await runNode({
			items: itemsOf(ids.map((id, index) => ({ ids: id, url: `obs://bucket/dataset/images/img-${index}.jpg` }))),
			parameters: exportTags({
				format: 'yolo',
				fileNamesFrom: 'field',
				fileNameField: 'url',
				options: { classOrder: classOrder.join('\n'), binaryPropertyName: 'labels', fileName: 'train.zip' },
			}),
			credentials,
		});
		expect(output).toHaveLength(1);
		const [item] = output;
		expect(item!.binary!.labels).toMatchObject({ mimeType: 'application/zip', fileName: 'train.zip' });
		expect(item!.pairedItem).toEqual(ids.map((_, index) => ({ item: index })));
		const files = zipOf(item!, 'labels');
		const classes = [...classOrder, tags[0]!];
		expect(files['classes.txt']).toBe(`${classes.join('\n')}\n`);
		expect(Object.keys(files).filter((path) => path.startsWith('labels/'))).toHaveLength(ids.length);
		ids.forEach((id, index) => {
			const { width, height } = sizeOf(id);
			const lines = files[`labels/img-${index}.txt`]!.split('\n').filter(Boolean);
			const expected = truthBoxes(id);
			expect(lines).toHaveLength(expected.length);
			lines.forEach((line, boxIndex) => {
				const [classIndex, x, y, w, h] = line.split(' ').map(Number);
				const [xmin, ymin, xmax, ymax] = expected[boxIndex]!.pos as [number, number, number, number];
				expect(classes[classIndex!]).toBe(expected[boxIndex]!.tag);
				// Six decimals: within half a millionth of the image size, i.e. to the pixel and far below.
				expect(Math.abs(x! * width - (xmin + xmax) / 2)).toBeLessThan(width * 1e-6);
				expect(Math.abs(y! * height - (ymin + ymax) / 2)).toBeLessThan(height * 1e-6);
				expect(Math.abs(w! * width - (xmax - xmin))).toBeLessThan(width * 1e-6);
				expect(Math.abs(h! * height - (ymax - ymin))).toBeLessThan(height * 1e-6);
			});
		});
		const appended = ids.filter((id) => truthBoxes(id).some((box) => box.tag === tags[0]));
		expect(item!.json.notes).toEqual([expect.objectContaining({ kind: 'tagNotInClassList', image_ids: appended })]);
		expect(item!.json).toMatchObject({ format: 'yolo', file_name: 'train.zip', classes, files: ids.length + 2 });
	});

	it('writes Pascal VOC and a detection manifest as ZIPs, CSV per box and a classification manifest as single files', async () => {
		const ids = detectionIds().slice(100, 110);
		const mapping = ['image_id,file_name', ...ids.map((id, index) => `${id},"pics/猫, 狗 & ${index}.jpg"`)].join('\r\n');
		const run = (parameters: Record<string, unknown>, items = itemsOf([{ ids }])) =>
			runNode({ items, parameters: exportTags(parameters), credentials });

		const voc = (await run({ format: 'voc', fileNamesFrom: 'mapping', fileNameMapping: mapping })).output[0]!;
		const vocFiles = zipOf(voc);
		expect(Object.keys(vocFiles).sort()).toEqual(ids.map((_, index) => `Annotations/猫, 狗 & ${index}.xml`).sort());
		expect(vocFiles['Annotations/猫, 狗 & 0.xml']).toContain('<filename>猫, 狗 &amp; 0.jpg</filename>');
		expect(voc.binary!.data!.fileName).toBe(`modelarts-${DETECTION_JOB_ID}-voc.zip`);

		const manifest = zipOf((await run({ format: 'manifest' })).output[0]!);
		// A VOC file for each image with boxes; an image without is an unlabelled sample of the manifest.
		expect(Object.keys(manifest)).toHaveLength(ids.filter((id) => truthBoxes(id).length > 0).length + 1);
		const lines = manifest['annotations.manifest']!.trim()
			.split('\n')
			.map((line) => JSON.parse(line));
		expect(lines.map((line) => line.id)).toEqual(ids);

		const csv = (await run({ format: 'csv', rows: 'box' })).output[0]!;
		expect(csv.binary!.data).toMatchObject({ mimeType: 'text/csv', fileName: `modelarts-${DETECTION_JOB_ID}-csv.csv` });
		const rows = textOf(csv).trimEnd().split('\r\n');
		expect(rows[0]).toBe('image_id,file_name,width,height,tag,xmin,ymin,xmax,ymax');
		expect(rows.length - 1).toBe(ids.reduce((sum, id) => sum + Math.max(truthBoxes(id).length, 1), 0));
		expect(csv.json).toMatchObject({ format: 'csv', rows: 'box', images: ids.length });

		const classificationIds = emulator.jobs.classification.imageIds.slice(0, 5);
		const single = (await run({ format: 'manifest', annotationId: CLASSIFICATION_JOB_ID }, itemsOf([{ ids: classificationIds }])))
			.output[0]!;
		expect(single.binary!.data).toMatchObject({
			mimeType: 'application/x-ndjson',
			fileName: `modelarts-${CLASSIFICATION_JOB_ID}-manifest.manifest`,
		});
		const entries = textOf(single)
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line));
		expect(entries.map((entry) => entry.annotation.map((tag: { name: string }) => tag.name))).toEqual(
			classificationIds.map((id) => (emulator.groundTruth(CLASSIFICATION_JOB_ID, id) as { tags: string[] }).tags),
		);
	});

	it('reports what a format cannot hold: the tags of a classification job in COCO', async () => {
		const ids = emulator.jobs.classification.imageIds.slice(0, 4);
		const { output } = await runNode({
			items: itemsOf([{ ids }]),
			parameters: exportTags({ format: 'coco', annotationId: CLASSIFICATION_JOB_ID }),
			credentials,
		});
		expect(output[0]!.json.notes).toEqual(
			expect.arrayContaining([expect.objectContaining({ kind: 'classificationTagsDropped', image_ids: ids })]),
		);
	});

	it('makes one file per job when items name several jobs', async () => {
		const detection = detectionIds().slice(0, 2);
		const classification = emulator.jobs.classification.imageIds.slice(0, 2);
		const { output } = await runNode({
			items: itemsOf([
				{ job: DETECTION_JOB_ID, ids: detection },
				{ job: CLASSIFICATION_JOB_ID, ids: classification },
				{ job: DETECTION_JOB_ID, ids: detection[1] },
			]),
			parameters: exportTags({ format: 'jsonl', annotationId: (_: number, item: { json: { job: string } }) => item.json.job }),
			credentials,
		});
		expect(output.map((item) => [item.json.annotation_id, item.json.images, item.pairedItem])).toEqual([
			[DETECTION_JOB_ID, 2, [{ item: 0 }, { item: 2 }]],
			[CLASSIFICATION_JOB_ID, 2, { item: 1 }],
		]);
	});
});

describe('Export Tags errors', () => {
	it('stops on an unknown job, or with Continue On Fail exports nothing and lists every failed ID', async () => {
		const parameters = exportTags({ format: 'coco', annotationId: '999999' });
		const items = itemsOf([{ ids: ['a1', 'a2'] }]);
		await expect(runNode({ items, parameters, credentials })).rejects.toThrow(NodeApiError);
		const { output } = await runNode({ items, parameters, credentials, continueOnFail: true });
		expect(output).toHaveLength(1);
		expect(output[0]!.json).toMatchObject({ images: 0, error: expect.stringMatching(/^2 of 2 image IDs failed: /) });
		expect((output[0]!.json.failed as { image_id: string; http_status: number }[]).map((f) => [f.image_id, f.http_status])).toEqual([
			['a1', 404],
			['a2', 404],
		]);
	});

	it('refuses two images under one file name and a malformed mapping, naming them; Continue On Fail makes an error item', async () => {
		const ids = detectionIds().slice(0, 2);
		const items = itemsOf([{ ids, url: ['a/cat.jpg', 'b/CAT.png'] }]);
		const parameters = exportTags({ format: 'yolo', fileNamesFrom: 'field', fileNameField: 'url' });
		const failure = runNode({ items, parameters, credentials });
		await expect(failure).rejects.toThrow(NodeOperationError);
		await expect(failure).rejects.toThrow(
			`Annotation job ${DETECTION_JOB_ID}: images ${ids[0]} and ${ids[1]} would both be written as "CAT"; give them distinct file names in the mapping`,
		);
		const { output } = await runNode({ items, parameters, credentials, continueOnFail: true });
		expect(output).toEqual([
			{ json: { annotation_id: DETECTION_JOB_ID, error: expect.stringContaining('would both be written as') }, pairedItem: { item: 0 } },
		]);

		const malformed = exportTags({ format: 'voc', fileNamesFrom: 'mapping', fileNameMapping: `${ids[0]},a.jpg\n${ids[1]},"b.jpg` });
		await expect(runNode({ items, parameters: malformed, credentials })).rejects.toThrow(
			/File Name Mapping, line 2: a quoted field is never closed/,
		);
	});

	it('says it does not run as a tool: a model cannot read a file', async () => {
		await expect(
			runNode({
				items: itemsOf([{ ids: detectionIds()[0] }]),
				parameters: exportTags({ format: 'coco' }),
				credentials,
				nodeTypeName: '@modelarts-kit/n8n-nodes-modelarts.modelArtsTool',
			}),
		).rejects.toThrow('Export Tags makes a file, which a model cannot read: it does not run as a tool');
		expect(emulator.stats.requests).toBe(0);
	});
});
