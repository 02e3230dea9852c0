import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JobCatalog } from '../data/job-catalog.js';
import type { WireEntry } from '../data/entries.js';
import { JobState } from './job-state.js';

const catalog = new JobCatalog(9, 60);

// Operations on a job, by image position, so that shrinking keeps them meaningful.
const operation = fc.oneof(
  fc.record({ kind: fc.constant('tag' as const), at: fc.nat(80), tagged: fc.boolean() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(80) }),
  fc.record({ kind: fc.constant('add' as const), count: fc.integer({ min: 0, max: 3 }) }),
);

describe('JobState', () => {
  it.each(['282', '287', '288', '301', '302'])(
    'job %s: the counts kept write by write equal a recount from the index, whatever the writes',
    (jobId) => {
      fc.assert(
        fc.property(fc.array(operation, { maxLength: 40 }), (operations) => {
          const job = new JobState(catalog.get(jobId)!);
          let added = 0;
          for (const op of operations) {
            const ids = job.imageIds();
            if (op.kind === 'add') {
              const entries = Array.from({ length: op.count }, () => untagged(job, `${jobId}-added-${String(added++).padStart(4, '0')}`));
              expect(job.add(entries)).toBe(entries.length);
              continue;
            }
            const id = ids[op.at % Math.max(1, ids.length)];
            if (id === undefined) continue;
            if (op.kind === 'delete') job.delete([id]);
            else job.write([withTags(job, id, op.tagged)]);
          }
          const index = job.tagIndex();
          expect(job.taggedCount).toBe(index.taggedCount);
          expect(job.imageCount).toBe(index.taggedCount + index.untaggedCount);
          expect(job.imageIds()).toHaveLength(job.imageCount);
          expect(new Set(job.imageIds()).size).toBe(job.imageCount);
        }),
        { numRuns: 60 },
      );
    },
  );
});

it('adds an image the job already holds only once, keeping its tags', () => {
  const job = new JobState(catalog.get('282')!);
  const [first] = job.imageIds();
  const before = { count: job.imageCount, tagged: job.taggedCount, entry: job.entry(first!) };
  expect(job.add([untagged(job, first!), untagged(job, 'fresh-image')])).toBe(1);
  expect(job.entry(first!)).toEqual(before.entry);
  expect(job.imageCount).toBe(before.count + 1);
  expect(job.taggedCount).toBe(before.tagged);
  expect(job.taggedCount).toBe(job.tagIndex().taggedCount);
});

function untagged(job: JobState, imageId: string): WireEntry {
  return job.type === 'classification' ? { image_id: imageId, tags: [] } : { image_id: imageId, tags: [], size: [10, 10] };
}

function withTags(job: JobState, imageId: string, tagged: boolean): WireEntry {
  if (job.type === 'classification') return { image_id: imageId, tags: tagged ? ['x'] : [] };
  return { image_id: imageId, tags: tagged ? [{ tag: 'x', pos: [0, 0, 1, 1] }] : [], size: [10, 10] };
}
