import {
  array,
  boolean,
  int,
  literal,
  lte,
  gte,
  looseObject,
  maxLength,
  minLength,
  nonnegative,
  number,
  object,
  optional,
  regex,
  string,
  union,
} from 'zod/mini';

/**
 * The wire shapes of the annotation-job family (job list, image list, one
 * image's tags, tag list and statistics, OBS sync status, validation) and
 * of the write requests, from the same spec as schemas.ts. The type-level
 * test (family-schemas.test-d.ts) holds them to the generated types.
 * Objects are loose: fields the service adds later are kept.
 */
export function defineFamilySchemas() {
  const resultFields = {
    is_success: boolean(),
    error_code: optional(string()),
    error_msg: optional(string()),
  };
  const resultStatus = looseObject(resultFields);

  // Documented as strings in places: a string of digits is a count too.
  const count = union([number().check(int(), nonnegative()), string().check(regex(/^[0-9]{1,15}$/))]);
  const tagNames = array(string());
  const detectionTag = looseObject({ tag: string(), pos: array(number()).check(minLength(4), maxLength(4)) });
  const detectionTags = array(detectionTag);
  const anyImageTags = union([tagNames, detectionTags, string()]);
  const imageSize = array(number().check(int(), nonnegative())).check(minLength(2), maxLength(3));
  const numberOrString = union([number().check(int()), string()]);

  const progressDetail = looseObject({
    total_count: optional(count),
    has_tag_count: optional(count),
    not_tag_count: optional(count),
  });
  const annotationJob = looseObject({
    id: string(),
    name: optional(string()),
    description: optional(string()),
    data_type: optional(numberOrString),
    path: optional(string()),
    filter_name: optional(string()),
    type: optional(string()),
    create_time: optional(numberOrString),
    dls_prj_id: union([number().check(int(), nonnegative()), string().check(regex(/^[A-Za-z0-9._-]{1,128}$/))]),
    progress: optional(union([number(), string()])),
    progress_detail: optional(progressDetail),
  });
  const listJobsResponse = looseObject({
    ...resultFields,
    job_total_count: optional(number().check(int(), nonnegative())),
    manual_annotation_count_limit: optional(number().check(int())),
    jobs: optional(array(annotationJob)),
  });

  const listedImage = looseObject({
    image_id: string(),
    url: optional(string()),
    tags: optional(anyImageTags),
    size: optional(imageSize),
  });
  const listImagesResponse = looseObject({
    ...resultFields,
    image_count: optional(number().check(int(), nonnegative())),
    images: optional(array(listedImage)),
  });
  const showImageTagResponse = looseObject({
    ...resultFields,
    image_id: optional(string()),
    tags: optional(anyImageTags),
    size: optional(imageSize),
  });
  const listTagsResponse = looseObject({ ...resultFields, tags: optional(tagNames) });
  const tagCount = looseObject({ tag: string(), count: number().check(int(), nonnegative()) });
  const taggedCount = looseObject({ has_tag: boolean(), count: number().check(int(), nonnegative()) });
  const tagStatisticsResponse = looseObject({
    ...resultFields,
    tag_count: optional(array(tagCount)),
    tags_stat: optional(array(taggedCount)),
  });
  const syncStatusResponse = looseObject({
    ...resultFields,
    sync_status: optional(union([literal(0), literal(1), literal(2), literal(3)])),
  });
  const validationImage = looseObject({ image_id: string(), url: optional(string()), tags: optional(anyImageTags) });
  const validationResponse = looseObject({
    ...resultFields,
    image_count: optional(number().check(int(), nonnegative())),
    images: optional(array(validationImage)),
    last_pass_rate: optional(number()),
    last_validation_time: optional(numberOrString),
  });

  const imageId = string().check(minLength(1), maxLength(1024));
  const imageTagsUpdate = object({
    image_id: imageId,
    tags: union([tagNames, detectionTags]),
    size: optional(imageSize),
  });
  const updateImageTagsRequest = object({
    images: array(imageTagsUpdate).check(minLength(1), maxLength(1000)),
    size: optional(imageSize),
  });
  const deleteImagesRequest = object({ image_id: array(imageId).check(minLength(1), maxLength(1000)) });
  const saveValidationRequest = object({ pass_rate: number().check(gte(0), lte(100)) });

  return {
    resultStatus,
    count,
    anyImageTags,
    progressDetail,
    annotationJob,
    listJobsResponse,
    listedImage,
    listImagesResponse,
    showImageTagResponse,
    listTagsResponse,
    tagCount,
    taggedCount,
    tagStatisticsResponse,
    syncStatusResponse,
    validationImage,
    validationResponse,
    imageTagsUpdate,
    updateImageTagsRequest,
    deleteImagesRequest,
    saveValidationRequest,
  };
}

export type FamilySchemas = ReturnType<typeof defineFamilySchemas>;
