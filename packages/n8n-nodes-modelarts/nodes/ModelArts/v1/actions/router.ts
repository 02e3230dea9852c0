import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import * as annotationJob from './annotationJob/AnnotationJob.resource';
import * as image from './image/Image.resource';
import type { ModelArtsType } from './node.type';
import * as tag from './tag/Tag.resource';

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
		case 'annotationJob':
			return [await annotationJob[modelArts.operation].execute.call(this, items)];
		case 'image':
			return [await image[modelArts.operation].execute.call(this, items)];
		case 'tag':
			return [await tag[modelArts.operation].execute.call(this, items)];
		default:
			throw new NodeOperationError(this.getNode(), `The resource "${String(resource)}" is not known`);
	}
}
