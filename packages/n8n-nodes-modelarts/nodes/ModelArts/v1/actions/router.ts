import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import * as image from './image/Image.resource';
import type { ModelArtsType } from './node.type';

/**
 * Dispatches to the operation. Operations get all input items at once:
 * they pool the image IDs of every item into batched requests instead of
 * sending one request per item.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter<ModelArtsType>('resource', 0);
	const operation = this.getNodeParameter('operation', 0);
	const modelArts = { resource, operation } as ModelArtsType;

	switch (modelArts.resource) {
		case 'image':
			return [await image[modelArts.operation].execute.call(this, items)];
		default:
			throw new NodeOperationError(this.getNode(), `The resource "${String(resource)}" is not known`);
	}
}
