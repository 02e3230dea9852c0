import type { input } from 'zod/mini';
import { expectTypeOf, test } from 'vitest';
import type {
  AnnotationJob,
  DeleteImagesRequest,
  DetectionTag,
  ImageTagsUpdate,
  ListAnnotationJobsResponse,
  ListedImage,
  ListImagesResponse,
  ListTagsResponse,
  ProgressDetail,
  ResultStatus,
  SaveValidationRequest,
  ShowImageTagResponse,
  ShowObsSyncStatusResponse,
  ShowTagStatisticsResponse,
  ShowValidationResponse,
  TagCount,
  TaggedCount,
  UpdateImageTagsRequest,
  ValidationImage,
} from '../../generated/index.js';
import type { Shape } from '../../../test/support/shape.js';
import type { FamilySchemas } from './family-schemas.js';

/**
 * The family's zod schemas against the generated types, as schemas.test-d.ts
 * does for tags/show. The generator renders the spec's `anyOf` of tag lists
 * (AnyImageTags, ImageTagsUpdate.tags) as an empty interface, so those
 * fields are compared with the union the spec lists, built from generated
 * parts, and the rest of each object is compared whole.
 */
type Schema<K extends keyof FamilySchemas> = Shape<input<FamilySchemas[K]>>;
/** The spec's AnyImageTags: tag names, boxes, or boxes as a JSON string. */
type AnyImageTags = Shape<string[] | DetectionTag[] | string>;

test('result status = generated ResultStatus', () => {
  expectTypeOf<Schema<'resultStatus'>>().toEqualTypeOf<Shape<ResultStatus>>();
});

test('job list: job, progress detail and response = generated types', () => {
  expectTypeOf<Schema<'progressDetail'>>().toEqualTypeOf<Shape<ProgressDetail>>();
  expectTypeOf<Schema<'annotationJob'>>().toEqualTypeOf<Shape<AnnotationJob>>();
  expectTypeOf<Schema<'listJobsResponse'>>().toEqualTypeOf<Shape<ListAnnotationJobsResponse>>();
});

test('image list: entry and response = generated types, tags as the spec lists them', () => {
  expectTypeOf<Omit<Schema<'listedImage'>, 'tags'>>().toEqualTypeOf<Omit<Shape<ListedImage>, 'tags'>>();
  expectTypeOf<Schema<'listedImage'>['tags']>().toEqualTypeOf<AnyImageTags | undefined>();
  expectTypeOf<Omit<Schema<'listImagesResponse'>, 'images'>>().toEqualTypeOf<Omit<Shape<ListImagesResponse>, 'images'>>();
});

test('one image, tag list and statistics = generated types', () => {
  expectTypeOf<Omit<Schema<'showImageTagResponse'>, 'tags'>>().toEqualTypeOf<Omit<Shape<ShowImageTagResponse>, 'tags'>>();
  expectTypeOf<Schema<'showImageTagResponse'>['tags']>().toEqualTypeOf<AnyImageTags | undefined>();
  expectTypeOf<Schema<'listTagsResponse'>>().toEqualTypeOf<Shape<ListTagsResponse>>();
  expectTypeOf<Schema<'tagCount'>>().toEqualTypeOf<Shape<TagCount>>();
  expectTypeOf<Schema<'taggedCount'>>().toEqualTypeOf<Shape<TaggedCount>>();
  expectTypeOf<Schema<'tagStatisticsResponse'>>().toEqualTypeOf<Shape<ShowTagStatisticsResponse>>();
});

test('OBS sync status = generated type, its enum included', () => {
  expectTypeOf<Schema<'syncStatusResponse'>>().toEqualTypeOf<Shape<ShowObsSyncStatusResponse>>();
});

test('validation data = generated types', () => {
  expectTypeOf<Omit<Schema<'validationImage'>, 'tags'>>().toEqualTypeOf<Omit<Shape<ValidationImage>, 'tags'>>();
  expectTypeOf<Schema<'validationImage'>['tags']>().toEqualTypeOf<AnyImageTags | undefined>();
  expectTypeOf<Omit<Schema<'validationResponse'>, 'images'>>().toEqualTypeOf<Omit<Shape<ShowValidationResponse>, 'images'>>();
});

test('write requests = generated types', () => {
  expectTypeOf<Omit<Schema<'imageTagsUpdate'>, 'tags'>>().toEqualTypeOf<Omit<Shape<ImageTagsUpdate>, 'tags'>>();
  expectTypeOf<Schema<'imageTagsUpdate'>['tags']>().toEqualTypeOf<Shape<string[] | DetectionTag[]>>();
  expectTypeOf<Omit<Schema<'updateImageTagsRequest'>, 'images'>>().toEqualTypeOf<Omit<Shape<UpdateImageTagsRequest>, 'images'>>();
  expectTypeOf<Schema<'deleteImagesRequest'>>().toEqualTypeOf<Shape<DeleteImagesRequest>>();
  expectTypeOf<Schema<'saveValidationRequest'>>().toEqualTypeOf<Shape<SaveValidationRequest>>();
});
