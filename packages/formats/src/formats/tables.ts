import { imageBatches, type ExportContext } from './context.js';
import { ChunkBuffer, csvField } from '../text.js';
import type { ExportFile, ImageSource, ImageTags } from '../types.js';

export type TableRows = 'image' | 'box';

const IMAGE_COLUMNS = ['image_id', 'file_name', 'width', 'height', 'depth', 'tag_count', 'tags'] as const;
const BOX_COLUMNS = ['image_id', 'file_name', 'width', 'height', 'tag', 'xmin', 'ymin', 'xmax', 'ymax'] as const;

/**
 * CSV (RFC 4180, CRLF, a header row) or JSON Lines, streamed: one row per image (its tags as a
 * JSON array in CSV, distinct tag names in box order for detection) or one per box (per tag for
 * classification). In box rows, an image without tags still gets one row with empty tag fields,
 * so every image is listed.
 */
export function tableFiles(source: ImageSource, context: ExportContext, kind: 'csv' | 'jsonl', rows: TableRows): ExportFile[] {
  const path = `${rows === 'image' ? 'images' : 'boxes'}.${kind}`;
  return [{ path, content: tableChunks(source, context, kind, rows) }];
}

interface Row {
  image_id: string;
  file_name: string;
  width?: number | undefined;
  height?: number | undefined;
  depth?: number | undefined;
  tag_count?: number;
  tags?: string[];
  boxes?: { tag: string; xmin: number; ymin: number; xmax: number; ymax: number }[];
  tag?: string | undefined;
  xmin?: number | undefined;
  ymin?: number | undefined;
  xmax?: number | undefined;
  ymax?: number | undefined;
}

async function* tableChunks(source: ImageSource, context: ExportContext, kind: 'csv' | 'jsonl', rows: TableRows): AsyncGenerator<string> {
  const out = new ChunkBuffer();
  const columns = rows === 'image' ? IMAGE_COLUMNS : BOX_COLUMNS;
  if (kind === 'csv') out.add(`${columns.join(',')}\r\n`);
  for await (const batch of imageBatches(source, context))
    for (const image of batch) {
      const { name } = context.namer.nameOf(image.imageId);
      for (const row of rowsOf(image, name, rows)) {
        if (kind === 'jsonl') out.add(`${JSON.stringify(row)}\n`);
        else out.add(`${columns.map((column) => csvField(csvValue(row[column]))).join(',')}\r\n`);
      }
      if (out.full) yield out.take();
    }
  yield out.take();
}

function csvValue(value: Row[keyof Row]): string | number | undefined {
  return Array.isArray(value) ? JSON.stringify(value) : value;
}

function* rowsOf(image: ImageTags, fileName: string, rows: TableRows): Generator<Row> {
  const size = image.type === 'detection' ? image.size : undefined;
  const base = { image_id: image.imageId, file_name: fileName, width: size?.width, height: size?.height };
  if (rows === 'image') {
    if (image.type === 'classification') {
      yield { ...base, depth: undefined, tag_count: image.tags.length, tags: image.tags };
    } else {
      yield {
        ...base,
        depth: size?.depth,
        tag_count: image.tags.length,
        tags: [...new Set(image.tags.map((box) => box.tag))],
        boxes: image.tags.map(({ tag, box }) => ({ tag, xmin: box.xmin, ymin: box.ymin, xmax: box.xmax, ymax: box.ymax })),
      };
    }
    return;
  }
  if (image.tags.length === 0) {
    yield { ...base, tag: undefined };
    return;
  }
  if (image.type === 'classification') {
    for (const tag of image.tags) yield { ...base, tag };
    return;
  }
  for (const { tag, box } of image.tags) yield { ...base, tag, xmin: box.xmin, ymin: box.ymin, xmax: box.xmax, ymax: box.ymax };
}
