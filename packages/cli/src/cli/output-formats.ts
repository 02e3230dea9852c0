import type { ImageTags, ImageTagsResult } from '@modelarts-kit/client';
import { csvLine } from './csv.js';
import { describeSize, tagItems } from '../shared/describe-tags.js';
import { plainStyle, renderTable, type Style } from '../shared/text-table.js';

export const FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type OutputFormat = (typeof FORMATS)[number];

export function isOutputFormat(value: string): value is OutputFormat {
  return (FORMATS as readonly string[]).includes(value);
}

export interface FormatContext {
  annotationId: string;
  /** Terminal width for `table`; unlimited when absent. */
  columns?: number | undefined;
  style?: Style;
}

/** The whole of stdout for one run. */
export function formatResult(result: ImageTagsResult, format: OutputFormat, context: FormatContext): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(toJsonDocument(result, context.annotationId), null, 2)}\n`;
    case 'ndjson':
      return result.images.map((image) => `${JSON.stringify(image)}\n`).join('');
    case 'csv':
      return toCsv(result);
    case 'table':
      return toTable(result.images, context);
  }
}

/** `--format json`: everything, including what is missing or failed, in one document. */
export function toJsonDocument(result: ImageTagsResult, annotationId: string): Record<string, unknown> {
  return {
    annotationId,
    jobType: result.jobType,
    images: result.images,
    missing: result.missing,
    failed: result.failed.map(({ imageId, error }) => ({ imageId, error: error.toJSON() })),
    requestIds: result.requestIds,
  };
}

/**
 * One row per tag (per box for detection), so the file loads straight into a
 * spreadsheet or a data frame. An image without tags still gets one row.
 */
function toCsv(result: ImageTagsResult): string {
  const detection = result.jobType === 'detection' || result.images.some((image) => image.type === 'detection');
  const lines: string[] = [csvLine(csvHeader(detection))];
  for (const image of result.images) for (const row of csvRows(image, detection)) lines.push(csvLine(row));
  return `${lines.join('\n')}\n`;
}

/** The CSV header of images of a detection job (with box and size columns) or a classification job. */
export function csvHeader(detection: boolean): string[] {
  return detection ? ['image_id', 'tag', 'xmin', 'ymin', 'xmax', 'ymax', 'width', 'height'] : ['image_id', 'tag'];
}

/** The CSV rows of one image: one per tag or box, or one without a tag. */
export function csvRows(image: ImageTags, detection: boolean): (string | number | undefined)[][] {
  const rows: (string | number | undefined)[][] = [];
  if (image.type === 'detection') {
    const size = image.size;
    if (image.tags.length === 0) rows.push([image.imageId, '', '', '', '', '', size?.width, size?.height]);
    for (const { tag, box } of image.tags)
      rows.push([image.imageId, tag, box.xmin, box.ymin, box.xmax, box.ymax, size?.width, size?.height]);
  } else {
    const padding = detection ? ['', '', '', '', '', ''] : [];
    if (image.tags.length === 0) rows.push([image.imageId, '', ...padding]);
    for (const tag of image.tags) rows.push([image.imageId, tag, ...padding]);
  }
  return rows;
}

/** `minWidths`: widths the fixed columns keep at least, so tables written batch by batch line up. */
export function toTable(
  images: readonly ImageTags[],
  context: { columns?: number | undefined; style?: Style; minWidths?: readonly number[] },
): string {
  const detection = images.some((image) => image.type === 'detection');
  if (detection) {
    return renderTable(
      [{ header: 'IMAGE ID' }, { header: 'SIZE' }, { header: 'BOXES (tag@[xmin,ymin,xmax,ymax])', wrap: true }],
      images.map((image) => [image.imageId, describeSize(image), emptyAsDash(tagItems(image))]),
      { maxWidth: context.columns, style: context.style ?? plainStyle, ...(context.minWidths ? { minWidths: context.minWidths } : {}) },
    );
  }
  return renderTable(
    [{ header: 'IMAGE ID' }, { header: 'TAGS', wrap: true }],
    images.map((image) => [image.imageId, emptyAsDash(tagItems(image)).map((tag, i, all) => (i < all.length - 1 ? `${tag},` : tag))]),
    { maxWidth: context.columns, style: context.style ?? plainStyle, ...(context.minWidths ? { minWidths: context.minWidths } : {}) },
  );
}

function emptyAsDash(items: string[]): string[] {
  return items.length === 0 ? ['-'] : items;
}
