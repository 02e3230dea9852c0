import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
} from 'n8n-workflow';
import * as image from './actions/image/Image.resource';
import { router } from './actions/router';

export class ModelArtsV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ModelArts',
		name: 'modelArts',
		icon: { light: 'file:../modelarts.svg', dark: 'file:../modelarts.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "getTag" ? "Get Tag of an Image" : "Get Tags of Images" }}',
		description:
			'Get the labels that people assigned to images in a Huawei Cloud ModelArts manual annotation (labelling) job: tag names for image classification jobs, tagged bounding boxes and the image size for object detection jobs. Give the annotation job ID and one or more image IDs; many IDs are fetched in batches.',
		defaults: { name: 'ModelArts' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'modelArtsApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Image', value: 'image' }],
				default: 'image',
			},
			...image.description,
		],
	};

	constructor(baseDescription: INodeTypeBaseDescription) {
		// n8n resolves icon paths against the registered entry file (ModelArts.node.ts), not
		// against this one: keep the entry's icon, which names the same two SVG files.
		this.description = { ...baseDescription, ...this.description, icon: baseDescription.icon };
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
