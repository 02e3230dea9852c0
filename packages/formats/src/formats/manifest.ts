import { imageBatches, type ExportContext } from './context.js';
import { escapeJson } from './json.js';
import { VOC_FOLDER, vocXml } from './voc.js';
import { ChunkBuffer, manifestTime } from '../text.js';
import type { ExportFile, ImageSource } from '../types.js';

export interface ManifestOptions {
  /** The manifest's file name; ModelArts names its own `DatasetName-VersionName.manifest`. */
  fileName: string;
  /** Where the VOC files will be, prefixed to `<stem>.xml` in `annotation-loc` (an OBS URI in ModelArts). */
  annotationLocation: string;
  /** VOC `folder`. */
  folder: string;
}

/**
 * The ModelArts manifest, one JSON line per image. Classification lines carry the tags; detection
 * lines point at a Pascal VOC file per image, which the export carries under `Annotations/`. An
 * image without tags has an empty `annotation` (an unlabelled sample). The manifest comes last,
 * after the VOC files, so its lines wait in memory (about 250 bytes an image).
 */
export async function* manifestFiles(source: ImageSource, context: ExportContext, options: ManifestOptions): AsyncGenerator<ExportFile> {
  const lines = new ChunkBuffer();
  const chunks: string[] = [];
  const time = escapeJson(manifestTime(context.createdAt));
  for await (const batch of imageBatches(source, context))
    for (const image of batch) {
      const { name, stem, fileName } = context.namer.nameOf(image.imageId);
      let annotations: string[] = [];
      if (image.type === 'classification') {
        annotations = image.tags.map(
          (tag) => `{"type":"modelarts/image_classification","name":${escapeJson(tag)},"annotated-by":"human","creation-time":${time}}`,
        );
      } else if (image.tags.length > 0) {
        const path = `${VOC_FOLDER}/${stem}.xml`;
        yield { path, content: vocXml(image, fileName, options.folder, context) };
        annotations = [
          `{"type":"modelarts/object_detection","annotation-loc":${escapeJson(`${options.annotationLocation}${stem}.xml`)},"annotation-format":"PASCAL VOC","annotated-by":"human","creation-time":${time}}`,
        ];
      }
      lines.add(`{"source":${escapeJson(name)},"id":${escapeJson(image.imageId)},"annotation":[${annotations.join(',')}]}\n`);
      if (lines.full) chunks.push(lines.take());
    }
  chunks.push(lines.take());
  yield { path: options.fileName, content: chunks };
}
