import { ModelArtsError } from '@modelarts-kit/client/core';
import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';
import { annotationJobLocator, callOptions, optionsCollection } from '../ModelArts/v1/actions/common.descriptions';
import { parseAnnotationId } from '../ModelArts/v1/helpers/image-ids';
import { searchAnnotationJobs } from '../ModelArts/v1/methods/listSearch';
import { createNodeClient } from '../ModelArts/v1/transport/client';
import type { TriggerEvent } from './trigger/events';
import { type PollSettings, pollJob } from './trigger/poll';
import { sampleEvents } from './trigger/sample';
import { commitState, readState } from './trigger/state';
import { tagsChangedOptions, triggerProperties } from './trigger/properties';

// The job locator of the action node, without its "from version 1.1" condition (the trigger has one version).
const annotationJob = { ...annotationJobLocator, displayOptions: undefined };

export class ModelArtsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ModelArts Trigger',
		name: 'modelArtsTrigger',
		icon: { light: 'file:modelarts.svg', dark: 'file:modelarts.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["event"] }}',
		description: 'Starts the workflow when images of a ModelArts annotation job get labelled or their tags change',
		defaults: { name: 'ModelArts Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'modelArtsApi', required: true }],
		properties: [...triggerProperties(annotationJob), optionsCollection([...tagsChangedOptions, ...callOptions])],
	};

	methods = { listSearch: { searchAnnotationJobs } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = readPollSettings(this);
		const staticData = this.getWorkflowStaticData('node');
		const stored = readState(staticData);
		const options = this.getNodeParameter('options', {}) as IDataObject;
		let nodeClient;
		try {
			nodeClient = await createNodeClient(this, {
				batchSize: 100,
				concurrency: 4,
				maxRetries: typeof options.maxRetries === 'number' ? options.maxRetries : 3,
				timeoutMs: typeof options.timeout === 'number' ? options.timeout : 30_000,
			});
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message, { description: 'Check the ModelArts credential.' });
		}
		const { client, scrub } = nodeClient;
		try {
			if (this.getMode() === 'manual') {
				// Fetch Test Event: a sample from the job's current data; the saved state stays as it is.
				const sample = await sampleEvents(client, settings, stored);
				return sample.length > 0 ? [this.helpers.returnJsonArray(sample)] : null;
			}
			const outcome = await pollJob(client, settings, stored);
			// Committed only now: a poll that failed on the way left the previous state in place.
			commitState(staticData, outcome.state, outcome.imagesUnchanged);
			return outcome.events.length > 0 ? [this.helpers.returnJsonArray(outcome.events)] : null;
		} catch (error) {
			throw pollError(this, error, scrub);
		}
	}
}

function readPollSettings(ctx: IPollFunctions): PollSettings {
	let annotationId: string;
	try {
		annotationId = parseAnnotationId(ctx.getNodeParameter('annotationId', undefined, { extractValue: true }));
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, { description: (error as { description?: string }).description });
	}
	const event = ctx.getNodeParameter('event') as TriggerEvent;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return {
		annotationId,
		event,
		progress: {
			emitOn: event === 'labellingProgress' ? (ctx.getNodeParameter('emitOn', 'change') as 'change' | 'threshold') : 'change',
			threshold: event === 'labellingProgress' ? (ctx.getNodeParameter('threshold', 100) as number) : 100,
		},
		fullCheckEvery: typeof options.fullCheckEvery === 'number' ? options.fullCheckEvery : 10,
		keepPreviousTags: options.includePreviousTags !== false,
	};
}

function pollError(ctx: IPollFunctions, error: unknown, scrub: (text: string) => string): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const message = scrub(error instanceof Error ? error.message : String(error));
	if (!(error instanceof ModelArtsError) || error.status === undefined) return new NodeOperationError(ctx.getNode(), message);
	const facts = [
		`HTTP status: ${error.status}`,
		error.errorCode ? `ModelArts error code: ${error.errorCode}` : undefined,
		error.requestId ? `Request ID: ${error.requestId}` : undefined,
	];
	return new NodeApiError(ctx.getNode(), { message, error_type: error.name } as JsonObject, {
		message: `ModelArts request failed: ${message}`,
		description: `${facts.filter(Boolean).join('. ')}. The trigger's state is unchanged: the next poll reports these changes again.`,
		httpCode: String(error.status),
	});
}
