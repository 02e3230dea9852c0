import type { WireEntry } from '@modelarts-kit/emulator';

interface WireBox {
	tag: string;
	pos: number[];
}

/** What the node outputs (simplified) for an image, derived from the emulator's wire entry. */
export function expectedRecord(entry: WireEntry): Record<string, unknown> {
	if (!('size' in entry)) {
		return { image_id: entry.image_id, job_type: 'classification', tags: entry.tags };
	}
	const boxes = (typeof entry.tags === 'string' ? JSON.parse(entry.tags) : entry.tags) as WireBox[];
	const [width, height, depth] = entry.size;
	return {
		image_id: entry.image_id,
		job_type: 'detection',
		tags: [...new Set(boxes.map((box) => box.tag))],
		boxes: boxes.map(({ tag, pos }) => ({ tag, xmin: pos[0], ymin: pos[1], xmax: pos[2], ymax: pos[3] })),
		size: depth === undefined ? { width, height } : { width, height, depth },
	};
}

export function boxesOf(entry: WireEntry): WireBox[] {
	if (!('size' in entry)) return [];
	return (typeof entry.tags === 'string' ? JSON.parse(entry.tags) : entry.tags) as WireBox[];
}
