/**
 * The core entry point: everything of the package root except the Node.js
 * defaults. It references no timers, `process` or `globalThis`, so it can be
 * bundled into hosts with sandbox rules (n8n); the host injects `runtime.sleep`.
 */
export {
  ModelArtsClient,
  PartialResultError,
  type FailedImage,
  type GetImageTagsOptions,
  type GetImageTagsParams,
  type ImageTagsBatch,
  type ImageTagsResult,
  type Logger,
  type ModelArtsClientOptions,
  type Progress,
} from './client.js';
export * from './errors.js';
export {
  computeSignature,
  formatSdkDate,
  signRequest,
  type AkSkCredentials,
  type SignableRequest,
  type SignatureParts,
  type SignOptions,
} from './auth/signing.js';
export { noAuth, type AuthContext, type AuthOption, type AuthStrategy, type OutgoingRequest, type TokenProvider } from './auth/strategies.js';
export { BodyLimitExceededError, type Transport, type TransportRequest, type TransportResponse } from './http/transport.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './http/retry.js';
export type {
  BoundingBox,
  ClassificationImageTags,
  DetectionBox,
  DetectionImageTags,
  ImageSize,
  ImageTags,
  JobType,
} from './image-tags.js';
export { MAX_IMAGE_ID_LENGTH } from './input.js';
export type { Runtime, RuntimeOptions } from './runtime/runtime.js';
