// Why one long file: one benchmark scenario; setting up real n8n, running each workflow several times
// and printing its rows belong together.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { DEFAULT_TOKEN } from '@modelarts-kit/emulator';
import { metricOf, pairRatio, runInterleaved, type Variant } from '../lib/rounds.js';
import { type ScenarioResult, target } from '../lib/report.js';
import { forkEmulator } from '../lib/servers.js';
import type { Settings } from '../settings.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const N8N_PACKAGE_DIR = path.join(REPO, 'packages/n8n-nodes-modelarts');
const HARNESS = path.join(REPO, 'e2e/n8n/harness.mjs');
const BASELINE_WORKFLOW = path.join(REPO, 'e2e/n8n/workflows/http-request-baseline.mjs');
const VERSIONS = path.join(REPO, 'e2e/n8n/versions.mjs');
const N8N_MAJOR = '2';

// Only what the benchmark uses of the e2e harness (e2e/n8n/harness.mjs).
interface N8nRun {
  exitCode: number | null;
  result: unknown;
  stderr: string;
  seconds: number;
  attempts: number;
}
interface Harness {
  createN8nSession(options: Record<string, unknown>): Promise<{ execute(id: string): Promise<N8nRun>; close(): Promise<void> }>;
  nodeItems(result: unknown, node: string): { json: Record<string, unknown> }[];
  nodeRun(result: unknown, node: string): { run: { startTime: number; executionTime: number } } | null;
  executionError(result: unknown): { message?: string } | null;
}

const notRun = (reason: string, started: number): ScenarioResult => ({
  id: '6',
  title: 'n8n: Get Tags for 5,000 items in real n8n, our node vs the HTTP Request node',
  status: 'not run',
  reason,
  method: [],
  tables: [],
  ratios: [],
  targets: [],
  notes: [],
  data: { reason },
  seconds: (performance.now() - started) / 1000,
});

const INSTALL = path.join(REPO, 'e2e/n8n/install.mjs');

/**
 * Why scenario 6 cannot run, or undefined when everything it needs is there.
 * Real n8n is installed once (e2e/n8n/install.mjs, cached in .cache/n8n) when
 * it is missing; that takes minutes and is not part of any timing.
 */
async function missingPiece(settings: Settings): Promise<string | undefined> {
  if (![HARNESS, BASELINE_WORKFLOW, VERSIONS, INSTALL].every((file) => existsSync(file))) {
    return 'the real-n8n harness (e2e/n8n: harness.mjs, install.mjs, versions.mjs, workflows/http-request-baseline.mjs) is not in the repository';
  }
  if (!existsSync(path.join(N8N_PACKAGE_DIR, 'dist/nodes/ModelArts/ModelArts.node.js'))) {
    return 'the n8n package is not built (packages/n8n-nodes-modelarts/dist): run npx turbo run build';
  }
  const { VERSIONS: versions } = (await import(pathToFileURL(VERSIONS).href)) as {
    VERSIONS: Record<string, { n8n: string; n8nBin: string }>;
  };
  const version = versions[N8N_MAJOR]!;
  if (existsSync(version.n8nBin)) return undefined;
  if (!settings.installN8n) return `n8n ${version.n8n} is not installed (run node e2e/n8n/install.mjs, or drop --no-n8n-install)`;
  settings.log(`  n8n ${version.n8n} is not installed: installing it once into .cache/n8n (several minutes; not part of any timing)...`);
  try {
    const { ensureInstalled } = (await import(pathToFileURL(INSTALL).href)) as {
      ensureInstalled(v: unknown[], o: Record<string, unknown>): Promise<unknown>;
    };
    await ensureInstalled([version], { log: (line: string) => settings.log(`  ${line}`) });
  } catch (error) {
    return `installing n8n ${version.n8n} failed: ${(error as Error).message}`;
  }
  return existsSync(version.n8nBin) ? undefined : `n8n ${version.n8n} is still not installed after e2e/n8n/install.mjs`;
}

/** Every node's start and end from n8n's run data: first start to last end is the workflow's own time. */
function workflowMs(harness: Harness, result: unknown, nodes: string[]): number {
  const runs = nodes.map((name) => harness.nodeRun(result, name)?.run).filter((r) => r !== undefined);
  if (runs.length !== nodes.length) throw new Error('a node of the workflow did not run');
  const start = Math.min(...runs.map((r) => r.startTime));
  const end = Math.max(...runs.map((r) => r.startTime + r.executionTime));
  return end - start;
}

export async function n8nScenario(settings: Settings): Promise<ScenarioResult> {
  const started = performance.now();
  const { items, rounds } = settings.n8n;
  const missing = await missingPiece(settings);
  if (missing) return notRun(missing, started);

  const harness = (await import(pathToFileURL(HARNESS).href)) as Harness;
  const { httpRequestBaselineWorkflow, tokenCredential } = (await import(pathToFileURL(BASELINE_WORKFLOW).href)) as {
    httpRequestBaselineWorkflow(o: Record<string, unknown>): Record<string, unknown>;
    tokenCredential(o: { id: string; token: string }): { id: string; name: string; type: string; data: Record<string, unknown> };
  };

  const work = mkdtempSync(path.join(tmpdir(), 'modelarts-bench-n8n-'));
  const emulator = await forkEmulator({ imagesPerJob: items });
  try {
    // The node is installed the way users get it: from its packed tarball.
    const packageJson = JSON.parse(readFileSync(path.join(N8N_PACKAGE_DIR, 'package.json'), 'utf8')) as { name: string; version: string };
    // BENCH_N8N_TARBALL: benchmark another build of the package (e.g. a published version) instead.
    let tarball = process.env.BENCH_N8N_TARBALL;
    if (!tarball) {
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE_OPTIONS'));
      const { stdout } = await run('npm', ['pack', '--json', `--pack-destination=${work}`, '--loglevel=error'], {
        cwd: N8N_PACKAGE_DIR,
        env,
      });
      tarball = path.join(work, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);
    }

    const job = emulator.ready.jobs.classification;
    const projectId = emulator.ready.projectId;
    const ids = job.imageIds.slice(0, items);
    // Both workflows start from the same items: one emulator image ID each.
    const makeItems = `const ids = ${JSON.stringify(ids)};\nreturn ids.map((image_id, index) => ({ json: { index, image_id } }));`;

    const baselineCredential = tokenCredential({ id: 'benchHttpToken01', token: DEFAULT_TOKEN });
    const oursCredential = {
      id: 'benchModelArts01',
      name: 'ModelArts emulator (token)',
      type: 'modelArtsApi',
      data: { authType: 'token', token: DEFAULT_TOKEN, endpointType: 'custom', endpoint: emulator.url, projectId },
    };
    const baseline = httpRequestBaselineWorkflow({
      id: 'benchHttpReqWf001',
      name: `Benchmark: HTTP Request node, ${items} items`,
      endpoint: emulator.url,
      projectId,
      jobId: job.id,
      imageIds: ids,
      credential: baselineCredential,
    });
    // `ids`: where Get Tags takes the image IDs from (the input field, or the Image IDs parameter).
    const oursNode = (ids: Record<string, string>) => ({
      id: 'b0a7e4c2-0002-4c8e-9d65-000000000003',
      name: 'Get Tags',
      type: `${packageJson.name}.modelArts`,
      typeVersion: 1,
      position: [440, 0],
      parameters: { resource: 'image', operation: 'getTags', annotationId: job.id, ...ids, outputMode: 'perImage', options: {} },
      credentials: { modelArtsApi: { id: oursCredential.id, name: oursCredential.name } },
    });
    const threeNodes = (id: string, name: string, jsCode: string, last: Record<string, unknown>) => ({
      id,
      name,
      active: false,
      settings: { executionOrder: 'v1' },
      nodes: [
        {
          id: 'b0a7e4c2-0002-4c8e-9d65-000000000001',
          name: 'Start',
          type: 'n8n-nodes-base.manualTrigger',
          typeVersion: 1,
          position: [0, 0],
          parameters: {},
        },
        {
          id: 'b0a7e4c2-0002-4c8e-9d65-000000000002',
          name: 'Make Items',
          type: 'n8n-nodes-base.code',
          typeVersion: 2,
          position: [220, 0],
          parameters: { jsCode },
        },
        last,
      ],
      connections: {
        Start: { main: [[{ node: 'Make Items', type: 'main', index: 0 }]] },
        'Make Items': { main: [[{ node: 'Get Tags', type: 'main', index: 0 }]] },
      },
    });
    // Ours reads each item's ID from its image_id field (Image IDs From: Input Field): no expression per item.
    const ours = threeNodes(
      'benchModelArtsWf1',
      `Benchmark: ModelArts node Get Tags, IDs from the input field, ${items} items`,
      makeItems,
      oursNode({ imageIdsSource: 'field', imageIdsField: 'image_id' }),
    );
    // Three references that explain the result, not part of the comparison:
    // our node with the Image IDs expression {{ $json.image_id }}, which n8n evaluates per item ...
    const oursExpression = threeNodes(
      'benchModelArtsWf3',
      `Benchmark: ModelArts node Get Tags, {{ $json.image_id }} per item, ${items} items`,
      makeItems,
      oursNode({ imageIds: '={{ $json.image_id }}' }),
    );
    // ... n8n evaluating the same per-item expression with its own Set node (no request at all) ...
    const expressionFloor = threeNodes(
      'benchExprFloorWf1',
      `Benchmark: Set node, the same expression per item, ${items} items`,
      makeItems,
      {
        id: 'b0a7e4c2-0002-4c8e-9d65-000000000004',
        name: 'Get Tags',
        type: 'n8n-nodes-base.set',
        typeVersion: 3.4,
        position: [440, 0],
        parameters: {
          assignments: { assignments: [{ id: 'b0a7e4c2-0005', name: 'image_id', value: '={{ $json.image_id }}', type: 'string' }] },
          options: {},
        },
      },
    );
    // ... and our node given all IDs in one item, so that n8n evaluates its expression once.
    const oneItem = threeNodes(
      'benchModelArtsWf2',
      `Benchmark: ModelArts node Get Tags, ${items} IDs in one item`,
      `return [{ json: { image_ids: ${JSON.stringify(ids)} } }];`,
      oursNode({ imageIds: '={{ $json.image_ids }}' }),
    );

    settings.log(`  importing the ${packageJson.name} tarball and the workflows into a fresh n8n user folder...`);
    const session = await harness.createN8nSession({
      version: N8N_MAJOR,
      nodePackage: tarball,
      credentials: [baselineCredential, oursCredential],
      workflows: [baseline, ours, oursExpression, expressionFloor, oneItem],
      log: (line: string) => settings.log(`  ${line}`),
    });
    try {
      const nodes = ['Start', 'Make Items', 'Get Tags'];
      const execute = (workflow: Record<string, unknown>, expectedRequests: number) => async () => {
        await emulator.reset();
        const r = await session.execute(workflow.id as string);
        const error = harness.executionError(r.result);
        if (r.exitCode !== 0 || error)
          throw new Error(`${String(workflow.name)}: exit ${r.exitCode}: ${error?.message ?? r.stderr.slice(-2000)}`);
        const out = harness.nodeItems(r.result, 'Get Tags');
        const found = out.filter((item) => item.json.image_id !== undefined || Array.isArray(item.json.images_tags)).length;
        // (The Set node reference outputs its items unchanged, image_id included.)
        if (out.length !== items || found !== items)
          throw new Error(`${String(workflow.name)}: ${out.length} output items, ${found} with tags, for ${items} inputs`);
        const stats = await emulator.stats<{ requests: number; responses: Record<string, number> }>();
        if (stats.requests !== expectedRequests || (stats.responses['200'] ?? 0) !== expectedRequests) {
          throw new Error(
            `${String(workflow.name)}: expected ${expectedRequests} answered requests, the emulator saw ${JSON.stringify(stats)}`,
          );
        }
        const getTags = harness.nodeRun(r.result, 'Get Tags')!.run;
        return {
          workflowMs: workflowMs(harness, r.result, nodes),
          getTagsMs: getTags.executionTime,
          processSeconds: r.seconds,
          requests: stats.requests,
        };
      };
      const names = {
        ours: 'ours: ModelArts node, Get Tags, IDs from the input field image_id (batch 100, concurrency 8)',
        baseline: "n8n's HTTP Request node, 1 call per item, token header",
        oursExpression: 'reference: ours with the {{ $json.image_id }} expression per item',
        expressionFloor: 'reference: Set node, same {{ $json.image_id }} per item, no request',
        oneItem: 'reference: ours with all IDs in 1 item (1 expression)',
      };
      const shortName = new Map(Object.entries(names).map(([key, name]) => [name, key]));
      const variants: Variant[] = [
        { name: names.ours, run: execute(ours, Math.ceil(items / 100)) },
        { name: names.baseline, run: execute(baseline, items) },
        { name: names.oursExpression, run: execute(oursExpression, Math.ceil(items / 100)) },
        { name: names.expressionFloor, run: execute(expressionFloor, 0) },
        { name: names.oneItem, run: execute(oneItem, Math.ceil(items / 100)) },
      ];
      const results = await runInterleaved(variants, rounds, (r, sample) =>
        settings.log(
          `  round ${r + 1}/${rounds}: ${[...sample].map(([n, s]) => `${shortName.get(n)} ${s.workflowMs!.toFixed(0)} ms`).join(', ')}`,
        ),
      );
      const rows = variants.map((v) => ({
        name: v.name,
        workflowMs: metricOf(results, v.name, 'workflowMs'),
        getTagsMs: metricOf(results, v.name, 'getTagsMs'),
        processSeconds: metricOf(results, v.name, 'processSeconds'),
        requests: metricOf(results, v.name, 'requests'),
      }));
      const ratios = [
        pairRatio(results, 'HTTP Request / ours, workflow time', names.baseline, names.ours, 'workflowMs'),
        pairRatio(results, 'HTTP Request / ours, Get Tags node time', names.baseline, names.ours, 'getTagsMs'),
        pairRatio(results, 'HTTP Request / ours, whole n8n execute process', names.baseline, names.ours, 'processSeconds'),
        pairRatio(
          results,
          'HTTP Request / ours with the per-item expression, workflow time',
          names.baseline,
          names.oursExpression,
          'workflowMs',
        ),
        pairRatio(
          results,
          'ours with the per-item expression / ours from the input field, Get Tags node time',
          names.oursExpression,
          names.ours,
          'getTagsMs',
        ),
        pairRatio(
          results,
          'ours with the per-item expression / Set node with the same expression, node time',
          names.oursExpression,
          names.expressionFloor,
          'getTagsMs',
        ),
        pairRatio(results, 'HTTP Request / ours with IDs in 1 item, workflow time', names.baseline, names.oneItem, 'workflowMs'),
      ];
      const rowOf = (name: string) => rows.find((row) => row.name === name)!;
      const oursRow = rowOf(names.ours);
      const expressionRow = rowOf(names.oursExpression);
      const floorRow = rowOf(names.expressionFloor);
      const oneItemRow = rowOf(names.oneItem);
      return {
        id: '6',
        title: `n8n: Get Tags for ${items.toLocaleString('en-US')} items in real n8n, our node vs the HTTP Request node`,
        status: 'ok',
        method: [
          `n8n ${N8N_MAJOR === '2' ? '2.41.1' : N8N_MAJOR} headless through the e2e harness (e2e/n8n/harness.mjs): our package installed from its npm-pack tarball, credentials and workflows imported once, then 'n8n execute --id' per run.`,
          `Ours, the baseline and the per-item references: Manual Trigger -> Code node making ${items.toLocaleString('en-US')} items of one emulator image ID each -> Get Tags. The emulator (token auth) runs in its own process.`,
          "Ours: the ModelArts node's Get Tags reading each item's ID from its image_id field (Image IDs From: Input Field; otherwise defaults: IDs of all items pooled, batches of 100, 8 in flight). Baseline: e2e/n8n's HTTP Request workflow (v4.2, Header Auth X-Auth-Token), one POST per item.",
          "Workflow time: from the first node's start to the last node's end in n8n's own run data; the whole 'n8n execute' process (n8n start-up included) is shown too.",
          `${rounds} interleaved rounds; every run must output ${items.toLocaleString('en-US')} items with tags, and the emulator's request count is checked (${Math.ceil(items / 100)} vs ${items.toLocaleString('en-US')}).`,
          "Three references run in the same rounds and are checked the same way: our node with Image IDs as the expression {{ $json.image_id }}, which n8n evaluates per item (how the node had to be used before it could read a field); n8n's Set node evaluating that expression on the same items (n8n's own per-item expression cost, no request); and our node given all IDs in one item (one expression).",
        ],
        rounds,
        tables: [
          {
            title: 'Time per workflow run',
            table: {
              columns: ['workflow', 'workflow ms', 'min', 'max', 'Get Tags node ms', 'n8n process s', 'requests'],
              rows: rows.map((r) => [
                r.name,
                r.workflowMs.median,
                r.workflowMs.min,
                r.workflowMs.max,
                r.getTagsMs.median,
                r.processSeconds.median,
                r.requests.median,
              ]),
            },
          },
        ],
        ratios,
        targets: [
          target('our node >= 10 x faster than the per-item HTTP Request workflow (workflow time)', ratios[0]!.median, '>=', 10),
          target('HTTP Request node time >= 100 x our Get Tags node time', ratios[1]!.median, '>=', 100),
        ],
        notes: [
          `Reading the IDs from the input field, Get Tags takes ${oursRow.getTagsMs.median.toFixed(0)} ms. With the expression {{ $json.image_id }}, which n8n evaluates once per input item, it takes ${expressionRow.getTagsMs.median.toFixed(0)} ms; n8n's Set node needs ${floorRow.getTagsMs.median.toFixed(0)} ms for the same ${items.toLocaleString('en-US')} evaluations. With the IDs in one item, Get Tags takes ${oneItemRow.getTagsMs.median.toFixed(0)} ms for the same ${items.toLocaleString('en-US')} images.`,
          "The Code node that makes the items (n8n's task runner) is part of every workflow's time.",
        ],
        data: { items, rounds, workflows: rows, ratios },
        seconds: (performance.now() - started) / 1000,
      };
    } finally {
      await session.close();
    }
  } finally {
    await emulator.close();
    rmSync(work, { recursive: true, force: true });
  }
}
