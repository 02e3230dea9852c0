import { describe, expect, it } from 'vitest';
import { PathTemplate } from './path-template.js';

describe('PathTemplate', () => {
  const template = new PathTemplate('/v1/{project_id}/data-annotations/{data_annotation_id}/tags/show');

  it('captures and decodes the parameters', () => {
    expect(template.parameterNames).toEqual(['project_id', 'data_annotation_id']);
    expect(template.match('/v1/p1/data-annotations/2%38%37/tags/show')).toEqual({
      project_id: 'p1',
      data_annotation_id: '287',
    });
  });

  it('rejects other paths, extra segments and trailing slashes', () => {
    expect(template.match('/v1/p1/data-annotations/287/tags')).toBeUndefined();
    expect(template.match('/v1/p1/data-annotations/287/tags/show/')).toBeUndefined();
    expect(template.match('/v1/p1/x/data-annotations/287/tags/show')).toBeUndefined();
    expect(template.match('/v1//data-annotations/287/tags/show')).toBeUndefined();
  });

  it('reports a malformed percent-encoding as null', () => {
    expect(template.match('/v1/p1/data-annotations/%zz/tags/show')).toEqual({
      project_id: 'p1',
      data_annotation_id: null,
    });
  });

  it('treats regular-expression characters in the template literally', () => {
    const dotted = new PathTemplate('/a.b/{id}');
    expect(dotted.match('/a.b/1')).toEqual({ id: '1' });
    expect(dotted.match('/axb/1')).toBeUndefined();
  });
});
