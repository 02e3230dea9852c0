import type { DetectionBox, ImageTags } from '@modelarts-kit/client';

/** `cat@[10,0,100,100]`: a detection box in one compact token. */
export function describeBox(box: DetectionBox): string {
  const { xmin, ymin, xmax, ymax } = box.box;
  return `${box.tag}@[${round(xmin)},${round(ymin)},${round(xmax)},${round(ymax)}]`;
}

/** The tags of an image as short items for a table cell. */
export function tagItems(image: ImageTags): string[] {
  return image.type === 'detection' ? image.tags.map(describeBox) : [...image.tags];
}

export function describeSize(image: ImageTags): string {
  return image.type === 'detection' && image.size ? `${image.size.width}×${image.size.height}` : '';
}

/** How often each tag occurs (a detection tag counts once per box), most frequent first. */
export function countTags(images: readonly ImageTags[]): [tag: string, count: number][] {
  const counts = new Map<string, number>();
  for (const image of images) {
    for (const tag of image.tags) {
      const name = typeof tag === 'string' ? tag : tag.tag;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 10) / 10);
}
