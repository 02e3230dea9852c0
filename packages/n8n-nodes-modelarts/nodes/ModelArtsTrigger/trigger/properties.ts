import type { INodeProperties } from 'n8n-workflow';

/**
 * The trigger's parameters: the job, the event, and what each event needs. n8n's node panel lists
 * the options of a trigger's "Trigger On" parameter as the app's triggers, named by `action`.
 */
export function triggerProperties(annotationJob: INodeProperties): INodeProperties[] {
	return [
		{
			displayName: 'Trigger On',
			name: 'event',
			type: 'options',
			noDataExpression: true,
			required: true,
			default: 'imagesLabelled',
			options: [
				{
					name: 'Images Labelled',
					action: 'On images labelled',
					value: 'imagesLabelled',
					description: 'Images that got tags since the last poll, with their tags (and boxes)',
				},
				{
					name: 'Labelling Progress',
					action: 'On labelling progress',
					value: 'labellingProgress',
					description: "The job's tagged and untagged counts and per-tag counts, when they change",
				},
				{
					name: 'New Untagged Images',
					action: 'On new untagged images',
					value: 'newUntaggedImages',
					description: 'Images added to the job (e.g. by an OBS sync) that have no tags yet',
				},
				{
					name: 'Tags Changed',
					action: 'On tags changed',
					value: 'tagsChanged',
					description: 'Images whose tags differ from the last poll (added, removed, moved boxes), with before and after',
				},
			],
		},
		annotationJob,
		{
			displayName: 'Emit On',
			name: 'emitOn',
			type: 'options',
			default: 'change',
			options: [
				{ name: 'Every Change', value: 'change', description: 'Whenever a count changes' },
				{ name: 'Threshold Reached', value: 'threshold', description: 'Once, when the labelled share reaches the threshold' },
			],
			displayOptions: { show: { event: ['labellingProgress'] } },
		},
		{
			displayName: 'Threshold (%)',
			name: 'threshold',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100 },
			default: 100,
			description: 'Share of labelled images, in percent. Every Change events say in threshold_crossed whether this poll crossed it.',
			displayOptions: { show: { event: ['labellingProgress'] } },
		},
		{
			displayName:
				'Polls read the job statistics first and list images only when the counts changed. A change that keeps every count (a moved box) is found by the full check.',
			name: 'tagsChangedNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { event: ['tagsChanged'] } },
		},
	];
}

/** Options of Tags Changed, added to the request options. */
export const tagsChangedOptions: INodeProperties[] = [
	{
		displayName: 'Full Check Every (Polls)',
		name: 'fullCheckEvery',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 10,
		description:
			'Tags Changed: read every image even when the counts stayed the same, every this many polls (catches moved boxes and swapped tags). 0: only when the counts change.',
	},
	{
		displayName: 'Include Previous Tags',
		name: 'includePreviousTags',
		type: 'boolean',
		default: true,
		description:
			"Whether to remember each image's tags (Tags Changed), so that changes carry them as before; off: a smaller state (a digest per image) and before is null",
	},
];
