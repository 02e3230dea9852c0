import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	image: 'getTags' | 'getTag';
};

export type ModelArtsType = AllEntities<NodeMap>;
