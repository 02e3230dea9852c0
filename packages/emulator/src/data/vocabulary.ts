// Tag names and image sizes the seeded jobs draw from. A few tag names are
// Chinese, as in real ModelArts projects, so that clients meet non-ASCII text.

export const CLASSIFICATION_TAGS: readonly string[] = [
  'animal',
  'fish',
  'bird',
  'cat',
  'dog',
  'flower',
  'tree',
  'car',
  'truck',
  'bicycle',
  'building',
  'person',
  'food',
  'landscape',
  'night',
  'indoor',
  '猫',
  '花',
];

export const DETECTION_TAGS: readonly string[] = [
  'person',
  'car',
  'bicycle',
  'dog',
  'cat',
  'traffic light',
  'stop sign',
  'flower',
  'bird',
  'boat',
  'bus',
  '行人',
];

/** [width, height] pairs: landscape, portrait, square and panoramic images. */
export const IMAGE_SIZES: readonly (readonly [number, number])[] = [
  [1920, 1080],
  [1280, 720],
  [640, 480],
  [800, 600],
  [1024, 1024],
  [512, 512],
  [1080, 1920],
  [720, 1280],
  [3024, 4032],
  [4032, 3024],
  [2560, 1080],
  [300, 200],
];

/** Colour depth written as the optional third element of `size`. */
export const IMAGE_DEPTH = 3;
