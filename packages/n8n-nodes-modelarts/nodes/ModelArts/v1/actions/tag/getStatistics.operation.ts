import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { callSignal, forEachItem } from '../../helpers/annotation-job';
import { annotationJobFields, callOptions, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [...annotationJobFields, optionsCollection(callOptions)];

const displayOptions = { show: { resource: ['tag'], operation: ['getStatistics'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** One item per job: how many images carry each tag, and how many are tagged and untagged. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (client, _itemIndex, job) => {
		const annotationId = job();
		const statistics = await client.getTagStatistics(annotationId, callSignal(this));
		return [
			{
				annotation_id: annotationId,
				...(statistics.tagged !== undefined ? { tagged: statistics.tagged } : {}),
				...(statistics.untagged !== undefined ? { untagged: statistics.untagged } : {}),
				tags: statistics.tags.map(({ tag, count }) => ({ tag, count })),
			},
		];
	});
}
