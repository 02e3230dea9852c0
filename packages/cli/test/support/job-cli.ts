import { DEFAULT_TOKEN, startEmulator, type DetectionEntry, type EmulatorOptions, type RunningEmulator } from '@modelarts-kit/emulator';
import { cleanEnv, runCliProcess, type RunResult } from './run-cli.js';

/** An emulator for one test file, and the CLI pointed at it with a token. */
export interface JobCli {
  emulator: RunningEmulator;
  env: () => Record<string, string>;
  cli: (args: readonly string[], options?: { input?: string; cwd?: string }) => Promise<RunResult>;
  close: () => Promise<void>;
}

export async function startJobCli(options: EmulatorOptions = {}): Promise<JobCli> {
  const emulator = await startEmulator(options);
  const env = () =>
    cleanEnv({ MODELARTS_ENDPOINT: emulator.url, MODELARTS_TOKEN: DEFAULT_TOKEN, HUAWEICLOUD_SDK_PROJECT_ID: emulator.projectId });
  return {
    emulator,
    env,
    cli: (args, { input, cwd } = {}) =>
      runCliProcess(args, { env: env(), ...(input !== undefined ? { input } : {}), ...(cwd ? { cwd } : {}) }),
    close: () => emulator.close(),
  };
}

export function ndjson(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * An image as `get` prints it, computed from what the emulator holds (its wire format, not client
 * code): `{ type, imageId, tags, size? }`, boxes as `{ tag, box }`.
 */
export function expectedImage(emulator: RunningEmulator, jobId: string, imageId: string): Record<string, unknown> {
  const entry = emulator.groundTruth(jobId, imageId) as DetectionEntry | { tags: string[] } | undefined;
  if (!entry) throw new Error(`${imageId} is not in job ${jobId}`);
  if (emulator.job(jobId)!.type === 'classification') return { type: 'classification', imageId, tags: entry.tags };
  const detection = entry as DetectionEntry;
  const boxes = (typeof detection.tags === 'string' ? JSON.parse(detection.tags) : detection.tags) as { tag: string; pos: number[] }[];
  const [width, height, depth] = detection.size ?? [];
  return {
    type: 'detection',
    imageId,
    tags: boxes.map(({ tag, pos }) => ({ tag, box: { xmin: pos[0], ymin: pos[1], xmax: pos[2], ymax: pos[3] } })),
    ...(detection.size ? { size: depth === undefined ? { width, height } : { width, height, depth } } : {}),
  };
}

/** What the CLI printed for an image, without the `extra` fields the client adds for unmodelled data. */
export function withoutExtra(image: Record<string, unknown>): Record<string, unknown> {
  const { extra: _, ...rest } = image;
  const tags = (rest.tags as unknown[]).map((tag) => {
    if (typeof tag !== 'object' || tag === null) return tag;
    const { extra: __, ...box } = tag as Record<string, unknown>;
    return box;
  });
  return { ...rest, tags };
}
