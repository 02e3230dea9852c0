import { describe, expect, it } from 'vitest';
import { checkLabels, formatQaSummary } from '../src/index.js';
import { classification, detection } from './fixtures.js';

describe('checkLabels', () => {
  const images = [
    detection('ok', [['猫', 0, 0, 100, 100]], [100, 100, 3]),
    detection(
      'outside',
      [
        ['猫', -1, 10, 50, 60],
        ['狗', 10, 10, 50, 101],
      ],
      [100, 100],
    ),
    detection('flat', [['猫', 10, 10, 10, 50]], [100, 100]),
    detection('inverted', [['猫', 50, 10, 20, 40]], [100, 100]),
    detection('nosize', [['猫', 1, 1, 2, 2]]),
    detection('empty', [], [100, 100]),
    detection(
      'stranger',
      [
        ['鸟', 1, 1, 2, 2],
        ['鸟', 3, 3, 4, 4],
      ],
      [10, 10],
    ),
  ];

  it('finds each kind of problem with the image and box it concerns, and changes nothing', async () => {
    const before = JSON.stringify(images);
    const report = await checkLabels(images, {
      tagList: ['猫', '狗'],
      statistics: [
        { tag: '猫', count: 5 },
        { tag: '狗', count: 1 },
        { tag: '马', count: 2 },
      ],
    });
    expect(JSON.stringify(images)).toBe(before);
    const brief = report.findings.map(({ kind, imageId, boxIndex, tag, expected, actual }) => ({
      kind,
      imageId,
      boxIndex,
      tag,
      expected,
      actual,
    }));
    expect(brief).toEqual(
      [
        { kind: 'boxOutsideImage', imageId: 'outside', boxIndex: 0, tag: '猫' },
        { kind: 'boxOutsideImage', imageId: 'outside', boxIndex: 1, tag: '狗' },
        { kind: 'zeroAreaBox', imageId: 'flat', boxIndex: 0, tag: '猫' },
        { kind: 'invertedBox', imageId: 'inverted', boxIndex: 0, tag: '猫' },
        { kind: 'boxWithoutSize', imageId: 'nosize', boxIndex: 0, tag: '猫' },
        { kind: 'imageWithoutTags', imageId: 'empty' },
        { kind: 'tagNotInTagList', imageId: 'stranger', tag: '鸟' },
        { kind: 'tagCountMismatch', tag: '马', expected: 2, actual: 0 },
        { kind: 'tagCountMismatch', tag: '鸟', expected: 0, actual: 1 },
      ].map((f) => ({ boxIndex: undefined, tag: undefined, expected: undefined, actual: undefined, imageId: undefined, ...f })),
    );
    expect(report.counts).toEqual({
      boxOutsideImage: 2,
      zeroAreaBox: 1,
      invertedBox: 1,
      boxWithoutSize: 1,
      imageWithoutTags: 1,
      tagNotInTagList: 1,
      tagCountMismatch: 2,
    });
    expect(report.tags).toEqual([
      { tag: '狗', images: 1, boxes: 1, expectedImages: 1 },
      { tag: '猫', images: 5, boxes: 5, expectedImages: 5 },
      { tag: '马', images: 0, boxes: 0, expectedImages: 2 },
      { tag: '鸟', images: 1, boxes: 2 },
    ]);
    expect(report.findings[0]!.message).toBe('image outside, box 0 (猫): [-1, 10, 50, 60] reaches outside the 100x100 image');
  });

  it('checks classification images for missing tags and unknown tags', async () => {
    const report = await checkLabels([classification('a', ['cat']), classification('b', []), classification('c', ['cow', 'cow'])], {
      tagList: ['cat'],
    });
    expect(report.findings.map((f) => [f.kind, f.imageId, f.tag])).toEqual([
      ['imageWithoutTags', 'b', undefined],
      ['tagNotInTagList', 'c', 'cow'],
    ]);
  });

  it('summarises for people: totals, then each kind with examples, then the tags', async () => {
    const report = await checkLabels(images, { tagList: ['猫', '狗'] });
    const text = formatQaSummary(report, { perKind: 1 });
    expect(text).toBe(
      [
        'Label QA: 7 image(s), 8 box(es), 7 finding(s)',
        '',
        'boxes outside the image: 2',
        '  image outside, box 0 (猫): [-1, 10, 50, 60] reaches outside the 100x100 image',
        '  ... and 1 more',
        '',
        'zero-area boxes: 1',
        '  image flat, box 0 (猫): zero area ([10, 10, 10, 50])',
        '',
        'inverted boxes: 1',
        '  image inverted, box 0 (猫): the corners are inverted ([50, 10, 20, 40])',
        '',
        'boxes on images without a size: 1',
        '  image nosize, box 0 (猫): the image has no size, so the box cannot be checked or normalised',
        '',
        'images without tags: 1',
        '  image empty has no tags',
        '',
        "tags not in the job's tag list: 1",
        `  image stranger: tag "鸟" is not in the job's tag list`,
        '',
        'tags (images / boxes)',
        '  狗: 1 / 1',
        '  猫: 5 / 5',
        '  鸟: 1 / 2',
        '',
      ].join('\n'),
    );
    expect(formatQaSummary(await checkLabels([detection('ok', [['猫', 0, 0, 1, 1]], [1, 1])]))).toBe(
      'Label QA: 1 image(s), 1 box(es), no findings\n\ntags (images / boxes)\n  猫: 1 / 1\n',
    );
  });
});
