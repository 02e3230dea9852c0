import type { INodeProperties } from 'n8n-workflow';
import * as getAll from './getAll.operation';
import * as syncFromObs from './syncFromObs.operation';

export { getAll, syncFromObs };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['annotationJob'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the annotation jobs of the project, with their type and progress',
				action: 'Get many annotation jobs',
			},
			{
				name: 'Sync From OBS',
				value: 'syncFromObs',
				description: 'Add the new images of the OBS folder of the job to it, and wait until that is done',
				action: 'Sync an annotation job from OBS',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...syncFromObs.description,
];
