import { mergeImageIds, type ImageTags, type JobType, type ModelArtsError } from '@modelarts-kit/client/core';
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';
import { createNodeClient, type ClientSettings } from '../transport/client';
import { InvalidParameterError, parseAnnotationId } from './image-ids';
import { parameterReader } from './parameters';

export interface TagSettings extends ClientSettings {
	includeMissing: boolean;
	simplify: boolean;
}

/** The node-level options (read once, from the first item: they configure the run, not an item). */
export function readSettings(ctx: IExecuteFunctions): TagSettings {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const number = (name: string, fallback: number): number => (typeof options[name] === 'number' ? (options[name] as number) : fallback);
	/*
	 * Retries. The node retries a failed request itself: only transient
	 * failures (408, 429, 5xx, reset connections, timeouts), only the batch
	 * that failed, with capped exponential backoff and jitter that honours
	 * Retry-After; never 400/401/403/404 (Huawei locks an access key after
	 * repeated bad signatures). n8n's "Retry On Fail" instead re-runs the whole
	 * node, every batch of every item. Both on would multiply: Max Tries x
	 * (1 + Max Retries) attempts per batch. So while Retry On Fail is on, the
	 * node makes no retries of its own and n8n's setting is the only layer.
	 * Leaving Retry On Fail off is the better choice for this node.
	 */
	const retryOnFail = ctx.getNode().retryOnFail === true;
	return {
		batchSize: number('batchSize', 100),
		concurrency: number('concurrency', 8),
		maxRetries: retryOnFail ? 0 : number('maxRetries', 3),
		timeoutMs: number('timeout', 30_000),
		includeMissing: options.includeMissing === true,
		simplify: options.simplify !== false,
	};
}

/** One input item's request: the job and the image IDs its parameters named. */
export interface ItemRequest {
	itemIndex: number;
	annotationId: string;
	/** Checked by parseImageIds with the client's own check, which the client does not repeat. */
	imageIds: readonly string[];
}

/** An image of a job, as every mode sees it: the client's outcome for the ID, and the items that asked for it. */
export interface ImageOutcome {
	readonly annotationId: string;
	readonly imageId: string;
	/** Input items that asked for it, in order. */
	readonly itemIndexes: readonly number[];
	readonly image?: ImageTags;
	readonly error?: ModelArtsError;
	/** The job's type as far as the answers tell (`unknown` when nothing was found). */
	readonly jobType: JobType | 'unknown';
}

export interface FetchOutcome {
	/** Every requested (job, image) pair once, in order of first request. */
	images: ImageOutcome[];
	lookup(annotationId: string, imageId: string): ImageOutcome;
	scrub(text: string): string;
}

const keyOf = (annotationId: string, imageId: string): string => `${annotationId}\u0000${imageId}`;

/**
 * Reads each item's parameters. A bad item stops the run before any request
 * (NodeOperationError with its index), or with Continue On Fail becomes an
 * error item while the others go on. The annotation job ID is evaluated per
 * item only when it is an expression; a fixed ID is read and checked once.
 */
export function collectRequests(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	readIds: (itemIndex: number) => readonly string[],
): { requests: ItemRequest[]; errorItems: INodeExecutionData[] } {
	const requests: ItemRequest[] = [];
	const errorItems: INodeExecutionData[] = [];
	const readAnnotationId = parameterReader(ctx, ctx.getNode().parameters, 'annotationId', parseAnnotationId);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const annotationId = readAnnotationId(itemIndex);
			requests.push({ itemIndex, annotationId, imageIds: readIds(itemIndex) });
		} catch (error) {
			if (!(error instanceof InvalidParameterError)) {
				// An expression that failed to evaluate, reported as n8n reports it.
				if (ctx.continueOnFail()) {
					errorItems.push({ json: { error: (error as Error).message }, pairedItem: { item: itemIndex } });
					continue;
				}
				throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
			}
			if (ctx.continueOnFail()) {
				errorItems.push({
					json: { error: error.message, ...(error.description ? { description: error.description } : {}) },
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			throw new NodeOperationError(ctx.getNode(), `${error.message} (item ${itemIndex})`, {
				itemIndex,
				description: error.description,
			});
		}
	}
	return { requests, errorItems };
}

/**
 * Pools the IDs of all items per job and fetches each job's IDs with one
 * client call: batched (batch size), concurrent (concurrency), retried, and
 * never one request per item. An ID asked for by several items is fetched once.
 */
export async function fetchTags(ctx: IExecuteFunctions, requests: ItemRequest[], settings: TagSettings): Promise<FetchOutcome> {
	// Which items asked for each (job, image) pair, in order of first request; and each job's ID lists.
	const itemsByKey = new Map<string, number[]>();
	const listsByJob = new Map<string, (readonly string[])[]>();
	for (const { itemIndex, annotationId, imageIds } of requests) {
		const lists = listsByJob.get(annotationId) ?? [];
		lists.push(imageIds);
		listsByJob.set(annotationId, lists);
		for (const imageId of imageIds) {
			const key = keyOf(annotationId, imageId);
			const itemIndexes = itemsByKey.get(key);
			if (!itemIndexes) itemsByKey.set(key, [itemIndex]);
			else if (itemIndexes.at(-1) !== itemIndex) itemIndexes.push(itemIndex);
		}
	}
	const byKey = new Map<string, ImageOutcome>();
	const lookup = (annotationId: string, imageId: string): ImageOutcome => byKey.get(keyOf(annotationId, imageId))!;
	if (itemsByKey.size === 0) return { images: [], lookup, scrub: (text) => text };

	let nodeClient: Awaited<ReturnType<typeof createNodeClient>>;
	try {
		nodeClient = await createNodeClient(ctx, settings);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, {
			description: 'Check the ModelArts credential and the node options.',
		});
	}
	const { client, scrub } = nodeClient;
	const signal = ctx.getExecutionCancelSignal?.();

	for (const [annotationId, lists] of listsByJob) {
		const imageIds = mergeImageIds(lists);
		let result;
		try {
			result = await client.getImageTags({ annotationId, imageIds }, { onError: 'collect', ...(signal ? { signal } : {}) });
		} catch (error) {
			// Input and settings are checked before the client is called, and failed requests come
			// back in result.failed: this is the last line of defence.
			const itemIndex = itemsByKey.get(keyOf(annotationId, imageIds[0]!))![0];
			throw new NodeOperationError(ctx.getNode(), scrub(String((error as Error)?.message ?? error)), { itemIndex });
		}
		for (const outcome of result.outcomes) {
			const key = keyOf(annotationId, outcome.imageId);
			byKey.set(key, {
				annotationId,
				imageId: outcome.imageId,
				itemIndexes: itemsByKey.get(key)!,
				jobType: result.jobType,
				...(outcome.status === 'found' ? { image: outcome.image } : outcome.status === 'failed' ? { error: outcome.error } : {}),
			});
		}
	}
	const images = [...itemsByKey.keys()].map((key) => byKey.get(key)!);
	return { images, lookup, scrub };
}

/** `{ item }` for one input item, a list when several items asked for the same image. */
export const pairedItemOf = (itemIndexes: readonly number[]) =>
	itemIndexes.length === 1 ? { item: itemIndexes[0]! } : itemIndexes.map((item) => ({ item }));

/** Details of a failed ID for an error item or a NodeApiError; built only from non-secret fields. */
export function failureDetails(outcome: ImageOutcome, scrub: (text: string) => string): IDataObject {
	const error = outcome.error!;
	const details: IDataObject = {
		annotation_id: outcome.annotationId,
		image_id: outcome.imageId,
		error: scrub(error.message),
		error_type: error.name,
	};
	if (error.status !== undefined) details.http_status = error.status;
	if (error.errorCode) details.error_code = error.errorCode;
	if (error.errorMsg) details.error_msg = scrub(error.errorMsg);
	if (error.requestId) details.request_id = error.requestId;
	if (error.attempts !== undefined) details.attempts = error.attempts;
	return details;
}

/**
 * Without Continue On Fail, the first failed image stops the run with a
 * NodeApiError that names the HTTP status, the ModelArts error code, the
 * request ID and the input item it came from.
 */
export function throwFirstFailure(ctx: IExecuteFunctions, outcome: FetchOutcome): void {
	const failed = outcome.images.filter((image) => image.error);
	if (failed.length === 0) return;
	const first = failed.reduce((best, image) => (image.itemIndexes[0]! < best.itemIndexes[0]! ? image : best));
	const error = first.error!;
	const itemIndex = first.itemIndexes[0]!;
	const details = failureDetails(first, outcome.scrub);
	const facts = [
		error.status !== undefined ? `HTTP status: ${error.status}` : undefined,
		error.errorCode ? `ModelArts error code: ${error.errorCode}` : undefined,
		error.requestId ? `Request ID: ${error.requestId}` : undefined,
		error.attempts !== undefined ? `Attempts: ${error.attempts}` : undefined,
	].filter(Boolean);
	const others = failed.length - 1;
	const description =
		`Image ID "${first.imageId}" of annotation job ${first.annotationId}, requested by item ${itemIndex}` +
		(first.itemIndexes.length > 1 ? ` (and items ${first.itemIndexes.slice(1).join(', ')})` : '') +
		(others > 0 ? `; ${others} more image ID${others === 1 ? '' : 's'} failed as well` : '') +
		`. ${facts.join('. ')}${facts.length > 0 ? '.' : ''} Turn on Continue On Fail to keep the images that were fetched and get an error item per failed image.`;
	throw new NodeApiError(ctx.getNode(), { ...details, message: details.error } as JsonObject, {
		message: `ModelArts request failed for item ${itemIndex}: ${String(details.error)}`,
		description: outcome.scrub(description),
		httpCode: error.status !== undefined ? String(error.status) : undefined,
		itemIndex,
	});
}
