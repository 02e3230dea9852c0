import type { ImageTagsInput } from '@modelarts-kit/client';
import { previewValue } from '@modelarts-kit/client/core';
import { InputError } from './read-ids.js';

/**
 * The tags to write (`set --file tags.jsonl`), one JSON object per line:
 *   {"image_id": "…", "tags": ["cat", "dog"]}                                       classification
 *   {"image_id": "…", "tags": [{"tag": "car", "pos": [xmin, ymin, xmax, ymax]}], "size": [w, h]}   detection
 * `imageId`, boxes as `{"tag", "box": {xmin, ymin, xmax, ymax}}` and `size` as `{width, height}` are
 * accepted too, so the ndjson that `get` writes can be edited and written back. Blank lines are skipped.
 */
export interface TagsFile {
  images: ImageTagsInput[];
  /** Parallel to `images`: `tags.jsonl:12`. */
  origins: string[];
}

/** Problems listed at most; the rest are counted. */
const LISTED_PROBLEMS = 20;
// `type` and `extra` are in what `get` writes; they are not sent.
const KEYS = new Set(['image_id', 'imageId', 'tags', 'size', 'type', 'extra']);

/** Reads (with `readLines`, e.g. of a file) and checks every line; throws one InputError listing the problems with their line numbers. */
export async function readTagsFile(
  readLines: (onLine: (text: string, lineNumber: number) => void) => Promise<void>,
  source: string,
  maxImages: number,
): Promise<TagsFile> {
  const file: TagsFile = { images: [], origins: [] };
  const problems: string[] = [];
  let problemCount = 0;
  await readLines((text, lineNumber) => {
    if (text.trim() === '') return;
    try {
      if (file.images.length >= maxImages) {
        throw new InputError(`${source} holds more than ${maxImages.toLocaleString('en-US')} images (the most one run writes); split it`);
      }
      file.images.push(parseLine(text));
      file.origins.push(`${source}:${lineNumber}`);
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      problemCount++;
      if (problems.length < LISTED_PROBLEMS) problems.push(`${source}:${lineNumber}: ${error.message}`);
    }
  });
  if (problemCount > 0) {
    const more = problemCount > problems.length ? `\n... and ${problemCount - problems.length} more line(s) with problems` : '';
    throw new InputError(`${problemCount} line(s) of ${source} cannot be written; nothing was sent:\n${problems.join('\n')}${more}`);
  }
  if (file.images.length === 0) {
    throw new InputError(`No images found in ${source}: expected one JSON object per line, e.g. {"image_id": "…", "tags": ["cat"]}`);
  }
  return file;
}

class LineError extends Error {}

function parseLine(text: string): ImageTagsInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LineError(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new LineError(`expected a JSON object, not ${previewValue(value)}`);
  const entry = value as Record<string, unknown>;
  const unknown = Object.keys(entry).filter((key) => !KEYS.has(key));
  if (unknown.length > 0)
    throw new LineError(`unknown field(s) ${unknown.map((key) => previewValue(key)).join(', ')}; a line has image_id, tags and size`);
  const imageId = entry.image_id ?? entry.imageId;
  if (typeof imageId !== 'string') throw new LineError('image_id is missing (a string)');
  if (!Array.isArray(entry.tags)) throw new LineError(`tags must be an array of tag names or boxes, not ${previewValue(entry.tags)}`);
  const tags = entry.tags.map((tag, index) => (typeof tag === 'object' && tag !== null ? box(tag as Record<string, unknown>, index) : tag));
  const input = { imageId, tags } as ImageTagsInput;
  if (entry.size !== undefined) (input as { size?: unknown }).size = size(entry.size);
  return input;
}

/** `{tag, pos: [4 numbers]}` or `{tag, box}`, as the client takes it; the client checks the numbers. */
function box(tag: Record<string, unknown>, index: number): unknown {
  if (tag.pos === undefined) return tag;
  const pos = tag.pos;
  if (!Array.isArray(pos) || pos.length !== 4 || !pos.every((n) => typeof n === 'number')) {
    throw new LineError(`tags[${index}].pos must be [xmin, ymin, xmax, ymax] (four numbers), not ${previewValue(pos)}`);
  }
  const [xmin, ymin, xmax, ymax] = pos as number[];
  return { tag: tag.tag, box: { xmin, ymin, xmax, ymax } };
}

function size(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  if (value.length < 2 || value.length > 3)
    throw new LineError(`size must be [width, height] or [width, height, depth], not ${previewValue(value)}`);
  const [width, height, depth] = value as unknown[];
  return depth === undefined ? { width, height } : { width, height, depth };
}
