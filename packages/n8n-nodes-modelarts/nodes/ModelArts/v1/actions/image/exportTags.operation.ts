import { EXPORT_FORMATS, exportLabels, isExportFormat, type ExportFormat, type ExportReport } from '@modelarts-kit/formats';
import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { exportToFile, type ExportedFile } from '../../helpers/export-file';
import { namesOf } from '../../helpers/file-names';
import { jobDataOption, jobTagList, lazyClient, useJobTagListOption } from '../../helpers/job-summaries';
import { fetchPerJob, jobFailure, pairedItemsOfJob, unusableImages, type JobResult } from '../../helpers/job-results';
import { parseTagList } from '../../helpers/label-inputs';
import { annotationJobFields, fetchOptions } from '../common.descriptions';
import { IMAGE_IDS, imageIdsProperties } from '../image-ids.descriptions';

const FORMAT_NAMES: Record<ExportFormat, { name: string; description: string }> = {
	coco: { name: 'COCO (JSON)', description: 'Object detection: one JSON file with images, annotations (bbox in pixels) and categories' },
	voc: { name: 'Pascal VOC (ZIP of XML)', description: 'Object detection: one XML file per image, in a ZIP' },
	yolo: { name: 'YOLO (ZIP of TXT)', description: 'Object detection: one text file per image, classes.txt and data.yaml, in a ZIP' },
	manifest: {
		name: 'ModelArts Manifest',
		description: 'JSON Lines, one line per image; for object detection in a ZIP with the Pascal VOC files it points at',
	},
	csv: { name: 'CSV', description: 'A table with a header row, one row per image or per box' },
	jsonl: { name: 'JSON Lines', description: 'One JSON object per line, per image or per box' },
};

const TOOL_REFUSAL = 'Export Tags makes a file, which a model cannot read';
const TOOL_ADVICE =
	'Use Get Tags or Check Labels as a tool, and Export Tags as a node in a workflow (e.g. before Write Files to Disk, S3 or Google Drive).';

const properties: INodeProperties[] = [
	{
		// A tool's answer goes to a model as text: a binary file would reach it as nothing at all.
		displayName: `${TOOL_REFUSAL}. ${TOOL_ADVICE}`,
		name: 'toolNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { '@tool': [true] } },
	},
	...annotationJobFields,
	...imageIdsProperties,
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		noDataExpression: true,
		options: EXPORT_FORMATS.map((value) => ({ value, ...FORMAT_NAMES[value] })),
		default: 'coco',
		description: 'The training format to write. Formats of several files come as one ZIP file.',
	},
	{
		displayName: 'Rows',
		name: 'rows',
		type: 'options',
		options: [
			{ name: 'One Row per Image', value: 'image' },
			{ name: 'One Row per Box (Detection)', value: 'box' },
		],
		default: 'image',
		displayOptions: { show: { format: ['csv', 'jsonl'] } },
	},
	{
		displayName: 'File Names From',
		name: 'fileNamesFrom',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Image ID', value: 'imageId', description: 'Name each image by its ID' },
			{
				name: 'Mapping Text',
				value: 'mapping',
				description: 'A CSV text of image_id,file_name rows (file names or OBS URIs)',
			},
			{
				name: 'Input Field',
				value: 'field',
				description: 'A field of each input item holds the file name (or OBS URI) of its image, e.g. the URL of an image list',
			},
		],
		default: 'imageId',
		description: 'Where the file names of the images come from (COCO file_name, the VOC and YOLO file names, the manifest source)',
	},
	{
		displayName: 'File Name Mapping',
		name: 'fileNameMapping',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'image_id,file_name\n4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a99,cat-001.jpg',
		description: 'CSV rows image_id,file_name; a header row with those names is optional',
		displayOptions: { show: { fileNamesFrom: ['mapping'] } },
	},
	{
		displayName: 'File Name Field',
		name: 'fileNameField',
		type: 'string',
		required: true,
		default: 'url',
		placeholder: 'e.g. url',
		description: "The field of each input item that holds its image's file name or OBS URI (a list of names for several IDs in one item)",
		hint: 'A field name, or a dot path such as data.url for a nested field',
		displayOptions: { show: { fileNamesFrom: ['field'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Annotation Location (Manifest)',
				name: 'annotationLocation',
				type: 'string',
				default: '',
				placeholder: 'e.g. obs://bucket/dataset/Annotations/',
				description:
					'Object detection manifests only: the folder the Pascal VOC files will be copied to, which each line\'s annotation-loc starts with. Default: "Annotations/", next to the manifest.',
			},
			{
				displayName: 'Class Order',
				name: 'classOrder',
				type: 'string',
				default: '',
				placeholder: 'e.g. cat, dog, person',
				description:
					"COCO and YOLO: the tag names in class order, one per line, separated by commas, or a list. Default: the job's tag list (Use the Job's Tag List), else the tags found, sorted. A tag not in it is added after it and reported.",
			},
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'e.g. dataset.zip',
				description:
					'Name of the output file. Default: modelarts-&lt;job&gt;-&lt;format&gt; with the extension of the file (.zip for several files).',
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'The name of the binary property of the output item that holds the file',
			},
			useJobTagListOption(
				"Whether to take the class order from the job's tag list when Class Order is empty (COCO and YOLO), so class numbers stay the same from one export to the next",
			),
			...fetchOptions,
		],
	},
];

const displayOptions = { show: { resource: ['image'], operation: ['exportTags'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** The output item's JSON: the file and the export's report, with what could not be exported. */
function reportJson(job: JobResult, file: ExportedFile, report: ExportReport, rows: string | undefined): IDataObject {
	return {
		annotation_id: job.annotationId,
		format: report.format,
		...(rows ? { rows } : {}),
		file_name: file.fileName,
		mime_type: file.mimeType,
		file_size: file.data.length,
		files: file.paths.length,
		images: report.images,
		boxes: report.boxes,
		...(report.classes ? { classes: report.classes } : {}),
		notes: report.notes.map(({ kind, message, count, imageIds }) => ({ kind, message, count, image_ids: imageIds })),
		...unusableImages(job),
	};
}

/**
 * One output item per annotation job: the export as a binary file (through n8n's binary data
 * helper, so it lands wherever the instance keeps binary data) and its report, linked to every
 * input item that named the job. The images are fetched as Get Tags fetches them.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	// n8n names the tool variant of a node after it, with "Tool" appended.
	if (this.getNode().type.endsWith('Tool')) {
		throw new NodeOperationError(this.getNode(), `${TOOL_REFUSAL}: it does not run as a tool`, { description: TOOL_ADVICE });
	}
	const format = this.getNodeParameter('format', 0) as string;
	if (!isExportFormat(format)) throw new NodeOperationError(this.getNode(), `Unknown export format "${format}"`);
	const rows = format === 'csv' || format === 'jsonl' ? (this.getNodeParameter('rows', 0, 'image') as 'image' | 'box') : undefined;
	const { requests, errorItems, jobs } = await fetchPerJob(this, items, IMAGE_IDS);
	const output = [...errorItems];
	const client = lazyClient(this);
	for (const job of jobs) {
		try {
			const options = this.getNodeParameter('options', job.itemIndexes[0]!, {}) as IDataObject;
			const createdAt = new Date();
			const exported = exportLabels(job.images, {
				format,
				rows,
				classes:
					parseTagList(options.classOrder, 'Class Order') ??
					(jobDataOption(this, options, 'useJobTagList') ? await jobTagList(this, client, job.annotationId) : undefined),
				names: namesOf(this, items, job, requests),
				annotationId: job.annotationId,
				createdAt,
				...(typeof options.annotationLocation === 'string' && options.annotationLocation.trim() !== ''
					? { annotationLocation: options.annotationLocation.trim() }
					: {}),
			});
			const fileName = typeof options.fileName === 'string' && options.fileName.trim() !== '' ? options.fileName.trim() : undefined;
			const file = await exportToFile(exported, `modelarts-${job.annotationId}-${format}`, fileName, createdAt);
			const property =
				typeof options.binaryPropertyName === 'string' && options.binaryPropertyName.trim() !== ''
					? options.binaryPropertyName.trim()
					: 'data';
			const binary = await this.helpers.prepareBinaryData(file.data, file.fileName, file.mimeType);
			output.push({
				json: reportJson(job, file, exported.report(), rows),
				binary: { [property]: binary },
				pairedItem: pairedItemsOfJob(job),
			});
		} catch (error) {
			output.push(jobFailure(this, job, error));
		}
	}
	return output;
}
