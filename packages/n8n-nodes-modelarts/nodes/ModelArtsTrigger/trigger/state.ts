import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate/browser';
import type { IDataObject } from 'n8n-workflow';

/** The job's counts as the statistics give them. */
export interface Counts {
	tagged: number;
	untagged: number;
	/** Images per tag name. */
	tags: Record<string, number>;
}

/** What the trigger remembers between polls. */
export interface TriggerState {
	/** Which job and event the state was made for: another job or event starts a new baseline. */
	key: string;
	counts: Counts;
	/** Per image: '' (untagged), a digest ('#…') or the canonical tags; undefined for the progress event. */
	images?: Map<string, string>;
	/** Polls since the last full listing (for "Full Check Every"). */
	pollsSinceFull: number;
}

const FORMAT = 1;

/**
 * The state as stored in the workflow's static data: the counts as JSON, and the images as one
 * DEFLATE-compressed, base64 text of "id<TAB>value" lines (image IDs are hex, so they compress
 * well; see the README for sizes). Only plain JSON values, as n8n persists static data as JSON.
 */
export function encodeState(state: TriggerState): IDataObject {
	const encoded: IDataObject = {
		format: FORMAT,
		key: state.key,
		counts: state.counts as unknown as IDataObject,
		pollsSinceFull: state.pollsSinceFull,
	};
	if (state.images) {
		const lines: string[] = [];
		for (const [id, value] of state.images) lines.push(`${id}\t${value}`);
		encoded.imageCount = state.images.size;
		encoded.images = Buffer.from(deflateSync(strToU8(lines.join('\n')), { level: 6 })).toString('base64');
	}
	return encoded;
}

/** The state read back; undefined when there is none (first poll) or it is of another format. */
export function decodeState(stored: IDataObject | undefined): TriggerState | undefined {
	if (!stored || stored.format !== FORMAT || typeof stored.key !== 'string') return undefined;
	const state: TriggerState = {
		key: stored.key,
		counts: stored.counts as unknown as Counts,
		pollsSinceFull: typeof stored.pollsSinceFull === 'number' ? stored.pollsSinceFull : 0,
	};
	if (typeof stored.images === 'string') {
		const text = strFromU8(inflateSync(Buffer.from(stored.images, 'base64')));
		const images = new Map<string, string>();
		if (text !== '') {
			for (const line of text.split('\n')) {
				const tab = line.indexOf('\t');
				images.set(line.slice(0, tab), line.slice(tab + 1));
			}
		}
		state.images = images;
	}
	return state;
}

const STATE_FIELD = 'modelArtsTrigger';

/** The state in the node's static data object (as n8n hands it to the poll). */
export const readState = (staticData: IDataObject): TriggerState | undefined =>
	decodeState(staticData[STATE_FIELD] as IDataObject | undefined);

/**
 * Replaces the stored state in one assignment, made only after the whole poll succeeded: a poll
 * that fails half way leaves the previous state, so the next poll reports its changes again.
 */
export function commitState(staticData: IDataObject, state: TriggerState, imagesUnchanged = false): void {
	const kept = staticData[STATE_FIELD] as IDataObject | undefined;
	if (imagesUnchanged && kept && typeof kept.images === 'string') {
		// An idle poll: the images are the stored ones, so their (large) text is kept, not encoded again.
		staticData[STATE_FIELD] = { ...encodeState({ ...state, images: undefined }), images: kept.images, imageCount: kept.imageCount };
		return;
	}
	staticData[STATE_FIELD] = encodeState(state);
}

/** Whether two counts are the same (tag order ignored). */
export function sameCounts(a: Counts, b: Counts): boolean {
	if (a.tagged !== b.tagged || a.untagged !== b.untagged) return false;
	const names = Object.keys(a.tags);
	return names.length === Object.keys(b.tags).length && names.every((name) => a.tags[name] === b.tags[name]);
}
