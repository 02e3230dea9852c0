/** Everything the core entry exports; the package root exports it too, with Node.js defaults. */
export { ModelArtsCoreClient } from './client.js';
export type {
  FailedImage,
  GetImageTagsOptions,
  GetImageTagsParams,
  ImageOutcome,
  ImageTagsBatch,
  ImageTagsResult,
  Logger,
  ModelArtsClientOptions,
  PerIdOutcomes,
  Progress,
} from './types.js';
export type {
  AllImageTagsBatch,
  AnnotationJob,
  CallOptions,
  DeleteImagesOptions,
  GetAllImageTagsOptions,
  ImageTagsInput,
  ListedImage,
  ListImagesOptions,
  ListImagesParams,
  ListJobsOptions,
  ObsSyncState,
  ObsSyncStatus,
  SetImageTagsOptions,
  SyncFromObsOptions,
  TagStatistics,
  ValidationData,
  WriteResult,
} from './annotation-types.js';
export { IncompleteListingError, ObsSyncFailedError, PartialWriteError } from './job-errors.js';
export * from './errors.js';
export * from './api-errors.js';
export { PartialResultError } from './partial-result-error.js';
export { CallbackError } from './callback-error.js';
export {
  computeSignature,
  formatSdkDate,
  signRequest,
  type AkSkCredentials,
  type SignableRequest,
  type SignatureParts,
  type SignOptions,
} from './auth/signing.js';
export {
  noAuth,
  type AuthContext,
  type AuthOption,
  type AuthStrategy,
  type OutgoingRequest,
  type TokenProvider,
} from './auth/strategies.js';
export { BodyDecodingError, BodyLimitExceededError, type Transport, type TransportRequest, type TransportResponse } from './transport.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../internal/retry/policy.js';
export type {
  BoundingBox,
  ClassificationImageTags,
  DetectionBox,
  DetectionImageTags,
  ImageSize,
  ImageTags,
  JobType,
} from './image-tags.js';
export type { Runtime, RuntimeOptions } from './clock.js';
// The shared rules.
export { isLoopback, REGION_PATTERN, resolveEndpoint, type EndpointOptions, type EndpointWording } from './endpoint.js';
export {
  assertAnnotationId,
  assertProjectId,
  controlCharacterAt,
  IDENTIFIER_PATTERN,
  imageIdProblem,
  isIdentifier,
  MAX_IMAGE_ID_LENGTH,
  mergeImageIds,
  normalizeImageIds,
} from './ids.js';
export { checkImageTagsInput } from './image-tags-input.js';
export { describeType, escapeUnprintable, previewValue } from './preview.js';
export { untilStopped } from './until-stopped.js';
export { CREDENTIAL_HEADERS, credentialValues, redact, redactedError, REDACTED, secretValues } from './redaction.js';
