import { ConfigurationError, InputValidationError, ModelArtsError, type ModelArtsCoreClient } from '@modelarts-kit/client/core';
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';
import { createNodeClient, type NodeClient } from '../transport/client';
import { readSettings } from './fetch-tags';
import { InvalidParameterError, parseAnnotationId } from './image-ids';
import { parameterReader } from './parameters';

/**
 * Reads each item's annotation job ID: the text field of version 1 or the resource locator of
 * 1.1 (either mode), read once when it is a fixed value, per item when it is an expression.
 */
export function annotationIdReader(ctx: IExecuteFunctions): (itemIndex: number) => string {
	return parameterReader(ctx, ctx.getNode().parameters, 'annotationId', parseAnnotationId);
}

/** A client for the run, with the node's request options (timeout, retries); a bad credential is a NodeOperationError. */
export async function clientForRun(ctx: IExecuteFunctions): Promise<NodeClient> {
	try {
		return await createNodeClient(ctx, readSettings(ctx));
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, {
			description: 'Check the ModelArts credential and the node options.',
		});
	}
}

/** The execution's cancel signal, as the client's call option. */
export function callSignal(ctx: IExecuteFunctions): { signal?: AbortSignal } {
	const signal = ctx.getExecutionCancelSignal?.();
	return signal ? { signal } : {};
}

/**
 * An error of an item as n8n shows it: bad input (ours or the client's check) is a
 * NodeOperationError, a failed request a NodeApiError with the HTTP status, the ModelArts error
 * code and the request ID; both name the item. Text is scrubbed of credential values.
 */
export function itemError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	scrub: (text: string) => string = (text) => text,
): NodeOperationError | NodeApiError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	if (error instanceof InvalidParameterError) {
		return new NodeOperationError(ctx.getNode(), `${error.message} (item ${itemIndex})`, { itemIndex, description: error.description });
	}
	const message = scrub(error instanceof Error ? error.message : String(error));
	if (error instanceof InputValidationError || error instanceof ConfigurationError || !(error instanceof ModelArtsError)) {
		return new NodeOperationError(ctx.getNode(), message, { itemIndex });
	}
	const facts = [
		error.status !== undefined ? `HTTP status: ${error.status}` : undefined,
		error.errorCode ? `ModelArts error code: ${error.errorCode}` : undefined,
		error.requestId ? `Request ID: ${error.requestId}` : undefined,
	].filter(Boolean);
	return new NodeApiError(ctx.getNode(), { message, error_type: error.name } as JsonObject, {
		message: `ModelArts request failed for item ${itemIndex}: ${message}`,
		description: facts.length > 0 ? `${facts.join('. ')}.` : undefined,
		httpCode: error.status !== undefined ? String(error.status) : undefined,
		itemIndex,
	});
}

/**
 * With Continue On Fail: the item's error as an output item linked to it. The error rides along as
 * the item's `error`, which is how n8n routes it to the error output (On Error: Continue (using
 * error output)) even though the JSON holds more than the message.
 */
export function errorItem(error: NodeOperationError | NodeApiError, itemIndex: number, extra: IDataObject = {}): INodeExecutionData {
	const json: IDataObject = { ...extra, error: error.message };
	if (error.description) json.description = error.description;
	if (error instanceof NodeApiError && error.httpCode) json.http_status = Number(error.httpCode);
	return { json, error, pairedItem: { item: itemIndex } };
}

/**
 * The loop of the operations that make one call per input item (the job list, an image list, the
 * tag list, statistics, an OBS sync): each item's job, the call, its results as items linked to the
 * item; a failed item stops the run, or with Continue On Fail becomes an error item while the rest go on.
 */
export async function forEachItem(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	call: (client: ModelArtsCoreClient, itemIndex: number, annotationId: () => string) => Promise<IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const readJob = annotationIdReader(ctx);
	const { client, scrub } = await clientForRun(ctx);
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let annotationId: string | undefined;
		const job = (): string => (annotationId = readJob(itemIndex));
		try {
			for (const json of await call(client, itemIndex, job)) output.push({ json, pairedItem: { item: itemIndex } });
		} catch (caught) {
			const error = itemError(ctx, caught, itemIndex, scrub);
			if (!ctx.continueOnFail()) throw error;
			output.push(errorItem(error, itemIndex, annotationId ? { annotation_id: annotationId } : {}));
		}
	}
	return output;
}

/** Return All / Limit of the Get Many operations. */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) === true) return Number.POSITIVE_INFINITY;
	return ctx.getNodeParameter('limit', itemIndex, 50) as number;
}

/** The first `limit` values of a listing; the listing is closed there, so no page beyond is fetched. */
export async function take<T>(iterator: AsyncIterable<T>, limit: number): Promise<T[]> {
	const values: T[] = [];
	if (limit <= 0) return values;
	for await (const value of iterator) {
		values.push(value);
		if (values.length >= limit) break;
	}
	return values;
}
