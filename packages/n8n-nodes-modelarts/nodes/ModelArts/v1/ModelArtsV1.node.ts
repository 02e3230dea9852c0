import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
} from 'n8n-workflow';
import * as annotationJob from './actions/annotationJob/AnnotationJob.resource';
import * as image from './actions/image/Image.resource';
import { router } from './actions/router';
import * as tag from './actions/tag/Tag.resource';
import { searchAnnotationJobs } from './methods/listSearch';

/** What a model reads about the tool: what it returns and what to pass. */
const TOOL_DESCRIPTION =
	'Reads Huawei Cloud ModelArts manual annotation (labelling) jobs. Annotation Job: Get Many lists the jobs of the ' +
	'project with their annotation_id, name, type and progress; the other operations take that annotation_id. ' +
	'Image: Get Many lists the images of a job (all, tagged, untagged, or with one tag); Tag: Get Many and Get Statistics ' +
	'give the tag names of a job and how many images carry each. For the labels of images, pass the IDs of the images: ' +
	'ModelArts image (sample) IDs, usually 32 hexadecimal characters, several separated by commas. ' +
	'Returns one result per image: image_id, job_type, and tags (the tag names); for object detection jobs also boxes ' +
	'(tag, xmin, ymin, xmax, ymax in pixels) and the image size. An image ID the job does not contain is left out, ' +
	'or returned with found: false and empty tags when the node outputs missing images.';

/** The operation and resource, as n8n's own app nodes show them under the node's name. */
export const SUBTITLE = '={{ $parameter["operation"] + ": " + $parameter["resource"] }}';

export class ModelArtsV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ModelArts',
		name: 'modelArts',
		icon: { light: 'file:../modelarts.svg', dark: 'file:../modelarts.dark.svg' },
		group: ['transform'],
		// 1.1: the annotation job is a resource locator (From List, By ID); 1 keeps its text field.
		version: [1, 1.1],
		subtitle: SUBTITLE,
		// One short line for the node panel, like n8n's own app nodes; the tool variant gets TOOL_DESCRIPTION,
		// the text n8n gives the model (and the default of the tool's Description parameter).
		description: 'List, read and write the jobs, images and tags of Huawei Cloud ModelArts annotation jobs',
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
				options: [
					{ name: 'Annotation Job', value: 'annotationJob' },
					{ name: 'Image', value: 'image' },
					{ name: 'Tag', value: 'tag' },
				],
				default: 'image',
			},
			...annotationJob.description,
			...image.description,
			...tag.description,
		],
	};

	methods = { listSearch: { searchAnnotationJobs } };

	constructor(baseDescription: INodeTypeBaseDescription) {
		// n8n resolves icon paths against the registered entry file (ModelArts.node.ts), not
		// against this one: keep the entry's icon, which names the same two SVG files.
		this.description = { ...baseDescription, ...this.description, icon: baseDescription.icon };
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
