import type { ImageTags } from '@modelarts-kit/client/core';
import type { IDataObject } from 'n8n-workflow';

/**
 * One text per tag state of an image, the same whatever order ModelArts lists tags or boxes in:
 * classification: the sorted, unique tag names; detection: the boxes as [tag, xmin, ymin, xmax, ymax],
 * sorted. An image without tags is '' (so "untagged" needs no special case anywhere).
 */
export function canonicalTags(image: ImageTags | undefined): string {
	if (!image || image.tags.length === 0) return '';
	if (image.type === 'classification') return JSON.stringify([...new Set(image.tags)].sort());
	const boxes = image.tags.map((tag) => [tag.tag, tag.box.xmin, tag.box.ymin, tag.box.xmax, tag.box.ymax] as const);
	boxes.sort((a, b) => {
		for (let index = 0; index < a.length; index++) {
			if (a[index] === b[index]) continue;
			return a[index]! < b[index]! ? -1 : 1;
		}
		return 0;
	});
	return JSON.stringify(boxes);
}

/**
 * The 32-bit FNV-1a hash of a canonical text, in base 36 (at most 7 characters); '' stays ''.
 * Per image, two different tag states share a digest with a chance of 1 in 4 billion: a change
 * missed that way is reported at the image's next change.
 */
export function digestOf(canonical: string): string {
	if (canonical === '') return '';
	let hash = 0x811c9dc5;
	for (let index = 0; index < canonical.length; index++) {
		hash ^= canonical.charCodeAt(index);
		hash = Math.imul(hash, 0x01000193);
	}
	// '#' marks a digest, so a stored value tells whether it is one or the canonical text itself.
	return `#${(hash >>> 0).toString(36)}`;
}

/** The digest of what the state holds for an image: its digest, or its canonical text. */
export const storedDigest = (stored: string): string => (stored.startsWith('#') || stored === '' ? stored : digestOf(stored));

/** The tags a canonical text describes, as the node outputs tags (names; boxes for detection); undefined for a digest. */
export function tagsFromCanonical(stored: string): IDataObject | undefined {
	if (stored === '') return { tags: [] };
	if (stored.startsWith('#')) return undefined;
	const parsed = JSON.parse(stored) as Array<string | [string, number, number, number, number]>;
	if (parsed.every((entry) => typeof entry === 'string')) return { tags: parsed as string[] };
	const boxes = (parsed as [string, number, number, number, number][]).map(([tag, xmin, ymin, xmax, ymax]) => ({
		tag,
		xmin,
		ymin,
		xmax,
		ymax,
	}));
	return { tags: [...new Set(boxes.map((box) => box.tag))], boxes };
}
