import { escapeJson } from './json.js';
import { dropClassificationTags, imageBatches, type ExportContext } from './context.js';
import { ChunkBuffer } from '../text.js';
import type { ExportFile, ImageSource } from '../types.js';

/** Per box: image number, category ID, x, y, width, height. */
const FIELDS = 6;
/** Boxes per block: blocks are added as needed, never copied. */
const BLOCK = 16_384;

/**
 * COCO object detection as one JSON document. Images are written as they come; the boxes wait in
 * typed arrays (48 bytes each) and follow, then the categories, whose list is final only at the end.
 */
export function cocoFiles(source: ImageSource, context: ExportContext, info: { description: string }): ExportFile[] {
  return [{ path: 'annotations.json', content: cocoChunks(source, context, info) }];
}

async function* cocoChunks(source: ImageSource, context: ExportContext, info: { description: string }): AsyncGenerator<string> {
  const classes = context.classes!;
  const out = new ChunkBuffer();
  const blocks: Float64Array[] = [];
  let boxCount = 0;
  let imageNumber = 0;
  const created = context.createdAt.toISOString();
  out.add(
    `{"info":{"description":${escapeJson(info.description)},"version":"1.0","year":${context.createdAt.getUTCFullYear()},"date_created":${escapeJson(created)}},"licenses":[],"images":[`,
  );
  for await (const batch of imageBatches(source, context))
    for (const image of batch) {
      imageNumber++;
      const { fileName, name } = context.namer.nameOf(image.imageId);
      dropClassificationTags(image, context, 'COCO');
      const size = image.type === 'detection' ? image.size : undefined;
      if (!size)
        context.notes.add('imageWithoutSize', 'images without a known size; COCO width and height were written as 0', image.imageId);
      out.add(
        `${imageNumber > 1 ? ',' : ''}{"id":${imageNumber},"file_name":${escapeJson(fileName)},"width":${size?.width ?? 0},"height":${size?.height ?? 0},"modelarts_image_id":${escapeJson(image.imageId)}${name !== fileName ? `,"coco_url":${escapeJson(name)}` : ''}}`,
      );
      if (image.type === 'detection') {
        for (const { tag, box } of image.tags) {
          if (boxCount % BLOCK === 0) blocks.push(new Float64Array(BLOCK * FIELDS));
          const boxes = blocks[blocks.length - 1]!;
          const at = (boxCount % BLOCK) * FIELDS;
          boxes[at] = imageNumber;
          boxes[at + 1] = classes.indexOf(tag, image.imageId) + 1;
          boxes[at + 2] = box.xmin;
          boxes[at + 3] = box.ymin;
          boxes[at + 4] = box.xmax - box.xmin;
          boxes[at + 5] = box.ymax - box.ymin;
          boxCount++;
        }
      }
      if (out.full) yield out.take();
    }
  out.add('],"annotations":[');
  for (let i = 0; i < boxCount; i++) {
    const boxes = blocks[Math.floor(i / BLOCK)]!;
    const at = (i % BLOCK) * FIELDS;
    const width = boxes[at + 4]!;
    const height = boxes[at + 5]!;
    out.add(
      `${i > 0 ? ',' : ''}{"id":${i + 1},"image_id":${boxes[at]},"category_id":${boxes[at + 1]},"bbox":[${boxes[at + 2]},${boxes[at + 3]},${width},${height}],"area":${width * height},"iscrowd":0}`,
    );
    if (out.full) yield out.take();
  }
  out.add('],"categories":[');
  for (const [index, name] of classes.names.entries()) {
    out.add(`${index > 0 ? ',' : ''}{"id":${index + 1},"name":${escapeJson(name)},"supercategory":""}`);
  }
  out.add(']}\n');
  yield out.take();
}
