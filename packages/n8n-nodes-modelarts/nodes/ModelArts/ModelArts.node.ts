import { VersionedNodeType, type INodeTypeBaseDescription, type IVersionedNodeType } from 'n8n-workflow';
import { ModelArtsV1 } from './v1/ModelArtsV1.node';

export class ModelArts extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'ModelArts',
			name: 'modelArts',
			icon: { light: 'file:modelarts.svg', dark: 'file:modelarts.dark.svg' },
			group: ['transform'],
			subtitle:
				'={{ $parameter["operation"] === "exportTags" ? "Export Tags to a File" : $parameter["operation"] === "checkLabels" ? "Check Labels of Images" : $parameter["operation"] === "getTag" ? "Get Tag of an Image" : "Get Tags of Images" }}',
			description: 'Get the tags of images in a Huawei Cloud ModelArts annotation job',
			usableAsTool: true,
			defaultVersion: 1,
		};

		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new ModelArtsV1(baseDescription),
		};

		super(nodeVersions, baseDescription);
	}
}
