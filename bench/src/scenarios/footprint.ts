// Why one long file: one benchmark scenario whose rows (import time, size, dependencies) are each
// measured in a child process over the same built packages.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { metricOf, pairRatio, type RoundResults, runInterleaved, summarize, type Variant } from '../lib/rounds.js';
import { type ScenarioResult, type Table, target } from '../lib/report.js';
import { round } from '../lib/stats.js';
import type { Settings } from '../settings.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CLIENT_DIR = path.join(REPO, 'packages/client');
const N8N_DIR = path.join(REPO, 'packages/n8n-nodes-modelarts');
const OFFICIAL = '@huaweicloud/huaweicloud-sdk-core';
const OFFICIAL_VERSION = '3.1.211';

/** npm and node children see neither the workspace's npm settings nor a loader of ours. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'NODE_OPTIONS' || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  return env;
}

async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    env: cleanEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

interface Packed {
  file: string;
  packedBytes: number;
  unpackedBytes: number;
  files: number;
}

async function pack(spec: string, destination: string, cwd: string): Promise<Packed> {
  const [info] = JSON.parse(await npm(['pack', spec, '--json', `--pack-destination=${destination}`], cwd)) as {
    filename: string;
    size: number;
    unpackedSize: number;
    entryCount: number;
  }[];
  return {
    file: path.join(destination, info!.filename.replace(/^@/, '').replace(/\//g, '-')),
    packedBytes: info!.size,
    unpackedBytes: info!.unpackedSize,
    files: info!.entryCount,
  };
}

interface Installed {
  bytes: number;
  packages: string[];
}

/** Installs a tarball into a fresh folder the way a user would, and measures node_modules. */
async function installInto(dir: string, tarballs: string[]): Promise<Installed> {
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'footprint-probe', version: '0.0.0', private: true }));
  await npm(['install', '--omit=dev', '--ignore-scripts', '--prefer-offline', ...tarballs], dir);
  return measureNodeModules(path.join(dir, 'node_modules'));
}

function measureNodeModules(root: string): Installed {
  let bytes = 0;
  const packages: string[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) walk(full, depth + 1);
      else if (entry.isFile()) {
        bytes += statSync(full).size;
        if (entry.name === 'package.json' && path.basename(path.dirname(dir)) !== '' && isPackageRoot(dir)) {
          packages.push(path.relative(root, dir));
        }
      }
    }
  };
  walk(root, 0);
  return { bytes, packages };
}

/** node_modules/<name> or node_modules/@scope/<name>, at any nesting. */
function isPackageRoot(dir: string): boolean {
  const parent = path.basename(path.dirname(dir));
  const grandParent = path.basename(path.dirname(path.dirname(dir)));
  return parent === 'node_modules' || (parent.startsWith('@') && grandParent === 'node_modules');
}

function dirBytes(dir: string, filter: (file: string) => boolean = () => true): { bytes: number; gzipBytes: number; files: number } {
  let bytes = 0;
  let gzipBytes = 0;
  let files = 0;
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && filter(full)) {
        const content = readFileSync(full);
        bytes += content.length;
        gzipBytes += gzipSync(content, { level: 9 }).length;
        files += 1;
      }
    }
  };
  walk(dir);
  return { bytes, gzipBytes, files };
}

/** One fresh Node process: the time its import/require statement takes, measured inside it, and the whole process. */
function coldImport(cwd: string, code: string, esm: boolean): Promise<{ importMs: number; processMs: number }> {
  const script = esm
    ? `const t0 = performance.now(); ${code}; process.stdout.write(JSON.stringify({ importMs: performance.now() - t0 }));`
    : `const t0 = performance.now(); ${code}; process.stdout.write(JSON.stringify({ importMs: performance.now() - t0 }));`;
  const args = esm ? ['--input-type=module', '-e', script] : ['-e', script];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const processMs = performance.now() - started;
      if (code !== 0) {
        // The thrown error's own line, e.g. "Error: Cannot find module 'uuid'", without the stack.
        const line = err.split('\n').find((l) => /^\w*Error\b/.test(l.trim())) ?? err.trim().split('\n')[0];
        return reject(new Error(`exit ${code}: ${line?.trim()}`));
      }
      resolve({ importMs: (JSON.parse(out) as { importMs: number }).importMs, processMs });
    });
  });
}

async function loads(cwd: string, code: string): Promise<{ ok: boolean; error?: string }> {
  try {
    await coldImport(cwd, code, false);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message.slice(0, 240) };
  }
}

const MB = 1e6;

export async function footprintScenario(settings: Settings): Promise<ScenarioResult> {
  const started = performance.now();
  const work = mkdtempSync(path.join(tmpdir(), 'modelarts-bench-footprint-'));
  try {
    // Packed sizes.
    const ours = await pack(CLIENT_DIR, work, CLIENT_DIR);
    const clientPackage = JSON.parse(readFileSync(path.join(CLIENT_DIR, 'package.json'), 'utf8')) as { name: string; version: string };
    let officialSource = `${OFFICIAL}@${OFFICIAL_VERSION} from the npm registry`;
    let official: Packed;
    try {
      official = await pack(`${OFFICIAL}@${OFFICIAL_VERSION}`, work, work);
    } catch {
      // Offline: the copy the workspace installed is the published one.
      officialSource = `${OFFICIAL}@${OFFICIAL_VERSION} packed from the installed copy (registry unreachable)`;
      official = await pack(path.join(REPO, 'node_modules', OFFICIAL), work, work);
    }

    // Installed sizes: each tarball into its own empty project, runtime dependencies only.
    const oursDir = path.join(work, 'ours');
    const officialDir = path.join(work, 'official');
    for (const dir of [oursDir, officialDir]) rmSync(dir, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => Promise.all([fs.mkdir(oursDir), fs.mkdir(officialDir)]));
    const oursInstalled = await installInto(oursDir, [ours.file]);
    const officialInstalled = await installInto(officialDir, [official.file]);

    // The official core requires uuid without declaring it: a clean install cannot build a client.
    const officialLoadsBare = await loads(officialDir, `require('${OFFICIAL}/ClientBuilder')`);
    const uuidVersion = (JSON.parse(readFileSync(path.join(REPO, 'node_modules/uuid/package.json'), 'utf8')) as { version: string })
      .version;
    if (!officialLoadsBare.ok)
      await npm(['install', '--omit=dev', '--ignore-scripts', '--prefer-offline', `uuid@${uuidVersion}`], officialDir);

    // Cold import: fresh processes, interleaved.
    const { processes } = settings.footprint;
    // What any ES module costs to import here: the floor under ours.
    const emptyModule = path.join(oursDir, 'empty.mjs');
    writeFileSync(emptyModule, 'export {};\n');
    const imports: { name: string; cwd: string; code: string; esm: boolean }[] = [
      { name: 'ours, ESM import', cwd: oursDir, code: `await import('${clientPackage.name}')`, esm: true },
      {
        name: 'an empty ES module, import',
        cwd: oursDir,
        code: `await import(${JSON.stringify(pathToFileURL(emptyModule).href)})`,
        esm: true,
      },
      { name: 'ours, CJS require', cwd: oursDir, code: `require('${clientPackage.name}')`, esm: false },
      { name: 'official core, require', cwd: officialDir, code: `require('${OFFICIAL}')`, esm: false },
      {
        name: 'official core + ClientBuilder, require',
        cwd: officialDir,
        code: `require('${OFFICIAL}'); require('${OFFICIAL}/ClientBuilder')`,
        esm: false,
      },
    ];
    const variants: Variant[] = imports.map((i) => ({ name: i.name, run: () => coldImport(i.cwd, i.code, i.esm) }));
    for (const v of variants) await v.run(0);
    const results = await runInterleaved(variants, processes);
    const importRows = imports.map((i) => ({
      name: i.name,
      importMs: metricOf(results, i.name, 'importMs'),
      processMs: metricOf(results, i.name, 'processMs'),
    }));
    const ratios = [
      pairRatio(results, 'ours ESM / an empty ES module, cold import', 'ours, ESM import', 'an empty ES module, import', 'importMs'),
      pairRatio(results, 'official core / ours ESM, cold import', 'official core, require', 'ours, ESM import', 'importMs'),
      pairRatio(
        results,
        'official ClientBuilder path / ours ESM, cold import',
        'official core + ClientBuilder, require',
        'ours, ESM import',
        'importMs',
      ),
    ];

    // The n8n package's bundle, if it has been built.
    let n8n: Record<string, unknown> | undefined;
    const n8nDist = path.join(N8N_DIR, 'dist');
    if (existsSync(n8nDist)) {
      const all = dirBytes(n8nDist);
      const js = dirBytes(n8nDist, (f) => /\.(c|m)?js$/.test(f));
      let packed: Packed | undefined;
      try {
        packed = await pack(N8N_DIR, work, N8N_DIR);
      } catch {
        packed = undefined;
      }
      n8n = { distBytes: all.bytes, distFiles: all.files, jsBytes: js.bytes, jsGzipBytes: js.gzipBytes, jsFiles: js.files, packed };
    }

    const runtimeDeps = (installed: Installed, self: string): string[] => installed.packages.filter((p) => p !== self).sort();
    const oursDeps = runtimeDeps(oursInstalled, clientPackage.name);
    const officialDeps = runtimeDeps(officialInstalled, OFFICIAL);
    const sizeTable: Table = {
      columns: ['package', 'packed KB', 'unpacked KB', 'files', 'installed MB (with deps)', 'runtime deps'],
      rows: [
        [
          `${clientPackage.name}@${clientPackage.version}`,
          ours.packedBytes / 1e3,
          ours.unpackedBytes / 1e3,
          ours.files,
          oursInstalled.bytes / MB,
          oursDeps.length,
        ],
        [
          `${OFFICIAL}@${OFFICIAL_VERSION}`,
          official.packedBytes / 1e3,
          official.unpackedBytes / 1e3,
          official.files,
          officialInstalled.bytes / MB,
          officialDeps.length,
        ],
      ],
    };
    const tables = [
      { title: 'Package size (npm pack; npm install of the tarball into an empty project, --omit=dev)', table: sizeTable },
      {
        title: `Cold import: ms for the import/require statement in a fresh Node process, median of ${processes}`,
        table: {
          columns: ['import', 'import ms', 'min', 'max', 'whole process ms'],
          rows: importRows.map((r) => [r.name, r.importMs.median, r.importMs.min, r.importMs.max, r.processMs.median]),
        },
      },
    ];
    if (n8n) {
      const packed = n8n.packed as Packed | undefined;
      tables.push({
        title: "n8n package's dist (the client bundled in)",
        table: {
          columns: ['what', 'KB'],
          rows: [
            [`dist, all ${n8n.distFiles as number} files`, (n8n.distBytes as number) / 1e3],
            [`dist JavaScript, ${n8n.jsFiles as number} files`, (n8n.jsBytes as number) / 1e3],
            ['dist JavaScript, gzip -9', (n8n.jsGzipBytes as number) / 1e3],
            ...(packed ? [['npm pack tarball', packed.packedBytes / 1e3] as [string, number]] : []),
          ],
        },
      });
    }
    const oursEsm = importRows[0]!.importMs.median;
    const oursCjs = importRows.find((r) => r.name === 'ours, CJS require')!.importMs.median;
    const aboveEmpty = pairDifference(results, 'ours, ESM import', 'an empty ES module, import', 'importMs');
    const notes = [
      `Official: ${officialSource}.`,
      officialLoadsBare.ok
        ? 'The official core loaded its ClientBuilder without extra packages.'
        : `A clean install of the official core cannot load its ClientBuilder (${officialLoadsBare.error}): it requires uuid without declaring it. uuid@${uuidVersion} was added for the import timings (not counted above).`,
      `Our runtime dependencies: ${oursDeps.join(', ') || 'none'}.`,
      'Fresh processes, but the file system cache is warm (every variant ran once before timing): this is module loading and evaluation time, not disk time.',
    ];
    if (!n8n) notes.push('The n8n package has no dist yet: its bundle size was not measured.');
    return {
      id: '5',
      title: 'Footprint: package size, dependencies, cold import',
      status: 'ok',
      method: [
        'npm pack of packages/client and of the official core; each tarball npm-installed (--omit=dev, --prefer-offline) into an empty temporary project; sizes are the sum of file sizes under node_modules.',
        `Cold import: node -e with the import/require timed inside the process (performance.now), ${processes} fresh processes per variant, interleaved.`,
      ],
      rounds: processes,
      tables,
      ratios,
      targets: [
        target('ours cold import (ESM) <= 25 ms', round(oursEsm, 3), '<=', 25, 'ms'),
        target('ours cold import (ESM) minus an empty ES module import <= 8 ms', round(aboveEmpty, 3), '<=', 8, 'ms'),
        target('ours cold require (CJS) <= 25 ms', round(oursCjs, 3), '<=', 25, 'ms'),
        target('ours installed, with runtime dependencies, <= 1 MB', round(oursInstalled.bytes / MB, 3), '<=', 1, 'MB'),
      ],
      notes,
      data: {
        ours: { packed: { ...ours, file: path.basename(ours.file) }, installedBytes: oursInstalled.bytes, runtimeDependencies: oursDeps },
        official: {
          source: officialSource,
          packed: { ...official, file: path.basename(official.file) },
          installedBytes: officialInstalled.bytes,
          runtimeDependencies: officialDeps,
          loadsWithoutUuid: officialLoadsBare,
        },
        coldImport: importRows,
        ratios,
        n8n: n8n
          ? { ...n8n, packed: n8n.packed ? { ...(n8n.packed as Packed), file: path.basename((n8n.packed as Packed).file) } : undefined }
          : null,
      },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The median over rounds of a - b, each round's pair measured back to back. */
function pairDifference(results: RoundResults, a: string, b: string, metric: string): number {
  const first = results.samples.get(a)!;
  const second = results.samples.get(b)!;
  return summarize(first.map((sample, i) => sample[metric]! - second[i]![metric]!)).median;
}
