import { dropClassificationTags, imageBatches, type ExportContext } from './context.js';
import { escapeXml, isXmlText } from '../text.js';
import type { DetectionImageTags, ExportFile, ImageSource, ImageTags } from '../types.js';

export const VOC_FOLDER = 'Annotations';

/** Pascal VOC: one XML file per image, `Annotations/<stem>.xml`. */
export async function* vocFiles(source: ImageSource, context: ExportContext, folder: string): AsyncGenerator<ExportFile> {
  for await (const batch of imageBatches(source, context))
    for (const image of batch) {
      dropClassificationTags(image, context, 'Pascal VOC');
      const { stem, fileName } = context.namer.nameOf(image.imageId);
      yield { path: `${VOC_FOLDER}/${stem}.xml`, content: vocXml(image, fileName, folder, context) };
    }
}

/** The VOC document of one image. Coordinates are integer pixels: fractions are rounded and reported. */
export function vocXml(image: ImageTags, fileName: string, folder: string, context: ExportContext): string {
  const { notes } = context;
  const id = image.imageId;
  const size = image.type === 'detection' ? image.size : undefined;
  let xml = `<?xml version="1.0" encoding="UTF-8"?>\n<annotation>\n  <folder>${xmlText(folder, id, context)}</folder>\n  <filename>${xmlText(fileName, id, context)}</filename>\n  <source><database>ModelArts</database><annotation>${xmlText(id, id, context)}</annotation></source>\n`;
  if (size) {
    if (size.depth === undefined) notes.add('depthAssumed', 'images whose depth (channels) is unknown; VOC depth was written as 3', id);
    xml += `  <size>\n    <width>${size.width}</width>\n    <height>${size.height}</height>\n    <depth>${size.depth ?? 3}</depth>\n  </size>\n`;
  } else {
    notes.add('imageWithoutSize', 'images without a known size; their VOC file has no <size> element', id);
  }
  xml += '  <segmented>0</segmented>\n';
  const boxes = image.type === 'detection' ? (image as DetectionImageTags).tags : [];
  for (const { tag, box } of boxes) {
    const xmin = pixel(box.xmin, id, context);
    const ymin = pixel(box.ymin, id, context);
    const xmax = pixel(box.xmax, id, context);
    const ymax = pixel(box.ymax, id, context);
    xml += `  <object>\n    <name>${xmlText(tag, id, context)}</name>\n    <pose>Unspecified</pose>\n    <truncated>0</truncated>\n    <occluded>0</occluded>\n    <difficult>0</difficult>\n    <bndbox>\n      <xmin>${xmin}</xmin>\n      <ymin>${ymin}</ymin>\n      <xmax>${xmax}</xmax>\n      <ymax>${ymax}</ymax>\n    </bndbox>\n  </object>\n`;
  }
  return `${xml}</annotation>\n`;
}

function pixel(value: number, imageId: string, context: ExportContext): number {
  const rounded = Math.round(value);
  if (rounded !== value)
    context.notes.add('roundedToPixels', 'box coordinates with a fraction of a pixel; VOC holds integers, so they were rounded', imageId);
  return rounded;
}

/** XML 1.0 cannot hold control characters even escaped: they become U+FFFD, and the export says so. */
function xmlText(text: string, imageId: string, context: ExportContext): string {
  if (isXmlText(text)) return escapeXml(text);
  context.notes.add('controlCharacters', 'names with control characters XML cannot hold; they were replaced by U+FFFD', imageId);
  // eslint-disable-next-line no-control-regex
  return escapeXml(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd'));
}
