import {
  array,
  boolean,
  compile,
  config,
  int,
  length,
  looseObject,
  maxLength,
  minLength,
  nonnegative,
  number,
  object,
  optional,
  string,
  union,
  unknown,
} from 'zod/mini';
import type { $ZodIssue, ParseContext, SomeType } from 'zod/v4/core';
import en from 'zod/v4/locales/en.js';
import { defineFamilySchemas, type FamilySchemas } from './family-schemas.js';

/**
 * The wire shapes of the OpenAPI document, as runtime validators. A
 * type-level test (schemas.test-d.ts) proves they describe the same shapes
 * as the generated types, so the spec, the types and these cannot drift.
 * Objects are loose: fields the service adds later are kept, never rejected.
 */
function defineWireSchemas() {
  const request = object({
    image_id: array(string().check(minLength(1), maxLength(1024))).check(minLength(1)),
  });

  const detectionTag = looseObject({
    tag: string(),
    pos: array(number()).check(length(4)),
  });

  const classificationEntry = looseObject({
    image_id: string(),
    tags: array(string()),
  });

  const detectionEntry = looseObject({
    image_id: string(),
    // The docs type this as a string in one table and as a list in another; accept both.
    tags: union([array(detectionTag), string()]),
    size: optional(array(number().check(int(), nonnegative())).check(minLength(2), maxLength(3))),
  });

  const entry = union([classificationEntry, detectionEntry]);

  const responseFields = {
    is_success: boolean(),
    error_code: optional(string()),
    error_msg: optional(string()),
  };

  const response = looseObject({
    ...responseFields,
    images_tags: optional(array(entry)),
  });

  // The response with its entries left unchecked, for checking each entry
  // against the one shape its content points to (see image-tags.ts) instead
  // of trying both shapes of the union in turn.
  const envelope = looseObject({
    ...responseFields,
    images_tags: optional(array(unknown())),
  });

  const errorBody = looseObject({
    error_code: string(),
    error_msg: string(),
  });

  // Used where a tags string has been parsed: it must hold the boxes.
  const detectionTags = array(detectionTag);

  return { request, detectionTag, classificationEntry, detectionEntry, entry, response, envelope, errorBody, detectionTags };
}

export type WireSchemas = ReturnType<typeof defineWireSchemas>;

export interface Validation {
  schemas: WireSchemas;
  /** The other operations' shapes; their bodies are small, so they are not compiled. */
  family: FamilySchemas;
  /**
   * The checks of a response, compiled: zod's compile() generates a schema's
   * checks as one function, several times faster than its interpreter.
   * Input a compiled check rejects is parsed again by the interpreter, which
   * finds the issues, so results and messages are the same. Where zod is set
   * `jitless` (the n8n node: its host forbids generating code) these are the
   * schemas themselves.
   */
  compiled: Pick<WireSchemas, 'envelope' | 'classificationEntry' | 'detectionEntry' | 'detectionTags'> & {
    size: WireSchemas['detectionEntry']['shape']['size'];
  };
  /**
   * Pass to every parse: English messages (zod/mini loads none). Given per
   * parse rather than set with zod's global `config()`, which would change
   * the settings of every other copy of zod in the process.
   */
  options: ParseContext<$ZodIssue>;
}

/** The schemas and their compiled checks; see validation.ts for when this runs. */
export function buildValidation(): Validation {
  const schemas = defineWireSchemas();
  const jit = !config().jitless;
  const compiled = <T extends SomeType>(schema: T): T => (jit ? compile(schema) : schema);
  return {
    schemas,
    family: defineFamilySchemas(),
    compiled: {
      envelope: compiled(schemas.envelope),
      classificationEntry: compiled(schemas.classificationEntry),
      detectionEntry: compiled(schemas.detectionEntry),
      detectionTags: compiled(schemas.detectionTags),
      size: compiled(schemas.detectionEntry.shape.size),
    },
    options: { error: en().localeError },
  };
}
