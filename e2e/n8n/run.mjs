#!/usr/bin/env node
// Why one long file: it is the runner, loading, grouping, running and reporting scenarios in one place.
// End-to-end tests in real n8n: installs the pinned n8n versions (cached), then runs every scenario in
// e2e/n8n/scenarios/*.mjs on every selected version and prints a summary ending in "N passed, N failed".
//
// Environment:
//   N8N_E2E_VERSIONS=2|1|2,1     n8n major versions to run (default both)
//   N8N_E2E_SCENARIOS=a,b        only scenario files whose name contains one of these
//   N8N_E2E_NODE_PACKAGE=path    packed node (.tgz) or unpacked package folder for scenarios that need
//                                the community node; default: build and `npm pack` packages/n8n-nodes-modelarts
//   N8N_E2E_KEEP=1               keep the throwaway n8n user folders for inspection
//   N8N_E2E_BASELINE_ITEMS=N     items of the HTTP Request baseline scenario
//
// A scenario module default-exports:
//   {
//     name: string,
//     versions?: ('2' | '1')[],                   // default: all selected
//     needsNodePackage?: boolean,                 // ctx.nodePackage is then the packed community node
//     env?: Record<string, string>,               // extra n8n environment (scenarios with the same env share a user folder)
//     setup?(ctx): Promise<object> | object,      // start servers etc.; the returned object is merged into ctx
//                                                 // (it may carry credentials, workflows and nodePackages: other packed nodes to install)
//     credentials?: object[] | ((ctx) => object[]),   // may also come from setup()'s return value
//     workflows?: object[] | ((ctx) => object[]),     // workflow names must be unique within the scenario
//     check(runs, ctx): void | Promise<void>,     // runs[workflowName] = { exitCode, result, stdout, stderr, seconds, attempts }; throw to fail
//     run?(ctx): Promise<object | void>,          // instead of workflows: the scenario drives n8n itself (a server and a
//                                                 // browser, queue mode); ctx.log prints; check(), if any, gets what run()
//                                                 // returned ({ steps: [{ name, seconds }], ... }); throw to fail
//     parallelVersions?: boolean,                 // with run(): it mostly waits for n8n's own schedule (a trigger's
//                                                 // polls), so it runs first, on every version at once
//     teardown?(ctx): void | Promise<void>,
//   }
//   ctx = { version: '2' | '1', n8n: '2.41.1', nodePackage?: string, ...what setup returned }
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tail } from '../lib/processes.mjs';
import { createN8nSession, executionError } from './harness.mjs';
import { ensureInstalled } from './install.mjs';
import { resolveNodePackage } from './lib/node-package.mjs';
import { CACHE_DIR, E2E_DIR, selectVersions } from './versions.mjs';

/** @typedef {{ name: string, versions?: string[], needsNodePackage?: boolean, env?: Record<string, string>,
 *   setup?: Function, credentials?: object[] | Function, workflows?: object[] | Function, check?: Function, run?: Function,
 *   parallelVersions?: boolean, teardown?: Function }} Scenario */

async function main() {
  const started = Date.now();
  const versions = selectVersions();
  const scenarios = await loadScenarios();
  if (scenarios.length === 0) throw new Error('No scenarios selected');
  console.log(`n8n e2e: ${scenarios.length} scenario(s) on n8n ${versions.map((v) => v.n8n).join(' and ')}`);

  const installs = await ensureInstalled(versions);

  let nodePackage = null;
  if (scenarios.some(({ scenario }) => scenario.needsNodePackage)) nodePackage = await resolveNodePackage();

  /** @type {{ version: string, scenario: string, ok: boolean, error?: string, workflows: object[] }[]} */
  const outcomes = [];
  const applicableTo = (version) => scenarios.filter(({ scenario }) => !scenario.versions || scenario.versions.includes(version.key));
  // Waiting for n8n's schedule costs little CPU: such a scenario runs on every version at once (the
  // trigger's polls come once a minute; one version after the other took over three minutes each). Only
  // with each other: next to the browser and queue-mode scenarios, a loaded machine slowed those down.
  const parallel = versions.flatMap((version) =>
    applicableTo(version)
      .filter(({ scenario }) => scenario.run && scenario.parallelVersions)
      .map((s) => runStandalone(version, s, nodePackage)),
  );
  outcomes.push(...(await Promise.all(parallel)));
  for (const version of versions) {
    const applicable = applicableTo(version);
    // Scenarios with a run() drive their own n8n (a server and a browser); they run one by one.
    for (const s of applicable.filter(({ scenario }) => scenario.run && !scenario.parallelVersions)) {
      outcomes.push(await runStandalone(version, s, nodePackage));
    }
    // Scenarios with the same n8n environment share one user folder: one import, then one execute per workflow.
    const groups = new Map();
    for (const s of applicable.filter(({ scenario }) => !scenario.run)) {
      const key = JSON.stringify(s.scenario.env ?? {});
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(s);
    }
    for (const group of groups.values()) outcomes.push(...(await runGroup(version, group, nodePackage)));
  }

  if (nodePackage && !process.env.N8N_E2E_NODE_PACKAGE) await fs.rm(path.dirname(nodePackage), { recursive: true, force: true });

  const passed = outcomes.filter((o) => o.ok).length;
  const failed = outcomes.length - passed;
  printSummary(installs, outcomes);
  await writeTimings(installs, outcomes, (Date.now() - started) / 1000);
  console.log(`n8n e2e finished in ${Math.round((Date.now() - started) / 1000)}s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

async function loadScenarios() {
  const dir = path.join(E2E_DIR, 'scenarios');
  const filter = (process.env.N8N_E2E_SCENARIOS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.mjs')).sort();
  const out = [];
  for (const file of files) {
    if (filter.length > 0 && !filter.some((f) => file.includes(f))) continue;
    const mod = await import(pathToFileURL(path.join(dir, file)).href);
    const scenario = mod.default;
    if (!scenario || typeof scenario.name !== 'string' || (typeof scenario.check !== 'function' && typeof scenario.run !== 'function')) {
      throw new Error(`scenarios/${file} must default-export { name, check(runs, ctx), ... } or { name, run(ctx) }`);
    }
    out.push({ file, scenario });
  }
  return out;
}

async function runGroup(version, group, nodePackage) {
  const tag = `[n8n ${version.n8n}]`;
  const prepared = [];
  const outcomes = [];
  const fail = (entry, error, workflows = []) =>
    outcomes.push({ version: version.n8n, scenario: entry.scenario.name, file: entry.file, ok: false, error, workflows });

  // Set up every scenario (servers, credentials, workflows); a failing setup fails only that scenario.
  for (const [index, entry] of group.entries()) {
    const { scenario } = entry;
    const ctx = { version: version.key, n8n: version.n8n, nodePackage: nodePackage ?? undefined };
    try {
      Object.assign(ctx, (await scenario.setup?.(ctx)) ?? {});
      const credentials = resolveList(ctx.credentials ?? scenario.credentials, ctx);
      const workflows = resolveList(ctx.workflows ?? scenario.workflows, ctx).map((wf, i) => ({
        ...wf,
        id: wf.id ?? workflowId(index, i),
      }));
      const names = workflows.map((w) => w.name);
      if (new Set(names).size !== names.length) throw new Error(`workflow names must be unique: ${names.join(', ')}`);
      prepared.push({ entry, ctx, credentials, workflows });
    } catch (err) {
      fail(entry, `setup failed: ${err.stack ?? err}`);
      await safeTeardown(entry.scenario, ctx);
    }
  }
  if (prepared.length === 0) return outcomes;

  console.log(
    `${tag} importing ${prepared.reduce((n, p) => n + p.credentials.length, 0)} credential(s) and ${prepared.reduce((n, p) => n + p.workflows.length, 0)} workflow(s) of ${prepared.length} scenario(s)`,
  );
  let session;
  try {
    session = await createN8nSession({
      version: version.key,
      nodePackage: [
        ...(prepared.some((p) => p.entry.scenario.needsNodePackage) ? [nodePackage] : []),
        ...prepared.flatMap((p) => p.ctx.nodePackages ?? []),
      ],
      credentials: prepared.flatMap((p) => p.credentials),
      workflows: prepared.flatMap((p) => p.workflows),
      env: prepared[0].entry.scenario.env,
      log: (line) => console.log(line),
    });
    console.log(
      `${tag} imports took ${session.timings.importCredentials}s (credentials) + ${session.timings.importWorkflows}s (workflows)`,
    );
  } catch (err) {
    for (const p of prepared) {
      fail(p.entry, `n8n session failed: ${err.message}`);
      await safeTeardown(p.entry.scenario, p.ctx);
    }
    return outcomes;
  }

  try {
    for (const p of prepared) {
      const { scenario } = p.entry;
      const runs = {};
      const workflowsOut = [];
      try {
        for (const wf of p.workflows) {
          const run = await session.execute(wf.id);
          runs[wf.name] = run;
          workflowsOut.push({ name: wf.name, exitCode: run.exitCode, signal: run.signal, seconds: run.seconds, attempts: run.attempts });
          console.log(
            `${tag} ${wf.name}: exit ${run.signal ?? run.exitCode} in ${run.seconds}s${run.attempts > 1 ? ` (after ${run.attempts} starts)` : ''}`,
          );
        }
        await scenario.check(runs, p.ctx);
        outcomes.push({ version: version.n8n, scenario: scenario.name, file: p.entry.file, ok: true, workflows: workflowsOut });
      } catch (err) {
        fail(p.entry, `${err.stack ?? err}\n${diagnose(runs)}`, workflowsOut);
      } finally {
        await safeTeardown(scenario, p.ctx);
      }
    }
  } finally {
    await session.close();
  }
  return outcomes;
}

/**
 * A scenario that drives n8n itself (a server and a browser, or a queue-mode installation), on its own:
 * setup, run, check when it has one, teardown. `run(ctx)` may return `{ steps: [{ name, seconds }] }` for
 * the summary; `check(result, ctx)` gets what it returned. Throwing anywhere fails the scenario.
 */
async function runStandalone(version, { file, scenario }, nodePackage) {
  const tag = `[n8n ${version.n8n}]`;
  const started = performance.now();
  const ctx = { version: version.key, n8n: version.n8n, nodePackage: nodePackage ?? undefined, log: (line) => console.log(line) };
  console.log(`${tag} ${scenario.name}`);
  /** @type {{ version: string, scenario: string, file: string, ok: boolean, error?: string, workflows: object[] }} */
  const outcome = { version: version.n8n, scenario: scenario.name, file, ok: false, workflows: [] };
  try {
    Object.assign(ctx, (await scenario.setup?.(ctx)) ?? {});
    const result = await scenario.run(ctx);
    outcome.workflows = (result?.steps ?? []).map((step) => ({ ...step, attempts: 1 }));
    await scenario.check?.(result, ctx);
    outcome.ok = true;
  } catch (err) {
    outcome.error = String(err.stack ?? err);
  } finally {
    await safeTeardown(scenario, ctx);
  }
  const seconds = Math.round(performance.now() - started) / 1000;
  if (outcome.workflows.length === 0) outcome.workflows.push({ name: 'run', seconds, attempts: 1 });
  console.log(`${tag} ${scenario.name}: ${outcome.ok ? 'passed' : 'failed'} in ${seconds}s`);
  return outcome;
}

function resolveList(value, ctx) {
  const list = typeof value === 'function' ? value(ctx) : value;
  return Array.isArray(list) ? list : [];
}

/** Deterministic 16-character workflow id: e2e + scenario index + workflow index. */
function workflowId(scenarioIndex, workflowIndex) {
  return `e2eS${String(scenarioIndex).padStart(3, '0')}W${String(workflowIndex).padStart(3, '0')}`.padEnd(16, '0');
}

async function safeTeardown(scenario, ctx) {
  try {
    await scenario.teardown?.(ctx);
  } catch (err) {
    console.error(`teardown of "${scenario.name}" failed: ${err.message}`);
  }
}

/** What n8n said, for a failed check: the execution error and the last output lines of each run. */
function diagnose(runs) {
  return Object.entries(runs)
    .map(([name, r]) => {
      const err = executionError(r.result);
      return [
        `--- ${name}: exit ${r.signal ?? r.exitCode}, ${r.result ? 'result parsed' : 'no result JSON'}`,
        err ? `execution error: ${err.message ?? JSON.stringify(err).slice(0, 500)}` : null,
        r.result ? null : `stdout (tail):\n${tail(r.stdout, 15)}`,
        r.stderr.trim() ? `stderr (tail):\n${tail(r.stderr, 15)}` : null,
      ]
        .filter(Boolean)
        .join('\n');
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Report

function printSummary(installs, outcomes) {
  console.log('\n=== n8n e2e summary ===');
  for (const i of installs) {
    console.log(
      `install n8n ${i.version.n8n}: ${i.cached ? `cached (first install took ${i.seconds.total}s)` : `${i.seconds.total}s (npm ${i.seconds.install}s + rebuild ${i.seconds.rebuild}s)`}`,
    );
  }
  for (const o of outcomes) {
    const times = o.workflows.map((w) => `${w.name} ${w.seconds}s${w.attempts > 1 ? ` x${w.attempts}` : ''}`).join('; ');
    console.log(`${o.ok ? 'PASS' : 'FAIL'}  n8n ${o.version}  ${o.scenario}${times ? `  [${times}]` : ''}`);
    if (!o.ok) console.log(indent(o.error));
  }
}

async function writeTimings(installs, outcomes, seconds) {
  const file = path.join(CACHE_DIR, 'last-run.json');
  const data = {
    finishedAt: new Date().toISOString(),
    seconds,
    installs: installs.map((i) => ({ n8n: i.version.n8n, cached: i.cached, seconds: i.seconds })),
    outcomes: outcomes.map(({ error, ...o }) => o),
  };
  await fs.writeFile(file, `${JSON.stringify(data, null, 2)}\n`).catch(() => {});
}

const indent = (text) =>
  String(text)
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err.stack ?? err);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
  },
);
