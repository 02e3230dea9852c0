import {
  CLASSIFICATION_JOB_ID,
  DETECTION_JOB_ID,
  DETECTION_STRING_TAGS_JOB_ID,
  PRODUCT_CLASSIFICATION_JOB_ID,
  SHELF_DETECTION_JOB_ID,
} from '../constants.js';

/** What the job list says about a seeded job besides its images. */
export interface JobRecord {
  /** The job ID of the annotation-job operations (a UUID). */
  readonly uuid: string;
  /** The `data_annotation_id` (`dls_prj_id`) of the data-annotation operations. */
  readonly dlsId: string;
  readonly name: string;
  readonly description: string;
  /** The OBS path of the images, `/bucket/folder/`. */
  readonly path: string;
  /** Epoch milliseconds. */
  readonly createTime: number;
}

/** The seeded jobs of the job list, in creation order. Fixed, whatever the seed. */
export const JOB_RECORDS: readonly JobRecord[] = Object.freeze([
  {
    uuid: '6b7c1a52-4d0e-4b55-9b39-2f6a0b1c9e11',
    dlsId: CLASSIFICATION_JOB_ID,
    name: 'photo-themes',
    description: 'What each photo shows: animals, vehicles, scenes',
    path: '/modelarts-kit-demo/photo-themes/',
    createTime: Date.UTC(2024, 0, 2, 9, 0, 0),
  },
  {
    uuid: '0d2f4a6e-1b3c-4e5f-8a9b-7c6d5e4f3a21',
    dlsId: DETECTION_JOB_ID,
    name: 'street-objects',
    description: 'People, vehicles and signs in street scenes',
    path: '/modelarts-kit-demo/street-objects/',
    createTime: Date.UTC(2024, 0, 9, 14, 30, 0),
  },
  {
    uuid: 'a3e8c0b4-7f21-4d6a-9c5e-1b2d3f4a5c6e',
    dlsId: DETECTION_STRING_TAGS_JOB_ID,
    name: 'parking-lot-cameras',
    description: 'Vehicles seen by parking lot cameras (tags sent as a JSON string)',
    path: '/modelarts-kit-demo/parking-lot-cameras/',
    createTime: Date.UTC(2024, 1, 20, 8, 15, 0),
  },
  {
    uuid: 'c9f1d2e3-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
    dlsId: PRODUCT_CLASSIFICATION_JOB_ID,
    name: '商品图片分类',
    description: 'Product photos by category, most not tagged yet',
    path: '/modelarts-kit-demo/products/',
    createTime: Date.UTC(2024, 2, 5, 2, 45, 0),
  },
  {
    uuid: 'e5d4c3b2-a1f0-4e9d-8c7b-6a5f4e3d2c1b',
    dlsId: SHELF_DETECTION_JOB_ID,
    name: 'warehouse-shelves',
    description: 'Items on warehouse shelves',
    path: '/modelarts-kit-demo/warehouse-shelves/',
    createTime: Date.UTC(2024, 3, 11, 11, 0, 0),
  },
]);

export interface JobListQuery {
  /** Page index, from 0. */
  offset: number;
  limit: number;
  sortBy: 'name' | 'create_time';
  order: 'asc' | 'desc';
  search: string | undefined;
}

/** The records the query selects, sorted, and the page of them it asks for. */
export function selectJobs(records: readonly JobRecord[], query: JobListQuery): { total: number; page: JobRecord[] } {
  const search = query.search?.toLowerCase();
  const matching = records.filter((record) => search === undefined || record.name.toLowerCase().includes(search));
  const direction = query.order === 'asc' ? 1 : -1;
  matching.sort((a, b) => direction * (query.sortBy === 'name' ? compareCodeUnits(a.name, b.name) : a.createTime - b.createTime));
  const start = query.offset * query.limit;
  return { total: matching.length, page: matching.slice(start, start + query.limit) };
}

/** The OBS URI of an image: stable, derived from the job's path and the image ID. */
export function imageUrl(record: JobRecord, imageId: string): string {
  return `obs:/${record.path}${imageId}.jpg`;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
