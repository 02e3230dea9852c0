import { deleteImage, deleteImages, listImages, showImageTag, updateImageTags } from './images.js';
import { listAnnotationJobs, saveValidation, showValidation } from './jobs.js';
import { showObsSyncStatus, startObsSync } from './obs-sync.js';
import { listTags, showTagStatistics } from './tags.js';
import { showImageTags } from './tags-show.js';
import type { OperationHandler } from './types.js';

/** The handler of every operation of the OpenAPI document, by operationId. */
export const OPERATION_HANDLERS: Readonly<Record<string, OperationHandler>> = Object.freeze({
  showImageTags,
  listAnnotationJobs,
  showValidation,
  saveValidation,
  listImages,
  updateImageTags,
  deleteImages,
  deleteImage,
  showImageTag,
  listTags,
  showTagStatistics,
  startObsSync,
  showObsSyncStatus,
});
