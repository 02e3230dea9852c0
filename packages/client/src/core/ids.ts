import { ConfigurationError, InputValidationError } from './errors.js';
import { previewValue } from './preview.js';

/**
 * The ID rules every surface applies before a request is sent: project and
 * annotation job IDs become URL path segments, image IDs go in the body.
 */

/**
 * Project and annotation job IDs: letters, digits, `.`, `_` and `-`, 1 to
 * 128 characters. Not `.` or `..`: as a path segment the URL parser would
 * resolve it, and the request would go to another path.
 */
export const IDENTIFIER_PATTERN = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,128}$/;

export const MAX_IMAGE_ID_LENGTH = 1024;

/** Whether `value` may be a project or annotation job ID. */
export function isIdentifier(value: unknown): value is string {
  return typeof value === 'string' && IDENTIFIER_PATTERN.test(value);
}

export function assertProjectId(projectId: unknown): string {
  if (!isIdentifier(projectId)) {
    throw new ConfigurationError(
      `The project ID ${previewValue(projectId)} is not valid: it is the 32-character ID shown under My Credentials > API Credentials for the region`,
    );
  }
  return projectId;
}

export function assertAnnotationId(annotationId: unknown): string {
  if (!isIdentifier(annotationId)) {
    throw new InputValidationError(
      `The annotation job ID ${previewValue(annotationId)} is not valid: it may only contain letters, digits, ".", "_" and "-" (1 to 128 characters, not "." or ".."); it is the job ID in the ModelArts console URL of the labelling job`,
    );
  }
  return annotationId;
}

/** The position of the first C0 or C1 control character or DEL (never part of an ID, usually a paste or parsing accident), or -1. */
export function controlCharacterAt(text: string): number {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return index;
  }
  return -1;
}

/**
 * What is wrong with a trimmed, non-empty image ID, as the end of a
 * sentence whose subject names the ID (`imageIds[3]`, `Image ID number 4`);
 * undefined when it is fine.
 */
export function imageIdProblem(id: string): string | undefined {
  if (id.length > MAX_IMAGE_ID_LENGTH) {
    return `is ${id.length} characters long (${previewValue(id)}); image IDs are at most ${MAX_IMAGE_ID_LENGTH}`;
  }
  const position = controlCharacterAt(id);
  if (position >= 0) {
    const code = id.charCodeAt(position).toString(16).toUpperCase().padStart(4, '0');
    return `${previewValue(id)} contains the control character U+${code} at position ${position}`;
  }
  return undefined;
}

/** Lists normalizeImageIds returned: getImageTags does not check them a second time. */
const checkedLists = new WeakSet<readonly string[]>();

/**
 * Checks every ID before anything is sent, trims surrounding white space and
 * drops repeats (keeping the first position). Errors name the position and
 * the value, so the caller can find it in their own list; `subject` words
 * the position for another surface (`Image ID number 3`). The list returned
 * is remembered, so a host that checks its IDs first (the n8n node, per
 * item) hands the client IDs it does not check again; it is read-only (not
 * frozen: V8 reads a frozen array of a million IDs markedly slower).
 */
export function normalizeImageIds(
  imageIds: unknown,
  subject: (index: number) => string = (index) => `imageIds[${index}]`,
): readonly string[] {
  if (Array.isArray(imageIds) && checkedLists.has(imageIds)) return imageIds;
  if (!Array.isArray(imageIds)) {
    throw new InputValidationError(`imageIds must be an array of strings, not ${previewValue(imageIds)}`);
  }
  if (imageIds.length === 0) {
    throw new InputValidationError('imageIds is empty: give at least one image ID');
  }
  const seen = new Set<string>();
  const unique: string[] = [];
  for (let index = 0; index < imageIds.length; index++) {
    const raw: unknown = imageIds[index];
    if (typeof raw !== 'string') {
      throw new InputValidationError(
        `${subject(index)} is ${raw === null ? 'null' : typeof raw} ${previewValue(raw)}, not a string`,
        index,
      );
    }
    const id = raw.trim();
    if (id === '') {
      throw new InputValidationError(`${subject(index)} is empty`, index);
    }
    const problem = imageIdProblem(id);
    if (problem !== undefined) throw new InputValidationError(`${subject(index)} ${problem}`, index);
    if (!seen.has(id)) {
      seen.add(id);
      unique.push(id);
    }
  }
  return remember(unique);
}

/**
 * Lists of checked IDs (from normalizeImageIds) joined into one, each ID
 * once in order of first appearance, without checking them again. A list
 * that was not checked is checked here.
 */
export function mergeImageIds(lists: Iterable<readonly string[]>): readonly string[] {
  const seen = new Set<string>();
  const merged: string[] = [];
  for (const list of lists) {
    for (const id of checkedLists.has(list) ? list : normalizeImageIds(list)) {
      if (!seen.has(id)) {
        seen.add(id);
        merged.push(id);
      }
    }
  }
  if (merged.length === 0) throw new InputValidationError('imageIds is empty: give at least one image ID');
  return remember(merged);
}

function remember(ids: string[]): readonly string[] {
  checkedLists.add(ids);
  return ids;
}
