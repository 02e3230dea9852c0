// The release path as files: the workflows run the commands RELEASING.md and package.json name, with
// the permissions, pins and guards RELEASING.md promises, so the prose and the files cannot drift.
// (actionlint checks the workflows' syntax and expressions in `npm run lint`; this needs no Go.)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readProjectMetadata, repositorySlug } from '../../scripts/package-metadata.mjs';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORKFLOWS_DIR = path.join(REPO_ROOT, '.github', 'workflows');
const read = (file: string): string => fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown> };
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, { branches?: string[] } | null>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean | string };
  jobs: Record<string, Job>;
}

const rootPackage = JSON.parse(read('package.json')) as {
  scripts: Record<string, string>;
  packageManager: string;
  engines: { node: string };
};
const releasing = read('RELEASING.md');
const metadata = readProjectMetadata(REPO_ROOT);
const workflowFiles = fs
  .readdirSync(WORKFLOWS_DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const workflowText = (name: string): string => read(path.join('.github', 'workflows', name));
const workflow = (name: string): Workflow => parse(workflowText(name)) as Workflow;
const onlyJob = (wf: Workflow): Job => {
  const jobs = Object.values(wf.jobs);
  expect(jobs).toHaveLength(1);
  return jobs[0]!;
};

/** The command RELEASING.md shows for `npm run <script>`, from its `npm run <script>   # <command>` lines. */
function releasingSays(script: string): string | undefined {
  const line = releasing.split('\n').find((l) => new RegExp(`^\\s*npm run ${script}\\s+#`).test(l));
  return line?.slice(line.indexOf('#') + 1).trim();
}

describe('release.yml', () => {
  const wf = workflow('release.yml');
  const job = onlyJob(wf);
  const changesets = job.steps.find((s) => s.uses?.startsWith('changesets/action@'));

  it('runs on pushes to the default branch only', () => {
    expect(wf.on).toEqual({ push: { branches: [metadata.defaultBranch] } });
  });

  it('hands changesets/action the version and publish commands of package.json, which RELEASING.md shows', () => {
    expect(changesets, 'no changesets/action step').toBeDefined();
    const version = String(changesets!.with?.version);
    const publish = String(changesets!.with?.publish);
    expect(version).toBe('npm run version-packages');
    expect(publish).toBe('npm run release');
    for (const script of ['version-packages', 'release']) {
      expect(rootPackage.scripts[script], `package.json has no "${script}" script`).toBeDefined();
      expect(releasingSays(script), `RELEASING.md does not show "npm run ${script}   # <what it runs>"`).toBe(rootPackage.scripts[script]);
    }
  });

  it('installs with npm ci and runs npm test before it versions or publishes', () => {
    const runs = job.steps.map((s) => s.run?.trim());
    const at = (command: string) => runs.indexOf(command);
    const action = job.steps.indexOf(changesets!);
    expect(at('npm ci')).toBeGreaterThanOrEqual(0);
    expect(at('npm test')).toBeGreaterThan(at('npm ci'));
    expect(action).toBeGreaterThan(at('npm test'));
    expect(releasing).toContain('npm ci');
    expect(releasing).toContain('npm test');
  });

  it('publishes with the npm that package.json pins, which can do trusted publishing (11.5.1 or later)', () => {
    const [, major, minor, patch] = /^npm@(\d+)\.(\d+)\.(\d+)$/.exec(rootPackage.packageManager) ?? [];
    expect(major, `packageManager is ${rootPackage.packageManager}`).toBeDefined();
    expect(Number(major) * 1e6 + Number(minor) * 1e3 + Number(patch)).toBeGreaterThanOrEqual(11_005_001);
    expect(job.steps.some((s) => s.run?.includes('npm install --global') && s.run.includes('packageManager'))).toBe(true);
  });

  it('has exactly the permissions it needs, on the job, and none by default', () => {
    expect(wf.permissions).toEqual({});
    expect(job.permissions).toEqual({ contents: 'write', 'pull-requests': 'write', 'id-token': 'write' });
    for (const [scope, level] of Object.entries(job.permissions!)) expect(releasing).toContain(`${scope}: ${level}`);
  });

  it('never runs twice at once, and a running release is never cancelled', () => {
    expect(wf.concurrency?.group).toMatch(/release/);
    expect(wf.concurrency?.['cancel-in-progress']).toBe(false);
  });

  it('publishes only from the repository package-metadata.json names (forks do not try)', () => {
    expect(job.if).toBe(`github.repository == '${repositorySlug(metadata)}'`);
  });

  it('asks for provenance: every published package sets publishConfig.provenance (the job has id-token: write)', async () => {
    const { publishedPackages } = await import('./lib/published-packages.mjs');
    for (const pkg of publishedPackages(REPO_ROOT)) {
      expect(pkg.manifest.publishConfig, pkg.name).toMatchObject({ access: 'public', provenance: true });
    }
  });

  it('passes secrets only through env of the step that needs them, never into a command line', () => {
    for (const step of job.steps) expect(step.run ?? '', `a run step uses a secret: ${step.run}`).not.toMatch(/secrets\./);
    const withSecrets = job.steps.filter(
      (s) => JSON.stringify(s.with ?? {}).includes('secrets.') || JSON.stringify(s.env ?? {}).includes('secrets.'),
    );
    expect(withSecrets).toEqual([changesets]);
    expect(Object.keys(changesets!.env ?? {})).toEqual(['NPM_TOKEN']);
  });

  it('builds what it publishes from the lockfile, with no dependency cache another run could have written', () => {
    const setupNode = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(setupNode?.with?.['package-manager-cache']).toBe(false);
    expect(job.steps.some((s) => s.uses?.startsWith('actions/cache@'))).toBe(false);
  });
});

describe('ci.yml', () => {
  const wf = workflow('ci.yml');
  const job = onlyJob(wf);

  it('runs on pull requests and on pushes to the default branch', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push']);
    expect(wf.on.push).toEqual({ branches: [metadata.defaultBranch] });
  });

  it('runs .ci/run itself, so CI here and CI there are the same commands', () => {
    expect(job.steps.map((s) => s.run?.trim()).filter(Boolean)).toEqual(['bash .ci/run']);
  });

  it('on Node 20 (the oldest that package.json supports) and Node 24', () => {
    const oldest = Number(/>=\s*(\d+)/.exec(rootPackage.engines.node)?.[1]);
    expect(job.strategy?.matrix?.node).toEqual([oldest, 24]);
  });

  it('caches npm downloads and the n8n installs where .ci/run keeps them', () => {
    const cached = job.steps.filter((s) => s.uses?.startsWith('actions/cache@')).map((s) => String(s.with?.path));
    expect(cached).toContain(job.env?.N8N_E2E_CACHE_DIR);
    expect(cached.some((p) => p.endsWith('/.npm'))).toBe(true);
    expect(read('.ci/run')).toContain('N8N_E2E_CACHE_DIR="${N8N_E2E_CACHE_DIR:-');
  });

  it('may only read the repository', () => {
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(job.permissions).toBeUndefined();
  });
});

describe('every workflow', () => {
  it('RELEASING.md points at each of them', () => {
    expect(workflowFiles).toEqual(['ci.yml', 'release.yml']);
    for (const file of workflowFiles) expect(releasing).toContain(`.github/workflows/${file}`);
  });

  it.each(workflowFiles)('%s pins every action to a full commit SHA, with its release tag in a comment', (file) => {
    const uses = workflowText(file)
      .split('\n')
      .filter((l) => /^\s*(-\s+)?uses:/.test(l));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line, line.trim()).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it('pins each action to the same commit in every workflow', () => {
    const pins = new Map<string, Set<string>>();
    for (const file of workflowFiles) {
      for (const [, action, sha] of workflowText(file).matchAll(/uses: ([\w.-]+\/[\w.-]+)@([0-9a-f]{40})/g)) {
        pins.set(action!, (pins.get(action!) ?? new Set()).add(sha!));
      }
    }
    const drifted = [...pins].filter(([, shas]) => shas.size > 1).map(([action]) => action);
    expect(drifted).toEqual([]);
  });

  it.each(workflowFiles)('%s checks out without leaving the token in .git/config', (file) => {
    const checkouts = Object.values(workflow(file).jobs).flatMap((j) => j.steps.filter((s) => s.uses?.startsWith('actions/checkout@')));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const step of checkouts) expect(step.with?.['persist-credentials']).toBe(false);
  });
});
