import type { ModelArtsCoreClient } from '@modelarts-kit/client/core';
import type { TagCount } from '@modelarts-kit/formats';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { callSignal, clientForRun } from './annotation-job';

/*
 * Export Tags and Check Labels can read the job's own tag list and statistics instead of being given
 * them. On by default from node version 1.1; a version 1 workflow, saved before these options
 * existed, keeps doing what it did (nothing is fetched unless the option is turned on).
 */

export const useJobTagListOption = (description: string): INodeProperties => ({
	displayName: "Use the Job's Tag List",
	name: 'useJobTagList',
	type: 'boolean',
	default: true,
	description,
});

export const compareWithJobStatisticsOption: INodeProperties = {
	displayName: 'Compare with Job Statistics',
	name: 'compareWithJobStatistics',
	type: 'boolean',
	default: true,
	description:
		"Whether to fetch the job's tag statistics when Tag Statistics is empty and report per-tag counts that differ. Only when every image of the job is checked: counts of a part of the job always differ.",
};

/** An option of these: its value when it was added, else on from version 1.1 and off before. */
export function jobDataOption(ctx: IExecuteFunctions, options: IDataObject, name: string): boolean {
	const value = options[name];
	return typeof value === 'boolean' ? value : ctx.getNode().typeVersion >= 1.1;
}

/** One client for the run, made at the first fetch (most runs with given lists make none). */
export function lazyClient(ctx: IExecuteFunctions): () => Promise<ModelArtsCoreClient> {
	let client: Promise<ModelArtsCoreClient> | undefined;
	return async () => {
		client ??= clientForRun(ctx).then((made) => made.client);
		return await client;
	};
}

/** The job's tag names, in the service's order. */
export async function jobTagList(ctx: IExecuteFunctions, client: () => Promise<ModelArtsCoreClient>, annotationId: string) {
	return await (await client()).getTagList(annotationId, callSignal(ctx));
}

/**
 * The job's images per tag, when the checked images are the whole job (tagged plus untagged, as the
 * statistics count them); otherwise undefined and the reason, which the summary reports.
 */
export async function jobStatistics(
	ctx: IExecuteFunctions,
	client: () => Promise<ModelArtsCoreClient>,
	annotationId: string,
	checked: number,
): Promise<{ statistics?: TagCount[]; skipped?: string }> {
	const statistics = await (await client()).getTagStatistics(annotationId, callSignal(ctx));
	const total = (statistics.tagged ?? 0) + (statistics.untagged ?? 0);
	if (statistics.tagged === undefined || checked < total) {
		return { skipped: `not compared with the job statistics: ${checked} of ${total} images of the job were checked` };
	}
	return { statistics: statistics.tags.map(({ tag, count }) => ({ tag, count })) };
}
