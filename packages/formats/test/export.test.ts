import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { ClassListError, exportLabels, type ExportOptions } from '../src/index.js';
import { classification, collect, detection, detectionJob, TRICKY_TAGS } from './fixtures.js';

const createdAt = new Date('2026-11-30T01:02:03Z');

async function run(images: Parameters<typeof exportLabels>[0], options: ExportOptions) {
  const exported = exportLabels(images, { createdAt, ...options });
  const files = await collect(exported.files());
  return { files, report: exported.report() };
}

/** Parses as XML, failing on any well-formedness error (and on warnings unless they are expected). */
function parseXml(text: string, { warnings = false } = {}): Document {
  return new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning' || !warnings) throw new Error(`XML ${level}: ${message}`);
    },
  }).parseFromString(text, 'text/xml') as unknown as Document;
}

describe('COCO', () => {
  it('writes every box as [x, y, width, height] with categories in the given order and the image IDs kept', async () => {
    const classes = ['a<b>&"c\'', '猫', '狗 (大)', 'x,y "z"'];
    const { files, report } = await run(detectionJob(), { format: 'coco', classes, annotationId: '287' });
    const coco = JSON.parse(files.get('annotations.json')!);
    expect(coco.categories.map((c: { id: number; name: string }) => [c.id, c.name])).toEqual(classes.map((name, i) => [i + 1, name]));
    expect(coco.images.map((i: { modelarts_image_id: string }) => i.modelarts_image_id)).toEqual(['id-1', 'id-2', 'id-3', 'id-4']);
    expect(coco.images[0]).toMatchObject({ id: 1, file_name: 'id-1', width: 640, height: 480 });
    const back = coco.annotations.map(
      (a: { image_id: number; category_id: number; bbox: [number, number, number, number]; area: number }) => [
        coco.images[a.image_id - 1].modelarts_image_id,
        classes[a.category_id - 1],
        a.bbox[0],
        a.bbox[1],
        a.bbox[0] + a.bbox[2],
        a.bbox[1] + a.bbox[3],
      ],
    );
    const expected = detectionJob().flatMap((image) =>
      image.type === 'detection' ? image.tags.map(({ tag, box }) => [image.imageId, tag, box.xmin, box.ymin, box.xmax, box.ymax]) : [],
    );
    expect(back).toEqual(expected);
    expect(coco.annotations.map((a: { id: number }) => a.id)).toEqual([1, 2, 3, 4]);
    expect(coco.info.description).toBe('ModelArts annotation job 287');
    expect(report).toMatchObject({ format: 'coco', images: 4, boxes: 4, classes });
    expect(report.notes).toEqual([
      { kind: 'imageWithoutSize', message: expect.stringContaining('width and height were written as 0'), count: 1, imageIds: ['id-4'] },
    ]);
  });

  it('numbers classes by the sorted tags when no tag list is given', async () => {
    const { report } = await run(detectionJob(), { format: 'coco' });
    expect(report.classes).toEqual([...TRICKY_TAGS].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('appends tags missing from the tag list after it and reports every such box', async () => {
    const images = [
      detection(
        'p',
        [
          ['new', 0, 0, 1, 1],
          ['猫', 0, 0, 1, 1],
          ['new', 1, 1, 2, 2],
        ],
        [10, 10],
      ),
      detection('q', [['new', 0, 0, 1, 1]], [10, 10]),
    ];
    const { files, report } = await run(images, { format: 'coco', classes: ['猫'] });
    const coco = JSON.parse(files.get('annotations.json')!);
    expect(coco.categories.map((c: { name: string }) => c.name)).toEqual(['猫', 'new']);
    expect(report.notes).toEqual([expect.objectContaining({ kind: 'tagNotInClassList', count: 3, imageIds: ['p', 'q'] })]);
  });

  it('reports classification tags it cannot hold', async () => {
    const { report } = await run([classification('c1', ['cat', 'dog']), detection('d1', [['cat', 0, 0, 1, 1]], [2, 2])], {
      format: 'coco',
    });
    expect(report.notes[0]).toMatchObject({ kind: 'classificationTagsDropped', count: 2, imageIds: ['c1'] });
  });

  it('needs the tag list to number the classes of a stream', async () => {
    async function* stream() {
      yield* detectionJob();
    }
    await expect(run(stream(), { format: 'yolo' })).rejects.toThrow(ClassListError);
    const { report } = await run(stream(), { format: 'yolo', classes: [...TRICKY_TAGS] });
    expect(report.images).toBe(4);
  });

  it('refuses a tag list that names a class twice', async () => {
    await expect(run(detectionJob(), { format: 'coco', classes: ['猫', '猫'] })).rejects.toThrow(/names "猫" twice/);
  });
});

describe('Pascal VOC', () => {
  it('writes one well-formed XML file per image with escaped names and integer pixels', async () => {
    const { files, report } = await run(detectionJob(), { format: 'voc' });
    expect([...files.keys()]).toEqual(['Annotations/id-1.xml', 'Annotations/id-2.xml', 'Annotations/id-3.xml', 'Annotations/id-4.xml']);
    const doc = parseXml(files.get('Annotations/id-1.xml')!);
    const text = (parent: Element | Document, name: string) => parent.getElementsByTagName(name)[0]!.textContent;
    expect(text(doc, 'filename')).toBe('id-1');
    expect([text(doc, 'width'), text(doc, 'height'), text(doc, 'depth')]).toEqual(['640', '480', '3']);
    const objects = [...(doc.getElementsByTagName('object') as unknown as Element[])];
    expect(
      objects.map((o) => [text(o, 'name'), text(o, 'xmin'), text(o, 'ymin'), text(o, 'xmax'), text(o, 'ymax'), text(o, 'difficult')]),
    ).toEqual([
      ['猫', '10', '20', '110', '220', '0'],
      ['a<b>&"c\'', '0', '0', '640', '480', '0'],
    ]);
    expect(files.get('Annotations/id-1.xml')).toContain('<name>a&lt;b&gt;&amp;&quot;c&apos;</name>');
    const empty = parseXml(files.get('Annotations/id-3.xml')!);
    expect(empty.getElementsByTagName('object').length).toBe(0);
    expect(parseXml(files.get('Annotations/id-4.xml')!).getElementsByTagName('size').length).toBe(0);
    const kinds = Object.fromEntries(report.notes.map((n) => [n.kind, [n.count, n.imageIds]]));
    expect(kinds).toEqual({
      depthAssumed: [1, ['id-2']],
      roundedToPixels: [2, ['id-2']],
      imageWithoutSize: [1, ['id-4']],
    });
  });

  it('replaces characters XML cannot hold and says so', async () => {
    const { files, report } = await run([detection('x', [['bell\u0007', 0, 0, 1, 1]], [2, 2, 3])], { format: 'voc' });
    // U+FFFD is well-formed XML; the parser only warns that it often means an encoding mistake.
    expect(parseXml(files.get('Annotations/x.xml')!, { warnings: true }).getElementsByTagName('name')[0]!.textContent).toBe('bell\ufffd');
    expect(report.notes.map((n) => n.kind)).toEqual(['controlCharacters']);
  });

  it('names files from the mapping and refuses two images with one stem', async () => {
    const names = new Map([
      ['id-1', 's3://bucket/imgs/Photo.JPG'],
      ['id-2', 'photo.png'],
    ]);
    await expect(run(detectionJob().slice(0, 2), { format: 'voc', names })).rejects.toThrow(
      /id-1 and id-2 would both be written as "photo"/,
    );
    const ok = await run(detectionJob().slice(0, 2), { format: 'voc', names: new Map([['id-1', 's3://bucket/imgs/Photo.JPG']]) });
    expect([...ok.files.keys()]).toEqual(['Annotations/Photo.xml', 'Annotations/id-2.xml']);
    expect(ok.files.get('Annotations/Photo.xml')).toContain('<filename>Photo.JPG</filename>');
    expect(ok.report.notes.find((n) => n.kind === 'unmappedImage')).toMatchObject({ count: 1, imageIds: ['id-2'] });
  });
});

describe('YOLO', () => {
  it('writes normalised boxes per image, an empty file for an empty image, and the class files', async () => {
    const classes = ['猫', '狗 (大)', 'a<b>&"c\'', 'x,y "z"'];
    const { files, report } = await run(detectionJob(), { format: 'yolo', classes });
    expect([...files.keys()]).toEqual([
      'labels/id-1.txt',
      'labels/id-2.txt',
      'labels/id-3.txt',
      'labels/id-4.txt',
      'classes.txt',
      'data.yaml',
    ]);
    expect(files.get('labels/id-1.txt')).toBe('0 0.093750 0.250000 0.156250 0.416667\n2 0.500000 0.500000 1.000000 1.000000\n');
    expect(files.get('labels/id-2.txt')).toBe('1 0.277500 0.414063 0.445000 0.671875\n');
    expect(files.get('labels/id-3.txt')).toBe('');
    expect(files.get('labels/id-4.txt')).toBe('');
    expect(files.get('classes.txt')).toBe(`${classes.join('\n')}\n`);
    expect(files.get('data.yaml')).toBe(
      '# Class names in index order, as in labels/*.txt and classes.txt.\nnc: 4\nnames:\n  0: "猫"\n  1: "狗 (大)"\n  2: "a<b>&\\"c\'"\n  3: "x,y \\"z\\""\n',
    );
    expect(report.notes).toEqual([expect.objectContaining({ kind: 'boxWithoutSize', count: 1, imageIds: ['id-4'] })]);
  });

  it('writes boxes reaching outside the image as they are and reports them', async () => {
    const { files, report } = await run([detection('o', [['a', -10, 0, 50, 120]], [100, 100])], { format: 'yolo' });
    expect(files.get('labels/o.txt')).toBe('0 0.200000 0.600000 0.600000 1.200000\n');
    expect(report.notes[0]).toMatchObject({ kind: 'boxOutsideImage', count: 1, imageIds: ['o'] });
  });
});

describe('ModelArts manifest', () => {
  it('classification: one line per image, one annotation per tag', async () => {
    const names = new Map([['c1', 's3://bucket/cls/1.jpg']]);
    const { files } = await run([classification('c1', ['猫', 'a"b']), classification('c2', [])], {
      format: 'manifest',
      names,
      manifestName: 'ds-V001.manifest',
    });
    expect([...files.keys()]).toEqual(['ds-V001.manifest']);
    const lines = files
      .get('ds-V001.manifest')!
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      {
        source: 's3://bucket/cls/1.jpg',
        id: 'c1',
        annotation: [
          { type: 'modelarts/image_classification', name: '猫', 'annotated-by': 'human', 'creation-time': '2026-11-30 01:02:03' },
          { type: 'modelarts/image_classification', name: 'a"b', 'annotated-by': 'human', 'creation-time': '2026-11-30 01:02:03' },
        ],
      },
      { source: 'c2', id: 'c2', annotation: [] },
    ]);
  });

  it('detection: lines point at the VOC file of each tagged image, which the export carries', async () => {
    const { files } = await run(detectionJob(), { format: 'manifest', annotationLocation: 's3://bucket/ann/' });
    expect([...files.keys()]).toEqual(['Annotations/id-1.xml', 'Annotations/id-2.xml', 'Annotations/id-4.xml', 'annotations.manifest']);
    const lines = files
      .get('annotations.manifest')!
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines[0].annotation).toEqual([
      {
        type: 'modelarts/object_detection',
        'annotation-loc': 's3://bucket/ann/id-1.xml',
        'annotation-format': 'PASCAL VOC',
        'annotated-by': 'human',
        'creation-time': '2026-11-30 01:02:03',
      },
    ]);
    expect(lines[2]).toEqual({ source: 'id-3', id: 'id-3', annotation: [] });
    parseXml(files.get('Annotations/id-2.xml')!);
  });
});

describe('CSV and JSON Lines', () => {
  it('CSV per box quotes what RFC 4180 asks and keeps an empty image as one row', async () => {
    const { files } = await run(detectionJob(), { format: 'csv', rows: 'box' });
    expect(files.get('boxes.csv')).toBe(
      [
        'image_id,file_name,width,height,tag,xmin,ymin,xmax,ymax',
        'id-1,id-1,640,480,猫,10,20,110,220',
        'id-1,id-1,640,480,"a<b>&""c\'",0,0,640,480',
        'id-2,id-2,100,80,狗 (大),5.5,6.25,50,60',
        'id-3,id-3,300,200,,,,,',
        'id-4,id-4,,,"x,y ""z""",1,2,3,4',
        '',
      ].join('\r\n'),
    );
  });

  it('CSV per image holds the tags as a JSON array', async () => {
    const { files } = await run([classification('c1', ['猫', 'a,"b"\nc'])], { format: 'csv' });
    expect(files.get('images.csv')).toBe(
      'image_id,file_name,width,height,depth,tag_count,tags\r\nc1,c1,,,,2,"[""猫"",""a,\\""b\\""\\nc""]"\r\n',
    );
  });

  it('JSON Lines per image and per box', async () => {
    const perImage = await run(detectionJob().slice(1, 2), { format: 'jsonl' });
    expect(JSON.parse(perImage.files.get('images.jsonl')!)).toEqual({
      image_id: 'id-2',
      file_name: 'id-2',
      width: 100,
      height: 80,
      tag_count: 1,
      tags: ['狗 (大)'],
      boxes: [{ tag: '狗 (大)', xmin: 5.5, ymin: 6.25, xmax: 50, ymax: 60 }],
    });
    const perBox = await run(detectionJob(), { format: 'jsonl', rows: 'box' });
    const rows = perBox.files
      .get('boxes.jsonl')!
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows).toHaveLength(5);
    expect(rows[1]).toEqual({
      image_id: 'id-1',
      file_name: 'id-1',
      width: 640,
      height: 480,
      tag: 'a<b>&"c\'',
      xmin: 0,
      ymin: 0,
      xmax: 640,
      ymax: 480,
    });
  });
});

describe('every format', () => {
  it('skips and reports an image that comes twice, and reports progress', async () => {
    const images = [...detectionJob(), detectionJob()[0]!];
    const seen: number[] = [];
    const exported = exportLabels(images, { format: 'jsonl', onProgress: ({ done, total }) => seen.push(done, total!) });
    await collect(exported.files());
    expect(exported.report().notes).toEqual([expect.objectContaining({ kind: 'duplicateImage', count: 1, imageIds: ['id-1'] })]);
    expect(seen).toEqual([4, 5]);
  });

  it('streams: a large job comes out in chunks, not one string', async () => {
    const images = Array.from({ length: 5000 }, (_, i) => detection(`img-${i}`, [['猫', 1, 2, 3, 4]], [10, 10]));
    const exported = exportLabels(images, { format: 'coco' });
    let chunks = 0;
    for await (const file of exported.files()) {
      for await (const chunk of file.content as AsyncIterable<string>) {
        expect(chunk.length).toBeLessThan(200_000);
        chunks++;
      }
    }
    expect(chunks).toBeGreaterThan(5);
  });
});
