import { VersionedNodeType, type INodeTypeBaseDescription, type IVersionedNodeType } from 'n8n-workflow';
import { ModelArtsV1, SUBTITLE } from './v1/ModelArtsV1.node';

export class ModelArts extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'ModelArts',
			name: 'modelArts',
			icon: { light: 'file:modelarts.svg', dark: 'file:modelarts.dark.svg' },
			group: ['transform'],
			subtitle: SUBTITLE,
			description: 'List, read and write the jobs, images and tags of Huawei Cloud ModelArts annotation jobs',
			usableAsTool: true,
			defaultVersion: 1.1,
		};

		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new ModelArtsV1(baseDescription),
			1.1: new ModelArtsV1(baseDescription),
		};

		super(nodeVersions, baseDescription);
	}
}
