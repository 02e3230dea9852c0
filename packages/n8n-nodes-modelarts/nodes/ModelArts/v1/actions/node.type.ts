import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	image: 'getTags' | 'getTag' | 'exportTags' | 'checkLabels';
};

export type ModelArtsType = AllEntities<NodeMap>;
