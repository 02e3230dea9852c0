import type { input } from 'zod/mini';
import { expectTypeOf, test } from 'vitest';
import type {
  ClassificationImageTags,
  DetectionImageTags,
  DetectionTag,
  ErrorBody,
  ShowImageTagsRequest,
  ShowImageTagsResponse,
} from '../../generated/index.js';
import type { Shape } from '../../../test/support/shape.js';
import type { WireSchemas } from './schemas.js';

test('request schema = generated ShowImageTagsRequest', () => {
  expectTypeOf<Shape<input<WireSchemas['request']>>>().toEqualTypeOf<Shape<ShowImageTagsRequest>>();
});

test('detection tag schema = generated DetectionTag', () => {
  expectTypeOf<Shape<input<WireSchemas['detectionTag']>>>().toEqualTypeOf<Shape<DetectionTag>>();
});

test('classification entry schema = generated ClassificationImageTags', () => {
  expectTypeOf<Shape<input<WireSchemas['classificationEntry']>>>().toEqualTypeOf<Shape<ClassificationImageTags>>();
});

test('detection entry schema = generated DetectionImageTags (tags as array or JSON string)', () => {
  expectTypeOf<Shape<input<WireSchemas['detectionEntry']>>>().toEqualTypeOf<Shape<DetectionImageTags>>();
});

test('an images_tags entry is one of the two job types, as the spec says', () => {
  expectTypeOf<Shape<input<WireSchemas['entry']>>>().toEqualTypeOf<Shape<ClassificationImageTags | DetectionImageTags>>();
});

test('response schema = generated ShowImageTagsResponse (apart from the entry union, checked above)', () => {
  expectTypeOf<Omit<Shape<input<WireSchemas['response']>>, 'images_tags'>>().toEqualTypeOf<
    Omit<Shape<ShowImageTagsResponse>, 'images_tags'>
  >();
  expectTypeOf<keyof ShowImageTagsResponse>().toEqualTypeOf<'is_success' | 'error_code' | 'error_msg' | 'images_tags'>();
});

test('error body schema = generated ErrorBody', () => {
  expectTypeOf<Shape<input<WireSchemas['errorBody']>>>().toEqualTypeOf<Shape<ErrorBody>>();
});
