import type { IExecuteFunctions } from 'n8n-workflow';
import type { FetchOutcome } from './fetch-tags';

/** How many IDs a hint names before it only counts the rest. */
const LISTED = 10;

/**
 * Without Include Missing Images, IDs a job does not contain are left out of the output. So that is
 * never silent, the run gets an execution hint (shown above the output in the editor) naming them
 * per job and saying how to see them.
 */
export function hintMissingImages(ctx: IExecuteFunctions, fetched: FetchOutcome): void {
	const missingByJob = new Map<string, string[]>();
	for (const outcome of fetched.images) {
		if (outcome.image || outcome.error) continue;
		const ids = missingByJob.get(outcome.annotationId) ?? [];
		ids.push(outcome.imageId);
		missingByJob.set(outcome.annotationId, ids);
	}
	if (missingByJob.size === 0) return;
	const parts = [...missingByJob].map(([annotationId, ids]) => {
		const named = ids.slice(0, LISTED).join(', ');
		const more = ids.length > LISTED ? ` and ${ids.length - LISTED} more` : '';
		return `${ids.length} image ID${ids.length === 1 ? ' is' : 's are'} not in annotation job ${annotationId}: ${named}${more}`;
	});
	const one = [...missingByJob.values()].flat().length === 1;
	ctx.addExecutionHints({
		type: 'warning',
		location: 'outputPane',
		message:
			`${parts.join('; ')}. ${one ? 'It is' : 'They are'} left out of the output: turn on Options > Include Missing Images ` +
			`to get an item with found: false for ${one ? 'it' : 'each'}.`,
	});
}
