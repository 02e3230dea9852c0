import type { RunningEmulator } from '@modelarts-kit/emulator';
import type { ImageTags } from '../../src/index.js';

/** What the client should make of the emulator's wire entry for an image. */
export function expectedTags(emulator: RunningEmulator, jobId: string, imageId: string): ImageTags {
  const wire = emulator.groundTruth(jobId, imageId) as { image_id: string; tags: unknown; size?: number[] };
  const tags = typeof wire.tags === 'string' ? (JSON.parse(wire.tags) as unknown[]) : (wire.tags as unknown[]);
  if (wire.size === undefined) return { type: 'classification', imageId, tags: tags as string[], extra: {} };
  return {
    type: 'detection',
    imageId,
    tags: (tags as { tag: string; pos: number[] }[]).map(({ tag, pos }) => ({
      tag,
      box: { xmin: pos[0]!, ymin: pos[1]!, xmax: pos[2]!, ymax: pos[3]! },
      extra: {},
    })),
    size: { width: wire.size[0]!, height: wire.size[1]!, ...(wire.size.length > 2 ? { depth: wire.size[2]! } : {}) },
    extra: {},
  };
}
