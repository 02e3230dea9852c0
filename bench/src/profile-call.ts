/**
 * Where one small call's CPU time and memory go inside the client: a
 * one-image `getImageTags` over an in-memory transport, so that nothing but
 * the client runs, under V8's sampling CPU profiler (`--cpu-prof`) and its
 * sampling heap profiler. The client is bundled from its source without
 * minifying, so the profile names its functions.
 *
 *   node --import tsx src/profile-call.ts [--client path/to/packages/client/src/index.ts]
 *
 * `--client` profiles another checkout's source (e.g. a worktree of an
 * earlier commit), for a before/after comparison on the same machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { renderTable } from './lib/report.js';

const { values } = parseArgs({
  options: {
    client: { type: 'string', default: fileURLToPath(new URL('../../packages/client/src/index.ts', import.meta.url)) },
    calls: { type: 'string', default: '60000' },
    top: { type: 'string', default: '20' },
  },
});
const CALLS = Number(values.calls);
const TOP = Number(values.top);

/** The loop, in a child process of its own: an inspector session in the profiled process would show up in the profile. */
const RUNNER = `
import { Session } from 'node:inspector/promises';
const { ModelArtsClient } = await import(process.argv[2]);
const calls = Number(process.argv[3]);
const IMAGE_ID = '076e3caed758a1c18c91a0e9cae3368f';
const BODY = JSON.stringify({ is_success: true, images_tags: [{ image_id: IMAGE_ID, tags: ['animal', 'fish'] }] });
const answer = { status: 200, headers: { get: (name) => (name === 'content-type' ? 'application/json' : null) }, text: async () => BODY };
const client = new ModelArtsClient({
  endpoint: 'http://127.0.0.1:9',
  projectId: '0123456789abcdef0123456789abcdef',
  auth: { token: 'profile-token' },
  transport: async () => answer,
});
const loop = async (n) => {
  const started = performance.now();
  for (let i = 0; i < n; i++) await client.getImageTags({ annotationId: '282', imageIds: [IMAGE_ID] });
  return ((performance.now() - started) / n) * 1000;
};
await loop(calls / 4);
if (process.argv[4] === 'heap') {
  // Every allocation, including what the young generation collects at once: what the collector pays for.
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 128, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
  await loop(calls);
  const { profile } = await session.post('HeapProfiler.stopSampling');
  process.stdout.write(JSON.stringify(profile));
} else {
  process.stdout.write(JSON.stringify({ wallUs: await loop(calls) }));
}
`;

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  selfSize?: number;
  children?: ProfileNode[];
}

const out = mkdtempSync(path.join(tmpdir(), 'modelarts-profile-'));
try {
  const bundle = path.join(out, 'client.mjs');
  await build({
    entryPoints: [path.resolve(values.client!)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: bundle,
    logLevel: 'error',
  });
  const runner = path.join(out, 'runner.mjs');
  writeFileSync(runner, RUNNER);
  const child = (nodeArgs: string[], mode: string): string =>
    execFileSync(process.execPath, [...nodeArgs, runner, pathToFileURL(bundle).href, String(CALLS), mode], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
  // esbuild heads each module of the bundle with a comment naming its source file: a function's line gives its file.
  const modules: { line: number; file: string }[] = [];
  readFileSync(bundle, 'utf8')
    .split('\n')
    .forEach((text, line) => {
      const source = /^\/\/ (\S+\.ts)$/.exec(text)?.[1];
      if (source) modules.push({ line, file: path.basename(source) });
    });
  const sourceOf = (line: number): string => modules.findLast((m) => m.line <= line)?.file ?? 'client';
  const where = (frame: CallFrame): string => {
    const file = frame.url === pathToFileURL(bundle).href ? sourceOf(frame.lineNumber) : frame.url.split('/').pop() || '(native)';
    return `${frame.functionName || '(anonymous)'} [${file}]`;
  };

  // CPU: the whole child is profiled, its warm-up quarter too; self time per function, per call of all of them.
  const profileDir = path.join(out, 'cpu');
  const { wallUs } = JSON.parse(child(['--cpu-prof', '--cpu-prof-interval', '25', '--cpu-prof-dir', profileDir], 'cpu')) as {
    wallUs: number;
  };
  const profile = JSON.parse(readFileSync(path.join(profileDir, readdirSync(profileDir)[0]!), 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const cpu = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i]!;
    totalUs += us;
    const key = where(byId.get(id)!.callFrame);
    cpu.set(key, (cpu.get(key) ?? 0) + us);
  });
  const profiledCalls = CALLS * 1.25;

  // Memory: allocation samples of the timed loop only.
  const heap = JSON.parse(child([], 'heap')) as { head: ProfileNode };
  const bytes = new Map<string, number>();
  let totalBytes = 0;
  const walk = (node: ProfileNode): void => {
    if (node.selfSize) {
      totalBytes += node.selfSize;
      const key = where(node.callFrame);
      bytes.set(key, (bytes.get(key) ?? 0) + node.selfSize);
    }
    for (const next of node.children ?? []) walk(next);
  };
  walk(heap.head);

  const perCall = (map: Map<string, number>, calls: number, total: number): (string | number)[][] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([name, value]) => [name, value / calls, `${((100 * value) / total).toFixed(1)} %`]);

  console.log(
    `one-image getImageTags over an in-memory transport: ${wallUs.toFixed(1)} us per call (${CALLS.toLocaleString('en-US')} calls)`,
  );
  console.log(`\nCPU, self time (the process, start-up included, over ${profiledCalls.toLocaleString('en-US')} calls)`);
  console.log(renderTable({ columns: ['function', 'us per call', 'share'], rows: perCall(cpu, profiledCalls, totalUs) }));
  console.log(`\nallocated: ${Math.round(totalBytes / CALLS).toLocaleString('en-US')} bytes per call`);
  console.log(renderTable({ columns: ['function', 'bytes per call', 'share'], rows: perCall(bytes, CALLS, totalBytes) }));
} finally {
  rmSync(out, { recursive: true, force: true });
}
