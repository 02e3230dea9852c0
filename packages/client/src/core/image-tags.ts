/** The tags of an image as the client returns them: typed, with corners ordered, unknown fields kept. */

export type JobType = 'classification' | 'detection';

export interface ClassificationImageTags {
  type: 'classification';
  imageId: string;
  /** Tag names. */
  tags: string[];
  /** Fields the service sent that this client does not model, kept as they came. */
  extra: Record<string, unknown>;
}

export interface BoundingBox {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

export interface DetectionBox {
  tag: string;
  /** In pixels; corners are ordered so that min <= max. */
  box: BoundingBox;
  extra: Record<string, unknown>;
}

export interface ImageSize {
  width: number;
  height: number;
  depth?: number;
}

export interface DetectionImageTags {
  type: 'detection';
  imageId: string;
  tags: DetectionBox[];
  size?: ImageSize;
  extra: Record<string, unknown>;
}

export type ImageTags = ClassificationImageTags | DetectionImageTags;
