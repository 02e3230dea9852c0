import { describe, expect, it } from 'vitest';
import { checkImageTagsInput, InputValidationError, type ImageTagsInput } from './index.js';

describe('checkImageTagsInput', () => {
  it('returns the images normalised, in input order: IDs trimmed, boxes and sizes with only their fields', () => {
    const images = [
      {
        imageId: ' a ',
        tags: [{ tag: 'car', box: { xmin: 1, ymin: 2, xmax: 3, ymax: 4, score: 0.9 }, extra: {} }],
        size: { width: 8, height: 6 },
      },
      { imageId: 'b', tags: [] },
      { imageId: 'c', tags: [{ tag: 'dog', box: { xmin: 0, ymin: 0, xmax: 5, ymax: 5 } }] },
    ] as ImageTagsInput[];
    expect(checkImageTagsInput(images)).toEqual([
      { imageId: 'a', tags: [{ tag: 'car', box: { xmin: 1, ymin: 2, xmax: 3, ymax: 4 } }], size: { width: 8, height: 6 } },
      { imageId: 'b', tags: [] },
      { imageId: 'c', tags: [{ tag: 'dog', box: { xmin: 0, ymin: 0, xmax: 5, ymax: 5 } }] },
    ]);
    expect(checkImageTagsInput([{ imageId: 'x', tags: ['cat', 'dog'] }])).toEqual([{ imageId: 'x', tags: ['cat', 'dog'] }]);
  });

  it('names the first problem with the index of its image, leaving the input as it was', () => {
    const images: ImageTagsInput[] = [
      { imageId: 'a', tags: [{ tag: 'car', box: { xmin: 0, ymin: 0, xmax: 4, ymax: 4 } }], size: { width: 4, height: 4 } },
      { imageId: 'b', tags: [{ tag: 'car', box: { xmin: 0, ymin: 0, xmax: 5, ymax: 4 } }], size: { width: 4, height: 4 } },
      { imageId: 'c', tags: [{ tag: 'car', box: { xmin: 3, ymin: 0, xmax: 1, ymax: 4 } }] },
    ];
    const copy = structuredClone(images);
    const error = (() => {
      try {
        checkImageTagsInput(images);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InputValidationError);
    expect(error).toMatchObject({ index: 1, message: 'images[1].tags[0].box (0,0)-(5,4) is outside the image size 4x4' });
    expect(images).toEqual(copy);
  });

  it('checks the whole list: an image given twice is found across entries', () => {
    expect(() =>
      checkImageTagsInput([
        { imageId: 'a', tags: ['x'] },
        { imageId: ' a', tags: ['y'] },
      ]),
    ).toThrow(expect.objectContaining({ index: 1, message: expect.stringMatching(/given twice/) }));
  });
});
