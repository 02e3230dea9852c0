import { InputValidationError, type WriteResult } from '@modelarts-kit/client/core';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { errorItem, itemError } from './annotation-job';
import { fetchTags, type FetchOutcome, type ItemRequest, type TagSettings } from './fetch-tags';
import { InvalidParameterError } from './image-ids';

/*
 * What the writes (Update Tags, Delete) share: every item's outcome in item order, a failed item as
 * an error (or, with Continue On Fail, an error item while the others go on), a check that the job
 * holds every image before anything is written, and the mapping of the client's per-image result
 * back to the items.
 */

/** The output of a write, collected per item and returned in item order. */
export class WriteOutput {
	readonly #items: INodeExecutionData[] = [];

	constructor(
		readonly ctx: IExecuteFunctions,
		initial: INodeExecutionData[] = [],
	) {
		this.#items.push(...initial);
	}

	push(json: IDataObject, itemIndex: number): void {
		this.#items.push({ json, pairedItem: { item: itemIndex } });
	}

	/** A failed item: the run stops here (nothing more is written), or with Continue On Fail an error item. */
	fail(itemIndex: number, caught: unknown, scrub: (text: string) => string, extra: IDataObject = {}): void {
		const error = itemError(this.ctx, caught, itemIndex, scrub);
		if (!this.ctx.continueOnFail()) throw error;
		this.#items.push(errorItem(error, itemIndex, extra));
	}

	/** Every item's output, in the order of the input items. */
	items(): INodeExecutionData[] {
		const itemOf = (entry: INodeExecutionData): number => (entry.pairedItem as { item: number }).item;
		return [...this.#items].sort((a, b) => itemOf(a) - itemOf(b));
	}
}

/**
 * Reads the images the items name (batched, as Get Tags does) and keeps the requests whose
 * images the job holds. An image the job does not hold fails its item before anything is
 * written, so a typo never becomes half a write; so does an image whose read failed.
 */
export async function imagesInJob(
	ctx: IExecuteFunctions,
	requests: ItemRequest[],
	settings: TagSettings,
	output: WriteOutput,
): Promise<{ present: ItemRequest[]; fetched: FetchOutcome }> {
	const fetched = await fetchTags(ctx, requests, settings);
	const present: ItemRequest[] = [];
	for (const request of requests) {
		const outcomes = request.imageIds.map((imageId) => fetched.lookup(request.annotationId, imageId));
		const failed = outcomes.find((outcome) => outcome.error);
		const missing = outcomes.filter((outcome) => !outcome.image && !outcome.error).map((outcome) => outcome.imageId);
		if (!failed && missing.length === 0) {
			present.push(request);
			continue;
		}
		const problem =
			failed?.error ??
			new InvalidParameterError(
				`${missing.length === 1 ? 'Image' : 'Images'} ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''} ${missing.length === 1 ? 'is' : 'are'} not in annotation job ${request.annotationId}`,
				'Nothing was written for this item. Image > Get Many lists the images of the job.',
			);
		output.fail(request.itemIndex, problem, fetched.scrub, {
			annotation_id: request.annotationId,
			image_ids: [...request.imageIds],
		});
	}
	return { present, fetched };
}

/**
 * Runs a client write whose input check may refuse one entry (InputValidationError with its
 * index, before any request): that entry's item fails and the write is tried again without it,
 * so one bad item never blocks the others. Returns the write's result, or undefined when no
 * entry was left.
 */
export async function writeChecked<T extends { itemIndex: number }>(
	entries: T[],
	output: WriteOutput,
	scrub: (text: string) => string,
	write: (entries: T[]) => Promise<WriteResult>,
	extra: (entry: T) => IDataObject,
): Promise<{ result: WriteResult; written: T[] } | undefined> {
	let pending = entries;
	while (pending.length > 0) {
		let refusal: InputValidationError;
		try {
			return { result: await write(pending), written: pending };
		} catch (error) {
			if (!(error instanceof InputValidationError) || error.index === undefined || !pending[error.index]) {
				throw itemError(output.ctx, error, pending[0]!.itemIndex, scrub);
			}
			refusal = error;
		}
		const refused = pending[refusal.index!]!;
		output.fail(refused.itemIndex, refusal, scrub, extra(refused));
		pending = pending.filter((entry) => entry !== refused);
	}
	return undefined;
}

/** The error of each image a write could not apply, by image ID. */
export function failuresOf(result: WriteResult): Map<string, Error> {
	return new Map(result.failed.map(({ imageId, error }) => [imageId, error]));
}
