import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { callSignal, forEachItem, readLimit } from '../../helpers/annotation-job';
import { annotationJobFields, callOptions, returnAllFields, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [...annotationJobFields, ...returnAllFields, optionsCollection(callOptions)];

const displayOptions = { show: { resource: ['tag'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** The job's tag list: one item per tag name, in the service's order. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (client, itemIndex, job) => {
		const annotationId = job();
		const tags = await client.getTagList(annotationId, callSignal(this));
		return tags.slice(0, readLimit(this, itemIndex)).map((tag) => ({ annotation_id: annotationId, tag }));
	});
}
