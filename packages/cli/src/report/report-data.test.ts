import type { ImageTagsResult } from '@modelarts-kit/client';
import { ServerError } from '@modelarts-kit/client';
import { describe, expect, it } from 'vitest';
import { reportJob, type CompactImage } from './report-data.js';

const detectionResult: Omit<ImageTagsResult, 'outcomes'> = {
  jobType: 'detection',
  images: [
    {
      type: 'detection',
      imageId: 'img-1',
      size: { width: 1920, height: 1080, depth: 3 },
      tags: [
        { tag: 'cat', box: { xmin: 10, ymin: 0, xmax: 100, ymax: 100 }, extra: {} },
        { tag: '行人', box: { xmin: 5, ymin: 6, xmax: 7, ymax: 8 }, extra: {} },
        { tag: 'cat', box: { xmin: 1.5, ymin: 2, xmax: 3, ymax: 4 }, extra: {} },
      ],
      extra: {},
    },
    { type: 'detection', imageId: 'img-2', tags: [], extra: {} },
  ],
  missing: ['gone'],
  failed: [
    {
      imageId: 'f1',
      error: new ServerError('ModelArts had a server-side failure (HTTP 500, request ID r-9)', { status: 500, requestId: 'r-9' }),
    },
    {
      imageId: 'f2',
      error: new ServerError('ModelArts had a server-side failure (HTTP 500, request ID r-9)', { status: 500, requestId: 'r-9' }),
    },
  ],
  requestIds: ['r-1', 'r-2'],
};

/** Decodes the compact form back, the way the browser script reads it. */
function decode(tags: string[], image: CompactImage) {
  if (image.length === 2) return { id: image[0], tags: image[1].map((i) => tags[i]) };
  const boxes = [];
  for (let i = 0; i < image[3].length; i += 5) boxes.push({ tag: tags[image[3][i]!], pos: image[3].slice(i + 1, i + 5) });
  return { id: image[0], width: image[1], height: image[2], boxes };
}

describe('reportJob', () => {
  it('stores tag names once and boxes as flat numbers, losing nothing', () => {
    const job = reportJob({ annotationId: '287', result: detectionResult, elapsedMs: 12.6 });
    expect(job.tags).toEqual(['cat', '行人']);
    expect(job.images.map((image) => decode(job.tags, image))).toEqual([
      {
        id: 'img-1',
        width: 1920,
        height: 1080,
        boxes: [
          { tag: 'cat', pos: [10, 0, 100, 100] },
          { tag: '行人', pos: [5, 6, 7, 8] },
          { tag: 'cat', pos: [1.5, 2, 3, 4] },
        ],
      },
      { id: 'img-2', width: 0, height: 0, boxes: [] },
    ]);
    expect(job).toMatchObject({
      annotationId: '287',
      jobType: 'detection',
      requested: 5,
      missing: ['gone'],
      requestIds: ['r-1', 'r-2'],
      elapsedMs: 13,
    });
  });

  it('groups failed IDs by error and keeps the request ID', () => {
    const job = reportJob({ annotationId: '287', result: detectionResult });
    expect(job.failed).toEqual([
      { error: 'ServerError: ModelArts had a server-side failure (HTTP 500, request ID r-9)', requestId: 'r-9', imageIds: ['f1', 'f2'] },
    ]);
  });

  it('encodes classification images as [id, tag indexes]', () => {
    const job = reportJob({
      annotationId: '282',
      result: {
        jobType: 'classification',
        images: [
          { type: 'classification', imageId: 'c1', tags: ['dog', 'cat'], extra: {} },
          { type: 'classification', imageId: 'c2', tags: ['cat'], extra: {} },
        ],
        missing: [],
        failed: [],
        requestIds: [],
      },
    });
    expect(job.tags).toEqual(['dog', 'cat']);
    expect(job.images).toEqual([
      ['c1', [0, 1]],
      ['c2', [1]],
    ]);
  });
});
