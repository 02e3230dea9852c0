import { dropClassificationTags, imageBatches, type ExportContext } from './context.js';
import { escapeJson } from './json.js';
import type { ExportFile, ImageSource } from '../types.js';

export const YOLO_LABELS = 'labels';

/**
 * YOLO: `labels/<stem>.txt` per image (`class x_center y_center width height`, normalised by the
 * image size, six decimals), then `classes.txt` and `data.yaml` once the class list is final.
 * A box on an image without a size cannot be normalised: it is left out and reported.
 */
export async function* yoloFiles(source: ImageSource, context: ExportContext): AsyncGenerator<ExportFile> {
  const classes = context.classes!;
  const { notes } = context;
  for await (const batch of imageBatches(source, context))
    for (const image of batch) {
      dropClassificationTags(image, context, 'YOLO');
      const { stem } = context.namer.nameOf(image.imageId);
      let text = '';
      if (image.type === 'detection' && image.tags.length > 0) {
        const size = image.size;
        if (!size || !(size.width > 0) || !(size.height > 0)) {
          notes.add(
            'boxWithoutSize',
            'boxes on images without a known size, which YOLO cannot normalise; they were left out',
            image.imageId,
            image.tags.length,
          );
        } else {
          for (const { tag, box } of image.tags) {
            const index = classes.indexOf(tag, image.imageId);
            if (box.xmin < 0 || box.ymin < 0 || box.xmax > size.width || box.ymax > size.height) {
              notes.add(
                'boxOutsideImage',
                'boxes reaching outside their image; written as they are, so some values fall outside 0..1 (many trainers reject such a file)',
                image.imageId,
              );
            }
            const x = (box.xmin + box.xmax) / 2 / size.width;
            const y = (box.ymin + box.ymax) / 2 / size.height;
            const w = (box.xmax - box.xmin) / size.width;
            const h = (box.ymax - box.ymin) / size.height;
            text += `${index} ${x.toFixed(6)} ${y.toFixed(6)} ${w.toFixed(6)} ${h.toFixed(6)}\n`;
          }
        }
      }
      yield { path: `${YOLO_LABELS}/${stem}.txt`, content: text };
    }
  const names = classes.names;
  for (const name of names) {
    if (/[\r\n]/.test(name))
      notes.add(
        'controlCharacters',
        'class names with a line break, which classes.txt (one name per line) cannot hold; data.yaml has them exactly',
        undefined,
      );
  }
  yield { path: 'classes.txt', content: names.map((name) => `${name.replace(/[\r\n]+/g, ' ')}\n`).join('') };
  yield { path: 'data.yaml', content: dataYaml(names) };
}

/** Ultralytics' dataset file: `nc` and `names` by index; JSON strings are valid YAML double-quoted scalars. */
function dataYaml(names: readonly string[]): string {
  const lines = ['# Class names in index order, as in labels/*.txt and classes.txt.', `nc: ${names.length}`, 'names:'];
  for (const [index, name] of names.entries()) lines.push(`  ${index}: ${escapeJson(name)}`);
  return `${lines.join('\n')}\n`;
}
