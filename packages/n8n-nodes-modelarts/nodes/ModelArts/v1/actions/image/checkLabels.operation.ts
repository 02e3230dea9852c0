import { checkLabels, formatQaSummary, type Finding, type QaReport } from '@modelarts-kit/formats';
import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { pairedItemOf } from '../../helpers/fetch-tags';
import {
	compareWithJobStatisticsOption,
	jobDataOption,
	jobStatistics,
	jobTagList,
	lazyClient,
	useJobTagListOption,
} from '../../helpers/job-summaries';
import { fetchPerJob, jobFailure, pairedItemsOfJob, unusableImages, type JobResult } from '../../helpers/job-results';
import { parseTagList, parseTagStatistics } from '../../helpers/label-inputs';
import { annotationJobFields, fetchOptions } from '../common.descriptions';
import { IMAGE_IDS, imageIdsProperties } from '../image-ids.descriptions';

const properties: INodeProperties[] = [
	...annotationJobFields,
	...imageIdsProperties,
	{
		displayName: 'Output',
		name: 'qaOutput',
		type: 'options',
		options: [
			{
				name: 'Summary',
				value: 'summary',
				description: 'One item per job: counts per kind of finding, per-tag counts, and the report as text',
			},
			{
				name: 'Summary and One Item per Finding',
				value: 'findings',
				description: 'The summary item, then one item per finding (kind, image ID, box, message), linked to the items that named its image',
			},
		],
		default: 'summary',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Findings Listed per Kind',
				name: 'perKind',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 10,
				description: 'How many findings of each kind the text summary lists before it only counts the rest',
			},
			{
				displayName: 'Job Tag List',
				name: 'tagList',
				type: 'string',
				default: '',
				placeholder: 'e.g. cat, dog, person',
				description: "The job's tag names, one per line, separated by commas, or a list: tags outside it are reported",
			},
			{
				displayName: 'Tag Statistics',
				name: 'tagStatistics',
				type: 'json',
				default: '',
				description:
					'The images per tag the job counts (its tag statistics: [{ "tag": "cat", "count": 12 }] or { "cat": 12 }): per-tag counts of the checked images that differ are reported',
			},
			useJobTagListOption("Whether to fetch the job's tag list when Job Tag List is empty and report tags outside it"),
			compareWithJobStatisticsOption,
			...fetchOptions,
		],
	},
];

const displayOptions = { show: { resource: ['image'], operation: ['checkLabels'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** The findings in the words of the other outputs (snake_case, no undefined cell). */
function findingJson(job: JobResult, finding: Finding): IDataObject {
	const json: IDataObject = { annotation_id: job.annotationId, kind: finding.kind };
	if (finding.imageId !== undefined) json.image_id = finding.imageId;
	if (finding.tag !== undefined) json.tag = finding.tag;
	if (finding.boxIndex !== undefined) json.box_index = finding.boxIndex;
	if (finding.box) json.box = { ...finding.box };
	if (finding.size) json.size = { ...finding.size };
	if (finding.expected !== undefined) json.expected = finding.expected;
	if (finding.actual !== undefined) json.actual = finding.actual;
	json.message = finding.message;
	return json;
}

function summaryText(job: JobResult, report: QaReport, perKind: number): string {
	let text = formatQaSummary(report, { perKind });
	if (job.missing.length > 0) {
		// Listed like the findings of a kind: at most perKind of them, then how many more.
		const shown = job.missing.slice(0, perKind);
		const more = job.missing.length - shown.length;
		const lines = [...(shown.length > 0 ? [shown.join(', ')] : []), ...(more > 0 ? [`... and ${more} more`] : [])];
		text += `\nimage IDs not in annotation job ${job.annotationId} (not checked): ${job.missing.length}\n${lines.map((line) => `  ${line}\n`).join('')}`;
	}
	if (job.failed.length > 0) text += `\nimage IDs that could not be fetched (not checked): ${job.failed.length}\n`;
	return text;
}

function summaryJson(job: JobResult, report: QaReport, perKind: number): IDataObject {
	return {
		annotation_id: job.annotationId,
		images: report.images,
		boxes: report.boxes,
		findings: report.findings.length,
		counts: { ...report.counts },
		tags: report.tags.map(({ tag, images, boxes, expectedImages }) => ({
			tag,
			images,
			boxes,
			...(expectedImages !== undefined ? { expected_images: expectedImages } : {}),
		})),
		summary: summaryText(job, report, perKind),
		...unusableImages(job),
	};
}

/**
 * Label QA over the images of each job (boxes outside the image, zero-area and inverted boxes, boxes
 * without a size, images without tags, tags outside the job's tag list, per-tag counts against the
 * job's statistics): one summary item per job, and with "Summary and One Item per Finding" one item
 * per finding. Nothing is fixed, only reported.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const mode = this.getNodeParameter('qaOutput', 0, 'summary') as string;
	if (mode !== 'summary' && mode !== 'findings') throw new NodeOperationError(this.getNode(), `Unknown output "${mode}"`);
	const { errorItems, jobs } = await fetchPerJob(this, items, IMAGE_IDS);
	const output = [...errorItems];
	const client = lazyClient(this);
	for (const job of jobs) {
		let report: QaReport;
		let perKind: number;
		let skipped: string | undefined;
		try {
			const options = this.getNodeParameter('options', job.itemIndexes[0]!, {}) as IDataObject;
			perKind = typeof options.perKind === 'number' ? options.perKind : 10;
			const tagList =
				parseTagList(options.tagList, 'Job Tag List') ??
				(jobDataOption(this, options, 'useJobTagList') ? await jobTagList(this, client, job.annotationId) : undefined);
			let statistics = parseTagStatistics(options.tagStatistics);
			if (!statistics && jobDataOption(this, options, 'compareWithJobStatistics')) {
				({ statistics, skipped } = await jobStatistics(this, client, job.annotationId, job.images.length));
			}
			report = await checkLabels(job.images, { tagList, statistics });
		} catch (error) {
			output.push(jobFailure(this, job, error));
			continue;
		}
		const summary = summaryJson(job, report, perKind);
		if (skipped) summary.statistics = skipped;
		output.push({ json: summary, pairedItem: pairedItemsOfJob(job) });
		if (mode !== 'findings') continue;
		for (const finding of report.findings) {
			const asked = finding.imageId !== undefined ? job.itemsOfImage.get(finding.imageId) : undefined;
			output.push({ json: findingJson(job, finding), pairedItem: asked ? pairedItemOf(asked) : pairedItemsOfJob(job) });
		}
	}
	return output;
}
