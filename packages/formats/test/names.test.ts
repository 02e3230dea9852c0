import { describe, expect, it } from 'vitest';
import { NameMappingError, parseNameMapping } from '../src/index.js';

describe('parseNameMapping', () => {
  it('reads image_id,file_name rows with an optional header, quotes, a BOM, CRLF and comments', () => {
    const text =
      '\ufeffimage_id,url\r\n# exported from the image list\r\nid-1,s3://bucket/a.jpg\r\n"id-2","图片, 2.png"\r\n\r\n"id ""3""",c.jpg\n';
    expect([...parseNameMapping(text)]).toEqual([
      ['id-1', 's3://bucket/a.jpg'],
      ['id-2', '图片, 2.png'],
      ['id "3"', 'c.jpg'],
    ]);
  });

  it.each([
    ['id-1\n', /line 1: expected 2 columns \(image_id,file_name\), found 1/],
    ['id-1,a.jpg,extra\n', /line 1: expected 2 columns/],
    ['id-1,"a.jpg\nid-2,b.jpg\n', /line 1: a quoted field is never closed/],
    ['id-1,a"b.jpg\n', /line 1: a quote inside an unquoted field/],
    ['id-1,"a"b\n', /line 1: text after a closing quote/],
    [',a.jpg\n', /line 1: the image ID is empty/],
    ['id-1,\n', /line 1: the file name of image id-1 is empty/],
    ['id-1,a.jpg\nid-1,b.jpg\n', /line 2: image id-1 is mapped twice, to "a.jpg" and "b.jpg"/],
    ['id-1,a.jpg\nid-2,a.jpg\n', /line 2: "a.jpg" is the file name of both id-1 and id-2/],
    ['id-1,"a\tb.jpg"\n', /control character/],
    ['id-1,s3://bucket/dir/\n', /does not end in a file name/],
    ['id-1,..\n', /does not end in a file name/],
    ['id-1,a*b.jpg\n', /Windows cannot store/],
  ])('rejects %j with a message that names the line', (text, message) => {
    expect(() => parseNameMapping(text, 'names.csv')).toThrow(NameMappingError);
    expect(() => parseNameMapping(text, 'names.csv')).toThrow(message);
  });

  it('accepts a row repeated with the same name', () => {
    expect(parseNameMapping('a,x.jpg\na,x.jpg\n').size).toBe(1);
  });
});
