import type { ClassificationImageTags, DetectionImageTags, ImageTags } from '@modelarts-kit/client';

/** Tag names that break naive writers: XML and CSV specials, Chinese, a comma, a quote. */
export const TRICKY_TAGS = ['猫', '狗 (大)', 'a<b>&"c\'', 'x,y "z"'] as const;

export function detection(
  imageId: string,
  boxes: [string, number, number, number, number][],
  size?: [number, number, number?],
): DetectionImageTags {
  const image: DetectionImageTags = {
    type: 'detection',
    imageId,
    tags: boxes.map(([tag, xmin, ymin, xmax, ymax]) => ({ tag, box: { xmin, ymin, xmax, ymax }, extra: {} })),
    extra: {},
  };
  if (size) image.size = size[2] === undefined ? { width: size[0], height: size[1] } : { width: size[0], height: size[1], depth: size[2] };
  return image;
}

export function classification(imageId: string, tags: string[]): ClassificationImageTags {
  return { type: 'classification', imageId, tags, extra: {} };
}

/** A small detection job with every tricky tag, an empty image and an image without a size. */
export function detectionJob(): ImageTags[] {
  return [
    detection(
      'id-1',
      [
        ['猫', 10, 20, 110, 220],
        ['a<b>&"c\'', 0, 0, 640, 480],
      ],
      [640, 480, 3],
    ),
    detection('id-2', [['狗 (大)', 5.5, 6.25, 50, 60]], [100, 80]),
    detection('id-3', [], [300, 200, 3]),
    detection('id-4', [['x,y "z"', 1, 2, 3, 4]]),
  ];
}

export async function collect(
  files: AsyncIterable<{ path: string; content: string | AsyncIterable<string> | Iterable<string> }>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const file of files) {
    let text = '';
    if (typeof file.content === 'string') text = file.content;
    else for await (const chunk of file.content) text += chunk;
    out.set(file.path, text);
  }
  return out;
}
