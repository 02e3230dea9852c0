import { NodeOperationError, type ILoadOptionsFunctions, type INodeListSearchResult } from 'n8n-workflow';
import { createNodeClient } from '../transport/client';

/** Jobs the editor lists at once; a search narrows them down on the service's side. */
const LISTED = 100;

/**
 * The "From List" mode of the Annotation Job parameter: the project's jobs, newest first, filtered
 * by the text typed into the list's search (ModelArts matches it in job names). Each entry shows
 * the name and the ID the operations take.
 */
export async function searchAnnotationJobs(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	let client;
	try {
		({ client } = await createNodeClient(this, { batchSize: 100, concurrency: 1, maxRetries: 1, timeoutMs: 15_000 }));
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, { description: 'Check the ModelArts credential.' });
	}
	const search = filter?.trim();
	const results = [];
	for await (const job of client.listJobs({ ...(search ? { search } : {}), perPage: LISTED })) {
		results.push({ name: `${job.name} (${job.annotationId})`, value: job.annotationId });
		if (results.length >= LISTED) break;
	}
	return { results };
}
