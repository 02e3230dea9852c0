export { startEmulator, type EmulatorJobs, type RunningEmulator } from './emulator.js';
export type { JobListEntry, StateInspection } from './inspection.js';
export { DEFAULT_OBS_SYNC, type ObsSyncOutcome, type ObsSyncSettings, type SyncStatus } from './state/obs-sync.js';
export { DEFAULT_BODY_LIMIT_BYTES, type EmulatorOptions } from './options.js';
export {
  CLASSIFICATION_JOB_ID,
  DEFAULT_CREDENTIALS,
  DEFAULT_IMAGES_PER_JOB,
  DEFAULT_PROJECT_ID,
  DEFAULT_SEED,
  DEFAULT_TOKEN,
  DETECTION_JOB_ID,
  DETECTION_STRING_TAGS_JOB_ID,
  PRODUCT_CLASSIFICATION_JOB_ID,
  SHELF_DETECTION_JOB_ID,
} from './constants.js';
export type { JobInfo } from './data/job-catalog.js';
export type {
  ClassificationEntry,
  DetectionBox,
  DetectionEntry,
  JobType,
  WireEntry,
} from './data/entries.js';
export {
  DEFAULT_FAULT_DELAY_MS,
  DEFAULT_RETRY_AFTER_SECONDS,
  FAULT_KINDS,
  type FaultConfig,
  type FaultKind,
  type FaultSettings,
} from './faults/fault-config.js';
export type { EmulatorStats } from './stats.js';
export type { AccessKeyPair } from './auth/signature-verifier.js';
