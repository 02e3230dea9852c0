import { describeValue, IDENTIFIER_PATTERN } from './endpoint.js';
import { InputValidationError } from './errors.js';

export const MAX_IMAGE_ID_LENGTH = 1024;
// C0 controls, DEL and C1 controls: never part of an ID, usually a paste or parsing accident.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

export function assertAnnotationId(annotationId: unknown): string {
  if (typeof annotationId !== 'string' || !IDENTIFIER_PATTERN.test(annotationId)) {
    throw new InputValidationError(
      `The annotation job ID ${describeValue(annotationId)} is not valid: it may only contain letters, digits, ".", "_" and "-" (1 to 128 characters, not "." or ".."); it is the job ID in the ModelArts console URL of the labelling job`,
    );
  }
  return annotationId;
}

/**
 * Checks every ID before anything is sent, trims surrounding white space and
 * drops repeats (keeping the first position). Errors name the position and
 * the value, so the caller can find it in their own list.
 */
export function normalizeImageIds(imageIds: unknown): string[] {
  if (!Array.isArray(imageIds)) {
    throw new InputValidationError(`imageIds must be an array of strings, not ${describeValue(imageIds)}`);
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
        `imageIds[${index}] is ${raw === null ? 'null' : typeof raw} ${describeValue(raw)}, not a string`,
        index,
      );
    }
    const id = raw.trim();
    if (id === '') {
      throw new InputValidationError(`imageIds[${index}] is empty`, index);
    }
    if (id.length > MAX_IMAGE_ID_LENGTH) {
      throw new InputValidationError(
        `imageIds[${index}] is ${id.length} characters long (${describeValue(id)}); image IDs are at most ${MAX_IMAGE_ID_LENGTH}`,
        index,
      );
    }
    const control = CONTROL_CHARACTER.exec(id);
    if (control) {
      const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      throw new InputValidationError(
        `imageIds[${index}] ${describeValue(id)} contains the control character U+${code} at offset ${control.index}`,
        index,
      );
    }
    if (!seen.has(id)) {
      seen.add(id);
      unique.push(id);
    }
  }
  return unique;
}
