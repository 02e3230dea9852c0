import { ModelArtsClient } from '@modelarts-kit/client';
import { DEFAULT_TOKEN, startEmulator, type DetectionEntry, type RunningEmulator } from '@modelarts-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLabels, exportLabels, imagesOfBatches } from '../src/index.js';
import { collect } from './fixtures.js';

// The real client against the emulator on 127.0.0.1: a job streamed batch by batch into an export.

let emulator: RunningEmulator;
let client: ModelArtsClient;

beforeAll(async () => {
  emulator = await startEmulator();
  client = new ModelArtsClient({ endpoint: emulator.url, projectId: emulator.projectId, auth: { token: DEFAULT_TOKEN }, batchSize: 50 });
});

afterAll(async () => {
  await emulator?.close();
});

describe('with the client', () => {
  it("streams iterateImageTags into a YOLO export whose lines match the emulator's boxes", async () => {
    const ids = emulator.jobs.detection.imageIds.slice(0, 300);
    const classes = [...new Set(ids.flatMap((id) => boxesOf(id).map((box) => box.tag)))].sort();
    const exported = exportLabels(imagesOfBatches(client.iterateImageTags({ annotationId: '287', imageIds: ids })), {
      format: 'yolo',
      classes,
    });
    const files = await collect(exported.files());
    expect(exported.report()).toMatchObject({ images: 300, classes, notes: [] });
    for (const id of ids) {
      const [width, height] = (emulator.groundTruth('287', id) as DetectionEntry).size as [number, number];
      const lines = files
        .get(`labels/${id}.txt`)!
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ').map(Number));
      const expected = boxesOf(id).map(({ tag, pos }) => {
        const [x1, y1, x2, y2] = pos as [number, number, number, number];
        return [classes.indexOf(tag), (x1 + x2) / 2 / width, (y1 + y2) / 2 / height, Math.abs(x2 - x1) / width, Math.abs(y2 - y1) / height];
      });
      expect(lines).toHaveLength(expected.length);
      lines.forEach((line, i) => {
        expect(line[0]).toBe(expected[i]![0]);
        for (let k = 1; k < 5; k++) expect(Math.abs(line[k]! - expected[i]![k]!)).toBeLessThanOrEqual(1e-6);
      });
    }
  });

  it('checks the labels of a fetched job', async () => {
    const ids = emulator.jobs.detection.imageIds.slice(0, 200);
    const { images } = await client.getImageTags({ annotationId: '287', imageIds: ids });
    const report = await checkLabels(images);
    expect(report.images).toBe(200);
    expect(report.counts.imageWithoutTags).toBe(ids.filter((id) => boxesOf(id).length === 0).length);
  });
});

function boxesOf(imageId: string): { tag: string; pos: number[] }[] {
  const entry = emulator.groundTruth('287', imageId) as DetectionEntry;
  return (typeof entry.tags === 'string' ? JSON.parse(entry.tags) : entry.tags) as { tag: string; pos: number[] }[];
}
