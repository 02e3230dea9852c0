import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	annotationJob: 'getAll' | 'syncFromObs';
	image: 'getAll' | 'getTags' | 'getTag' | 'updateTags' | 'delete' | 'exportTags' | 'checkLabels';
	tag: 'getAll' | 'getStatistics';
};

export type ModelArtsType = AllEntities<NodeMap>;
