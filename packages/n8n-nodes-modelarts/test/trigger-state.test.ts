import type { ImageTags } from '@modelarts-kit/client/core';
import type { IDataObject } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { canonicalTags, digestOf, storedDigest, tagsFromCanonical } from '../nodes/ModelArtsTrigger/trigger/canonical';
import { labelledIds, newUntaggedIds, progressEvent, tagChanges } from '../nodes/ModelArtsTrigger/trigger/events';
import { commitState, decodeState, encodeState, readState, sameCounts, type TriggerState } from '../nodes/ModelArtsTrigger/trigger/state';

const classification = (tags: string[]): ImageTags => ({ type: 'classification', imageId: 'a', tags, extra: {} });
const detection = (boxes: [string, number, number, number, number][]): ImageTags => ({
	type: 'detection',
	imageId: 'b',
	tags: boxes.map(([tag, xmin, ymin, xmax, ymax]) => ({ tag, box: { xmin, ymin, xmax, ymax }, extra: { score: 1 } })),
	extra: {},
});

describe('canonical tags and digests', () => {
	it('are the same whatever order tags and boxes come in, and ignore repeated names and unmodelled fields', () => {
		expect(canonicalTags(classification(['b', 'a', 'b']))).toBe(canonicalTags(classification(['a', 'b'])));
		const boxes: [string, number, number, number, number][] = [
			['car', 10, 10, 20, 20],
			['bus', 1, 2, 3, 4],
			['car', 5, 5, 8, 8],
		];
		expect(canonicalTags(detection(boxes))).toBe(canonicalTags(detection([...boxes].reverse())));
		expect(canonicalTags(classification([]))).toBe('');
		expect(canonicalTags(undefined)).toBe('');
	});

	it('tell a moved box, a renamed tag and a removed box apart', () => {
		const base = digestOf(canonicalTags(detection([['car', 10, 10, 20, 20]])));
		expect(digestOf(canonicalTags(detection([['car', 11, 10, 21, 20]])))).not.toBe(base);
		expect(digestOf(canonicalTags(detection([['bus', 10, 10, 20, 20]])))).not.toBe(base);
		expect(
			digestOf(
				canonicalTags(
					detection([
						['car', 10, 10, 20, 20],
						['car', 1, 1, 2, 2],
					]),
				),
			),
		).not.toBe(base);
	});

	it('are stable across releases (a changed digest would report every image of every job once)', () => {
		// FNV-1a 32 of the canonical text, base 36. "a" is the published test vector 0xe40c292c.
		expect(digestOf('a')).toBe(`#${(0xe40c292c).toString(36)}`);
		expect(digestOf('["a","b"]')).toBe('#1q9hvig');
		expect(digestOf(canonicalTags(detection([['car', 1, 2, 3, 4]])))).toBe('#yaf6tl');
		expect(digestOf('')).toBe('');
		expect(digestOf('["a","b"]')).toMatch(/^#[0-9a-z]{1,7}$/);
		expect(digestOf('["a","b"]')).toBe(digestOf(canonicalTags(classification(['b', 'a']))));
		expect(storedDigest('["a","b"]')).toBe(digestOf('["a","b"]'));
		expect(tagsFromCanonical(canonicalTags(detection([['car', 1, 2, 3, 4]])))).toEqual({
			tags: ['car'],
			boxes: [{ tag: 'car', xmin: 1, ymin: 2, xmax: 3, ymax: 4 }],
		});
		expect(tagsFromCanonical('#abc')).toBeUndefined();
	});
});

describe('diffing two polls', () => {
	const before = new Map([
		['untagged', ''],
		['tagged', '["a"]'],
		['cleared', '["b"]'],
		['gone', '["c"]'],
	]);
	const after = new Map([
		['untagged', '["a"]'],
		['tagged', '["a"]'],
		['cleared', ''],
		['new-untagged', ''],
		['new-tagged', '["d"]'],
	]);

	it('finds labelled, changed, cleared and added images, and new untagged ones', () => {
		expect(labelledIds(before, after)).toEqual(['untagged', 'new-tagged']);
		expect(newUntaggedIds(before, after)).toEqual(['new-untagged']);
		expect(tagChanges(before, after)).toEqual([
			{ id: 'untagged', kind: 'labelled' },
			{ id: 'cleared', kind: 'cleared' },
			{ id: 'new-tagged', kind: 'added' },
		]);
	});

	it('compares a kept canonical text with a digest by digest', () => {
		expect(tagChanges(new Map([['x', '["a"]']]), new Map([['x', digestOf('["a"]')]]))).toEqual([]);
	});

	it('emits progress on a change, and a threshold only once when it is crossed', () => {
		const counts = (tagged: number, untagged: number) => ({ tagged, untagged, tags: { a: tagged } });
		expect(progressEvent('1', counts(5, 5), counts(5, 5), { emitOn: 'change', threshold: 100 })).toBeUndefined();
		expect(progressEvent('1', counts(5, 5), counts(6, 4), { emitOn: 'change', threshold: 100 })).toMatchObject({
			percent_labelled: 60,
			tag_count_changes: { a: 1 },
		});
		expect(progressEvent('1', counts(9, 1), counts(10, 0), { emitOn: 'threshold', threshold: 100 })).toMatchObject({
			threshold_crossed: true,
		});
		expect(progressEvent('1', counts(10, 0), counts(11, 0), { emitOn: 'threshold', threshold: 100 })).toBeUndefined();
		expect(sameCounts(counts(1, 2), { tagged: 1, untagged: 2, tags: { a: 1 } })).toBe(true);
	});
});

/** A job of `count` images with 32-hex IDs, half of them tagged with a digest. */
function bigState(count: number, value: (index: number) => string): TriggerState {
	const images = new Map<string, string>();
	for (let index = 0; index < count; index++) {
		const id = digestOf(`id${index}`).slice(1).padStart(8, '0').repeat(4).slice(0, 32);
		images.set(`${id.slice(0, 24)}${index.toString(16).padStart(8, '0')}`, value(index));
	}
	return { key: '282', counts: { tagged: count / 2, untagged: count / 2, tags: {} }, images, pollsSinceFull: 0 };
}

describe('the stored state', () => {
	it('reads back what was written, through JSON as n8n persists it', () => {
		const state = bigState(1000, (index) => (index % 2 ? digestOf(`tags${index}`) : ''));
		const decoded = decodeState(JSON.parse(JSON.stringify(encodeState(state))) as IDataObject)!;
		expect([...decoded.images!]).toEqual([...state.images!]);
		expect(decoded.counts).toEqual(state.counts);
		expect(decodeState(undefined)).toBeUndefined();
		expect(decodeState({ format: 99 })).toBeUndefined();
	});

	it('keeps the image text of an idle poll as it was, and replaces the whole state in one assignment', () => {
		const staticData: IDataObject = {};
		const state = bigState(10, () => '');
		commitState(staticData, state);
		const images = (staticData.modelArtsTrigger as IDataObject).images;
		commitState(staticData, { ...state, images: new Map(), pollsSinceFull: 3 }, true);
		expect((staticData.modelArtsTrigger as IDataObject).images).toBe(images);
		expect(readState(staticData)!.pollsSinceFull).toBe(3);
		expect(readState(staticData)!.images!.size).toBe(10);
	});

	it('stays compact for a 100,000-image job with a digest per image', () => {
		const state = bigState(100_000, (index) => (index % 2 ? digestOf(`tags${index}`) : ''));
		const size = JSON.stringify(encodeState(state)).length;
		// 32 hex characters of ID and up to 8 of digest per image, compressed: under 30 bytes an image.
		expect(size).toBeLessThan(3_000_000);
	});
});
