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

/** What a model reads about the tool: what it returns and what to pass. */
const TOOL_DESCRIPTION =
	'Gets the labels that people assigned to images in a Huawei Cloud ModelArts manual annotation (labelling) job. ' +
	'Pass the IDs of the images: ModelArts image (sample) IDs, usually 32 hexadecimal characters, several separated by commas. ' +
	'Returns one result per image: image_id, job_type, and tags (the tag names); for object detection jobs also boxes ' +
	'(tag, xmin, ymin, xmax, ymax in pixels) and the image size. An image ID the job does not contain is left out, ' +
	'or returned with found: false and empty tags when the node outputs missing images.';

export class ModelArtsV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ModelArts',
		name: 'modelArts',
		icon: { light: 'file:../modelarts.svg', dark: 'file:../modelarts.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["operation"] === "exportTags" ? "Export Tags to a File" : $parameter["operation"] === "checkLabels" ? "Check Labels of Images" : $parameter["operation"] === "getTag" ? "Get Tag of an Image" : "Get Tags of Images" }}',
		// One short line for the node panel, like n8n's own app nodes; the tool variant gets TOOL_DESCRIPTION,
		// the text n8n gives the model (and the default of the tool's Description parameter).
		description: 'Get the tags of images in a Huawei Cloud ModelArts annotation job',
		defaults: { name: 'ModelArts' },
		usableAsTool: { replacements: { description: TOOL_DESCRIPTION } },
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
