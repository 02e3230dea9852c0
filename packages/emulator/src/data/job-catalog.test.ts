import { describe, expect, it, vi } from 'vitest';
import { responseSchemas } from '../../test/support/spec-schemas.js';
import { CLASSIFICATION_JOB_ID, DETECTION_JOB_ID, DETECTION_STRING_TAGS_JOB_ID } from '../constants.js';
import type { ClassificationEntry, DetectionBox, DetectionEntry } from './entries.js';
import * as imageIds from './image-ids.js';
import { JobCatalog } from './job-catalog.js';
import { CLASSIFICATION_TAGS, DETECTION_TAGS } from './vocabulary.js';

const catalog = new JobCatalog(42, 2_000);
const { classification, detection, detectionStringTags } = catalog.jobs;

describe('JobCatalog', () => {
  it('has a classification, a detection and a string-tags detection job under the documented IDs, and two more', () => {
    expect(catalog.get(CLASSIFICATION_JOB_ID)).toBe(classification);
    expect(catalog.get(DETECTION_JOB_ID)).toBe(detection);
    expect(catalog.get(DETECTION_STRING_TAGS_JOB_ID)).toBe(detectionStringTags);
    expect(catalog.get('999')).toBeUndefined();
    expect(catalog.list().map((job) => job.type)).toEqual(['classification', 'detection', 'detection', 'classification', 'detection']);
  });

  it('gives every job the requested number of distinct 32-hex image IDs, different per job', () => {
    const all = new Set<string>();
    for (const job of catalog.list()) {
      expect(job.imageCount).toBe(2_000);
      expect(job.imageIds).toHaveLength(2_000);
      for (const id of job.imageIds) {
        expect(id).toMatch(/^[0-9a-f]{32}$/);
        all.add(id);
      }
    }
    expect(all.size).toBe(10_000);
  });

  it('generates the same data for the same seed, whatever the order of access', () => {
    const again = new JobCatalog(42, 2_000);
    const reversed = [...detection.imageIds].reverse();
    const fromAgain = reversed.map((id) => again.jobs.detection.fragment(id));
    expect(fromAgain.reverse()).toEqual(detection.imageIds.map((id) => detection.fragment(id)));
    expect(again.jobs.classification.imageIds).toEqual(classification.imageIds);
  });

  it('generates other data for another seed', () => {
    const other = new JobCatalog(43, 2_000);
    expect(other.jobs.classification.imageIds[0]).not.toBe(classification.imageIds[0]);
  });

  it('knows nothing of foreign image IDs', () => {
    expect(classification.has(detection.imageIds[0] as string)).toBe(false);
    expect(classification.fragment('0'.repeat(32))).toBeUndefined();
    expect(classification.entry('nope')).toBeUndefined();
  });

  it('tags classification images with 1 to 3 distinct names', () => {
    const counts = new Set<number>();
    for (const id of classification.imageIds) {
      const entry = classification.entry(id) as ClassificationEntry;
      expect(entry.image_id).toBe(id);
      expect(entry.tags.length).toBeGreaterThanOrEqual(1);
      expect(entry.tags.length).toBeLessThanOrEqual(3);
      expect(new Set(entry.tags).size).toBe(entry.tags.length);
      for (const tag of entry.tags) expect(CLASSIFICATION_TAGS).toContain(tag);
      counts.add(entry.tags.length);
    }
    expect([...counts].sort()).toEqual([1, 2, 3]);
  });

  it('places 0 to 4 boxes inside images of varied aspect ratios', () => {
    const boxCounts = new Set<number>();
    const aspects = new Set<string>();
    let withDepth = 0;
    for (const id of detection.imageIds) {
      const entry = detection.entry(id) as DetectionEntry;
      const [width, height] = entry.size as [number, number];
      expect([2, 3]).toContain(entry.size.length);
      if (entry.size.length === 3) withDepth += 1;
      aspects.add((width / height).toFixed(2));
      const boxes = entry.tags as DetectionBox[];
      boxCounts.add(boxes.length);
      for (const { tag, pos } of boxes) {
        expect(DETECTION_TAGS).toContain(tag);
        const [xmin, ymin, xmax, ymax] = pos;
        expect(0 <= xmin && xmin < xmax && xmax <= width).toBe(true);
        expect(0 <= ymin && ymin < ymax && ymax <= height).toBe(true);
      }
    }
    expect([...boxCounts].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(aspects.size).toBeGreaterThanOrEqual(5);
    expect(aspects).toContain('0.56'); // portrait
    expect(withDepth).toBeGreaterThan(0);
    expect(withDepth).toBeLessThan(detection.imageIds.length / 2);
  });

  it('sends the string-tags job its boxes as a string holding the JSON array', () => {
    for (const id of detectionStringTags.imageIds.slice(0, 200)) {
      const entry = detectionStringTags.entry(id) as DetectionEntry;
      expect(typeof entry.tags).toBe('string');
      const boxes = JSON.parse(entry.tags as string) as DetectionBox[];
      expect(Array.isArray(boxes)).toBe(true);
      for (const box of boxes) expect(box.pos).toHaveLength(4);
    }
  });

  it('produces entries the OpenAPI response schema accepts', () => {
    const { checkSuccess } = responseSchemas();
    for (const job of catalog.list()) {
      const images_tags = job.imageIds.slice(0, 300).map((id) => job.entry(id));
      expect(checkSuccess({ is_success: true, images_tags })).toBeUndefined();
    }
  });

  it('generates the IDs of a job only when they are first needed', () => {
    const lazy = new JobCatalog(42, 2_000);
    const generate = vi.spyOn(imageIds, 'generateImageIds');
    expect(lazy.jobs.detection.imageCount).toBe(2_000);
    expect(generate).not.toHaveBeenCalled();
    expect(lazy.jobs.detection.has(detection.imageIds[0] as string)).toBe(true);
    expect(lazy.jobs.detection.imageIds).toEqual(detection.imageIds);
    expect(generate).toHaveBeenCalledTimes(1);
    generate.mockRestore();
  });

  it('refuses a negative image count', () => {
    expect(() => new JobCatalog(1, -1)).toThrow(RangeError);
  });
});
