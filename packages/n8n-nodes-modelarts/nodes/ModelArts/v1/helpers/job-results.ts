import type { ImageTags } from '@modelarts-kit/client/core';
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import {
	collectRequests,
	failureDetails,
	fetchTags,
	pairedItemOf,
	readSettings,
	throwFirstFailure,
	type FetchOutcome,
	type ItemRequest,
} from './fetch-tags';
import { InvalidParameterError, parseImageIds } from './image-ids';
import { imageIdReader, type ImageIdSource } from './input-field';

/** What came back for one annotation job, for the operations that make one result per job (Export Tags, Check Labels). */
export interface JobResult {
	annotationId: string;
	/** The input items that named the job, in order: the output item of the job links to all of them. */
	itemIndexes: number[];
	/** The images found, each once, in order of first request. */
	images: ImageTags[];
	/** The input items that asked for each found image. */
	itemsOfImage: Map<string, readonly number[]>;
	/** IDs the job does not contain. */
	missing: string[];
	/** IDs whose request failed (kept only with Continue On Fail; otherwise the run stops first). */
	failed: IDataObject[];
}

/** The fetched images grouped per job, jobs in order of first request. */
export function resultsPerJob(requests: readonly ItemRequest[], fetched: FetchOutcome): JobResult[] {
	const jobs = new Map<string, JobResult>();
	for (const { itemIndex, annotationId } of requests) {
		let job = jobs.get(annotationId);
		if (!job) {
			job = { annotationId, itemIndexes: [], images: [], itemsOfImage: new Map(), missing: [], failed: [] };
			jobs.set(annotationId, job);
		}
		if (job.itemIndexes.at(-1) !== itemIndex) job.itemIndexes.push(itemIndex);
	}
	for (const outcome of fetched.images) {
		const job = jobs.get(outcome.annotationId)!;
		if (outcome.error) job.failed.push(failureDetails(outcome, fetched.scrub));
		else if (outcome.image) {
			job.images.push(outcome.image);
			job.itemsOfImage.set(outcome.imageId, outcome.itemIndexes);
		} else job.missing.push(outcome.imageId);
	}
	return [...jobs.values()];
}

/** The output item's link to every input item of the job. */
export const pairedItemsOfJob = (job: JobResult) => pairedItemOf(job.itemIndexes);

/**
 * What a job's result says about the images it could not use, so none is dropped silently: the IDs
 * the job does not contain, and with Continue On Fail the failed ones with their error (and an
 * `error` field, as Get Tags' per-item output has).
 */
export function unusableImages(job: JobResult): IDataObject {
	const json: IDataObject = { missing: job.missing };
	if (job.failed.length > 0) {
		const asked = job.images.length + job.missing.length + job.failed.length;
		json.error = `${job.failed.length} of ${asked} image IDs failed: ${String(job.failed[0]!.error)}`;
		json.failed = job.failed;
	}
	return json;
}

/**
 * Reads every item's job and image IDs and fetches them as Get Tags does (pooled per job, batched,
 * concurrent, retried; a failed ID stops the run unless Continue On Fail is on), then groups the
 * answers per job. Items with bad parameters come back as error items (Continue On Fail) or stop the run.
 */
export async function fetchPerJob(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	imageIds: ImageIdSource,
): Promise<{ requests: ItemRequest[]; errorItems: INodeExecutionData[]; jobs: JobResult[] }> {
	const settings = readSettings(ctx);
	const { requests, errorItems } = collectRequests(ctx, items, imageIdReader(ctx, items, imageIds, parseImageIds));
	const fetched = await fetchTags(ctx, requests, settings);
	if (!ctx.continueOnFail()) throwFirstFailure(ctx, fetched);
	return { requests, errorItems, jobs: resultsPerJob(requests, fetched) };
}

/**
 * A job whose result cannot be made (a bad option, a file name used twice, a class list with a
 * repeated name): with Continue On Fail an error item linked to the job's items, else the run
 * stops naming the job's first item.
 */
export function jobFailure(ctx: IExecuteFunctions, job: JobResult, error: unknown): INodeExecutionData {
	const message = error instanceof Error ? error.message : String(error);
	const description = error instanceof InvalidParameterError ? error.description : undefined;
	if (ctx.continueOnFail()) {
		return {
			json: { annotation_id: job.annotationId, error: message, ...(description ? { description } : {}) },
			pairedItem: pairedItemsOfJob(job),
		};
	}
	throw new NodeOperationError(ctx.getNode(), `Annotation job ${job.annotationId}: ${message}`, {
		itemIndex: job.itemIndexes[0],
		...(description ? { description } : {}),
	});
}
