/** The project the emulator serves unless told otherwise (32 lower-case hex, like real project IDs). */
export const DEFAULT_PROJECT_ID = '0123456789abcdef0123456789abcdef';

/** The IAM token (`X-Auth-Token`) the emulator accepts unless told otherwise. */
export const DEFAULT_TOKEN = 'emulator-token';

/** The AK/SK pair the emulator accepts unless told otherwise. Not a real credential. */
export const DEFAULT_CREDENTIALS: Readonly<{ accessKey: string; secretKey: string }> = Object.freeze({
  accessKey: 'EMULATORAK0123456789',
  secretKey: 'emulator-secret-key/0123456789+abcdefghij',
});

/** Job IDs follow the numeric examples of Huawei's documentation. */
export const CLASSIFICATION_JOB_ID = '282';
export const DETECTION_JOB_ID = '287';
/** A detection job whose `tags` go over the wire as a string holding the JSON array, as some deployments do. */
export const DETECTION_STRING_TAGS_JOB_ID = '288';
/** A classification job with a Chinese name, most of whose images are not tagged yet. */
export const PRODUCT_CLASSIFICATION_JOB_ID = '301';
/** A detection job about a third of whose images are not tagged yet. */
export const SHELF_DETECTION_JOB_ID = '302';

export const DEFAULT_SEED = 20240102;
export const DEFAULT_IMAGES_PER_JOB = 5000;
