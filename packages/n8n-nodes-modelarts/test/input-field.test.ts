import { CLASSIFICATION_JOB_ID, startEmulator, type RunningEmulator } from '@modelarts-kit/emulator';
import { NodeOperationError, type ICredentialDataDecryptedObject, type INodeProperties } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { description as getTagDescription } from '../nodes/ModelArts/v1/actions/image/getTag.operation';
import { description as getTagsDescription } from '../nodes/ModelArts/v1/actions/image/getTags.operation';
import { InvalidParameterError } from '../nodes/ModelArts/v1/helpers/image-ids';
import { parseFieldName, readInputField } from '../nodes/ModelArts/v1/helpers/input-field';
import { expectedRecord } from './support/expected';
import { itemsOf, readsOf, runNode } from './support/n8n-context';
import { emulatorCredentials } from './support/emulator-credentials';

let emulator: RunningEmulator;
let credentials: ICredentialDataDecryptedObject;

beforeAll(async () => {
	emulator = await startEmulator({ imagesPerJob: 500 });
	credentials = emulatorCredentials(emulator);
});
afterAll(async () => emulator.close());
beforeEach(() => emulator.resetStats());

const classificationIds = (): readonly string[] => emulator.jobs.classification.imageIds;
const truth = (jobId: string, imageId: string) => expectedRecord(emulator.groundTruth(jobId, imageId)!);

/** Get Tags with the image IDs read from an input field. */
const fromField = (field: unknown, extra: Record<string, unknown> = {}) => ({
	resource: 'image',
	operation: 'getTags',
	annotationId: CLASSIFICATION_JOB_ID,
	imageIdsSource: 'field',
	imageIdsField: field,
	...extra,
});

/** Get Tag with the image ID read from an input field. */
const oneFromField = (field: unknown, extra: Record<string, unknown> = {}) => ({
	resource: 'image',
	operation: 'getTag',
	annotationId: CLASSIFICATION_JOB_ID,
	imageIdSource: 'field',
	imageIdField: field,
	...extra,
});

/** The error a run ends with. */
const failureOf = async (run: Promise<unknown>): Promise<NodeOperationError> => {
	const error = await run.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(NodeOperationError);
	return error as NodeOperationError;
};

/** Item 1 lacks the field: the run stops before any request, and the error names the item, the field and the fields it has. */
async function expectMissingFieldError(parameters: Record<string, unknown>, holds: string): Promise<void> {
	const error = await failureOf(
		runNode({
			items: itemsOf([{ image_id: classificationIds()[0] }, { imageId: 'x', index: 1, name: 'cat.jpg' }]),
			parameters,
			credentials,
		}),
	);
	expect(error.message).toBe('The input item has no field "image_id" (item 1)');
	expect(error.description).toBe(
		`The item has the fields "imageId", "index", "name". Set Input Field Name to the field that holds ${holds} reaches into nested objects.`,
	);
	expect(error.context.itemIndex).toBe(1);
	expect(emulator.stats.requests).toBe(0);
}

describe('the Image IDs From parameter', () => {
	const property = (name: string): INodeProperties => getTagsDescription.find((p) => p.name === name)!;

	it('defaults to the Image IDs parameter, so existing workflows keep working unchanged', () => {
		expect(property('imageIdsSource')).toMatchObject({ type: 'options', default: 'parameter' });
		expect(property('imageIdsSource').options!.map((option) => 'value' in option && option.value)).toEqual(['parameter', 'field']);
	});

	it('shows Image IDs in parameter mode and Input Field Name in field mode only', () => {
		expect(property('imageIds').displayOptions!.show).toEqual({
			imageIdsSource: ['parameter'],
			resource: ['image'],
			operation: ['getTags'],
		});
		expect(property('imageIdsField').displayOptions!.show).toEqual({
			imageIdsSource: ['field'],
			resource: ['image'],
			operation: ['getTags'],
		});
		expect(property('imageIdsField').default).toBe('image_id');
	});

	it('without it (a workflow saved before it existed) the IDs come from Image IDs, evaluated per item', async () => {
		const ids = classificationIds().slice(0, 3);
		const { output, parameterReads } = await runNode({
			items: itemsOf(ids.map((id) => ({ id }))),
			parameters: {
				resource: 'image',
				operation: 'getTags',
				annotationId: CLASSIFICATION_JOB_ID,
				imageIds: (_: number, item: { json: Record<string, unknown> }) => item.json.id,
			},
			credentials,
		});
		expect(output.map((item) => item.json)).toEqual(ids.map((id) => truth(CLASSIFICATION_JOB_ID, id)));
		expect(readsOf(parameterReads, 'imageIds')).toEqual([0, 1, 2]);
		expect(readsOf(parameterReads, 'imageIdsField')).toEqual([]);
	});
});

describe('image IDs from an input field', () => {
	it('reads one ID per item from the field, without evaluating Image IDs, and reads the field name once', async () => {
		const ids = classificationIds().slice(0, 40);
		const { output, requests, parameterReads } = await runNode({
			items: itemsOf(ids.map((image_id, index) => ({ index, image_id }))),
			parameters: fromField('image_id', { imageIds: () => expect.unreachable('Image IDs is not evaluated in field mode') }),
			credentials,
		});
		expect(output.map((item) => item.json)).toEqual(ids.map((id) => truth(CLASSIFICATION_JOB_ID, id)));
		expect(output.map((item) => item.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
		expect(requests).toHaveLength(1);
		expect(JSON.parse(requests[0]!.body!)).toEqual({ image_id: ids });
		expect(readsOf(parameterReads, 'imageIds')).toEqual([]);
		expect(readsOf(parameterReads, 'imageIdsField')).toEqual([0]);
		expect(readsOf(parameterReads, 'imageIdsSource')).toEqual([0]);
	});

	it('accepts a list and every other form the expression mode accepts, with the same result', async () => {
		const ids = classificationIds().slice(10, 18);
		const values = [
			ids[0],
			[ids[1], ` ${ids[2]} `],
			`${ids[3]}, ${ids[4]},,`,
			`${ids[5]}\r\n${ids[0]}\n`,
			JSON.stringify([ids[6], ids[7]]),
		];
		const viaField = await runNode({ items: itemsOf(values.map((ids) => ({ ids }))), parameters: fromField('ids'), credentials });
		const viaExpression = await runNode({
			items: itemsOf(values.map((ids) => ({ ids }))),
			parameters: {
				resource: 'image',
				operation: 'getTags',
				annotationId: CLASSIFICATION_JOB_ID,
				imageIds: (_: number, item: { json: Record<string, unknown> }) => item.json.ids,
			},
			credentials,
		});
		expect(viaField.output).toEqual(viaExpression.output);
		expect(viaField.output.map((item) => item.json.image_id)).toEqual(ids);
		expect(viaField.output[0]!.pairedItem).toEqual([{ item: 0 }, { item: 3 }]);
		expect(viaField.requests.map((request) => request.body)).toEqual(viaExpression.requests.map((request) => request.body));
	});

	it('follows a dot path into nested objects and lists', async () => {
		const ids = classificationIds().slice(20, 24);
		const { output } = await runNode({
			items: itemsOf([{ data: { image_ids: [ids[0], ids[1]] } }, { data: { image_ids: ids[2] } }, { data: { image_ids: `${ids[3]}` } }]),
			parameters: fromField('data.image_ids', { outputMode: 'perItem' }),
			credentials,
		});
		expect(
			output.map((item) => [(item.json.images as Array<{ image_id: string }>).map((image) => image.image_id), item.pairedItem]),
		).toEqual([
			[[ids[0], ids[1]], { item: 0 }],
			[[ids[2]], { item: 1 }],
			[[ids[3]], { item: 2 }],
		]);

		const listed = await runNode({
			items: itemsOf([{ images: [{ id: ids[0] }, { id: ids[1] }] }]),
			parameters: fromField('images.1.id'),
			credentials,
		});
		expect(listed.output.map((item) => item.json.image_id)).toEqual([ids[1]]);
	});

	it('reads a field whose own name holds dots as it is, before trying it as a path', async () => {
		const [literal, nested] = classificationIds().slice(30, 32);
		const { output } = await runNode({
			items: itemsOf([{ 'data.image_ids': literal, data: { image_ids: nested } }]),
			parameters: fromField('data.image_ids'),
			credentials,
		});
		expect(output.map((item) => item.json.image_id)).toEqual([literal]);
	});

	it('reads the field name per item when it is an expression', async () => {
		const ids = classificationIds().slice(40, 43);
		const { output, parameterReads } = await runNode({
			items: itemsOf([
				{ use: 'a', a: ids[0] },
				{ use: 'b', b: ids[1] },
				{ use: 'a', a: ids[2] },
			]),
			parameters: fromField((_: number, item: { json: Record<string, unknown> }) => item.json.use),
			credentials,
		});
		expect(output.map((item) => item.json.image_id)).toEqual(ids);
		expect(readsOf(parameterReads, 'imageIdsField')).toEqual([0, 1, 2]);
	});

	it('a missing field stops the run before any request, naming the item, the field and fields the item has', async () =>
		expectMissingFieldError(fromField('image_id'), 'the image IDs; a dot path such as data.image_ids'));

	it('a dot path that stops part way names where it stopped', async () => {
		const error = await failureOf(
			runNode({ items: itemsOf([{ data: { ids: 'a', extra: 1 } }]), parameters: fromField('data.image_ids'), credentials }),
		);
		expect(error.message).toBe('The input item has no field "data.image_ids" (item 0)');
		expect(error.description).toMatch(/^"data" has the fields "ids", "extra"\. /);
	});

	it('with Continue On Fail, an item without the field becomes an error item and the others are fetched', async () => {
		const ids = classificationIds().slice(50, 52);
		const { output, requests } = await runNode({
			items: itemsOf([{ image_id: ids[0] }, { other: 'x' }, { image_id: ids[1] }, { image_id: '' }]),
			parameters: fromField('image_id'),
			credentials,
			continueOnFail: true,
		});
		expect(output).toEqual([
			{
				json: {
					error: 'The input item has no field "image_id"',
					description:
						'The item has the field "other". Set Input Field Name to the field that holds the image IDs; a dot path such as data.image_ids reaches into nested objects.',
				},
				pairedItem: { item: 1 },
			},
			{
				json: { error: 'No image ID was given for this item', description: expect.stringContaining('Give one image ID') },
				pairedItem: { item: 3 },
			},
			{ json: truth(CLASSIFICATION_JOB_ID, ids[0]!), pairedItem: { item: 0 } },
			{ json: truth(CLASSIFICATION_JOB_ID, ids[1]!), pairedItem: { item: 2 } },
		]);
		expect(requests).toHaveLength(1);
	});

	it('an empty Input Field Name is refused for every item, read once', async () => {
		const { output, parameterReads } = await runNode({
			items: itemsOf([{ image_id: 'a' }, { image_id: 'b' }]),
			parameters: fromField('  '),
			credentials,
			continueOnFail: true,
		});
		expect(output.map((item) => [item.json.error, item.pairedItem])).toEqual([
			['Input Field Name is empty', { item: 0 }],
			['Input Field Name is empty', { item: 1 }],
		]);
		expect(readsOf(parameterReads, 'imageIdsField')).toEqual([0]);
		expect(emulator.stats.requests).toBe(0);
	});
});

describe('Get Tag: the Image ID From parameter', () => {
	const property = (name: string): INodeProperties => getTagDescription.find((p) => p.name === name)!;

	it('defaults to the Image ID parameter and shows Image ID or Input Field Name, never both', () => {
		expect(property('imageIdSource')).toMatchObject({ type: 'options', default: 'parameter', noDataExpression: true });
		expect(property('imageIdSource').options!.map((option) => 'value' in option && option.value)).toEqual(['parameter', 'field']);
		expect(property('imageId').displayOptions!.show).toEqual({ imageIdSource: ['parameter'], resource: ['image'], operation: ['getTag'] });
		expect(property('imageIdField').displayOptions!.show).toEqual({ imageIdSource: ['field'], resource: ['image'], operation: ['getTag'] });
		expect(property('imageIdField').default).toBe('image_id');
	});

	it('without it (a workflow saved before it existed) the ID comes from Image ID, evaluated per item', async () => {
		const ids = classificationIds().slice(0, 3);
		const { output, parameterReads } = await runNode({
			items: itemsOf(ids.map((id) => ({ id }))),
			parameters: {
				resource: 'image',
				operation: 'getTag',
				annotationId: CLASSIFICATION_JOB_ID,
				imageId: (_: number, item: { json: Record<string, unknown> }) => item.json.id,
			},
			credentials,
		});
		expect(output).toEqual(ids.map((id, item) => ({ json: truth(CLASSIFICATION_JOB_ID, id), pairedItem: { item } })));
		expect(readsOf(parameterReads, 'imageId')).toEqual([0, 1, 2]);
		expect(readsOf(parameterReads, 'imageIdField')).toEqual([]);
	});
});

describe('Get Tag: the image ID from an input field', () => {
	it('reads one ID per item from the field, without evaluating Image ID, and reads the field name once', async () => {
		const ids = classificationIds().slice(60, 90);
		const items = itemsOf([...ids.map((image_id, index) => ({ index, image_id })), { image_id: ` ${ids[0]} ` }]);
		const { output, requests, parameterReads } = await runNode({
			items,
			parameters: oneFromField('image_id', { imageId: () => expect.unreachable('Image ID is not evaluated in field mode') }),
			credentials,
		});
		expect(output).toEqual([...ids, ids[0]!].map((id, item) => ({ json: truth(CLASSIFICATION_JOB_ID, id), pairedItem: { item } })));
		expect(requests).toHaveLength(1);
		expect(JSON.parse(requests[0]!.body!)).toEqual({ image_id: ids });
		expect(readsOf(parameterReads, 'imageId')).toEqual([]);
		expect(readsOf(parameterReads, 'imageIdField')).toEqual([0]);
		expect(readsOf(parameterReads, 'imageIdSource')).toEqual([0]);
	});

	it('follows a dot path into nested objects and lists', async () => {
		const ids = classificationIds().slice(90, 93);
		const nested = await runNode({
			items: itemsOf([{ data: { image_id: ids[0] } }, { data: { image_id: [ids[1]] } }]),
			parameters: oneFromField('data.image_id'),
			credentials,
		});
		expect(nested.output.map((item) => [item.json.image_id, item.pairedItem])).toEqual([
			[ids[0], { item: 0 }],
			[ids[1], { item: 1 }],
		]);

		const listed = await runNode({
			items: itemsOf([{ images: [{ id: ids[0] }, { id: ids[2] }] }]),
			parameters: oneFromField('images.1.id'),
			credentials,
		});
		expect(listed.output.map((item) => item.json.image_id)).toEqual([ids[2]]);
	});

	it('refuses several IDs in the field with the message Get Tag gives for several IDs in Image ID', async () => {
		const [a, b] = classificationIds().slice(100, 102);
		const items = itemsOf([{ image_id: a }, { image_id: [a, b] }]);
		const viaField = await failureOf(runNode({ items, parameters: oneFromField('image_id'), credentials }));
		expect(viaField.message).toMatch(/^Get Tag takes one image ID, but 2 were given \(.*\) \(item 1\)$/);
		expect(viaField.context.itemIndex).toBe(1);
		expect(emulator.stats.requests).toBe(0);

		const viaParameter = await failureOf(
			runNode({
				items,
				parameters: {
					resource: 'image',
					operation: 'getTag',
					annotationId: CLASSIFICATION_JOB_ID,
					imageId: (_: number, item: { json: Record<string, unknown> }) => item.json.image_id,
				},
				credentials,
			}),
		);
		expect([viaField.message, viaField.description]).toEqual([viaParameter.message, viaParameter.description]);
	});

	it('a missing field stops the run before any request, naming the item, the field and fields the item has', async () =>
		expectMissingFieldError(oneFromField('image_id'), 'the image ID; a dot path such as data.image_id'));

	it('with Continue On Fail, an item without the field or with several IDs becomes an error item and the others are fetched', async () => {
		const ids = classificationIds().slice(110, 113);
		const { output, requests } = await runNode({
			items: itemsOf([{ image_id: ids[0] }, { other: 'x' }, { image_id: `${ids[1]}, ${ids[2]}` }, { image_id: ids[1] }]),
			parameters: oneFromField('image_id'),
			credentials,
			continueOnFail: true,
		});
		expect(output).toEqual([
			{
				json: {
					error: 'The input item has no field "image_id"',
					description:
						'The item has the field "other". Set Input Field Name to the field that holds the image ID; a dot path such as data.image_id reaches into nested objects.',
				},
				pairedItem: { item: 1 },
			},
			{
				json: {
					error: `Get Tag takes one image ID, but 2 were given (${JSON.stringify([ids[1], ids[2]])})`,
					description: 'Use the Get Tags operation for several IDs per item.',
				},
				pairedItem: { item: 2 },
			},
			{ json: truth(CLASSIFICATION_JOB_ID, ids[0]!), pairedItem: { item: 0 } },
			{ json: truth(CLASSIFICATION_JOB_ID, ids[1]!), pairedItem: { item: 3 } },
		]);
		expect(requests).toHaveLength(1);
	});

	it('an empty Input Field Name is refused for every item, read once', async () => {
		const { output, parameterReads } = await runNode({
			items: itemsOf([{ image_id: 'a' }, { image_id: 'b' }]),
			parameters: oneFromField(''),
			credentials,
			continueOnFail: true,
		});
		expect(output.map((item) => [item.json.error, item.json.description, item.pairedItem])).toEqual([
			['Input Field Name is empty', expect.stringContaining('holds the image ID;'), { item: 0 }],
			['Input Field Name is empty', expect.stringContaining('holds the image ID;'), { item: 1 }],
		]);
		expect(readsOf(parameterReads, 'imageIdField')).toEqual([0]);
		expect(emulator.stats.requests).toBe(0);
	});
});

describe('reading an input field', () => {
	it("follows paths through objects and lists, and only the item's own fields", () => {
		const json = { a: { b: [{ c: 'x' }] }, 'a.b': 'literal', n: null };
		expect(readInputField(json, 'a.b')).toBe('literal');
		expect(readInputField(json, 'a.b.0.c')).toBe('x');
		expect(readInputField(json, 'n')).toBeNull();
		expect(() => readInputField(json, 'toString')).toThrow('The input item has no field "toString"');
		expect(() => readInputField(json, 'a.constructor')).toThrow('The input item has no field "a.constructor"');
	});

	it.each([
		[{}, 'id', 'The item has no fields.'],
		[{ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7 }, 'id', 'The item has the fields "a", "b", "c", "d", "e" and 2 more.'],
		[{ data: 'text' }, 'data.id', '"data" is a string ("text"), which has no fields.'],
		[{ data: { rows: ['a', 'b'] } }, 'data.rows.x', '"data.rows" is a list of 2; a number picks an element, e.g. data.rows.0.'],
		[{ data: { rows: ['a'] } }, 'data.rows.1', '"data.rows" is a list of 1; a number picks an element, e.g. data.rows.0.'],
	])('a missing field in %j at %j says: %s', (json, path, found) => {
		let caught: unknown;
		try {
			readInputField(json, path);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(InvalidParameterError);
		expect((caught as InvalidParameterError).message).toBe(`The input item has no field "${path}"`);
		expect((caught as InvalidParameterError).description!.startsWith(`${found} Set Input Field Name`)).toBe(true);
	});

	it.each([
		[' image_ids ', 'image_ids'],
		['data.image_ids', 'data.image_ids'],
		[3, '3'],
	])('takes the field name %j', (value, expected) => {
		expect(parseFieldName(value)).toBe(expected);
	});

	it.each([
		['', 'Input Field Name is empty'],
		[undefined, 'Input Field Name is empty'],
		[{ name: 'a' }, 'Input Field Name is an object ({"name":"a"})'],
	])('refuses the field name %j', (value, message) => {
		expect(() => parseFieldName(value)).toThrow(message);
	});
});
