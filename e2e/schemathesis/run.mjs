#!/usr/bin/env node
// Contract fuzzing of the emulator: schemathesis generates valid and invalid requests from
// openapi/modelarts.yaml, sends them to a freshly started emulator on 127.0.0.1 and checks every
// answer against the same document (schema, status codes, content types, headers), plus the
// ModelArts rules in hooks.py (error codes, request IDs, no credential echoed). Exits non-zero on
// any failure, and also when the fuzzing never got past routing, auth or body validation.
//
// Needs python3 with venv and the built emulator (npx turbo run build --filter=@modelarts-kit/emulator).
// schemathesis is installed from requirements.txt into .cache/schemathesis/venv on first use.
//
// Environment:
//   SCHEMATHESIS_MAX_EXAMPLES=N   cases per operation and phase (default 100: 13 operations stay within about two
//                                 minutes on a busy two-CPU machine; the run prints how many it made and how long it took)
//   SCHEMATHESIS_SEED=N           generation seed (default 20240102, so CI runs are reproducible)
//   SCHEMATHESIS_EMULATOR=file    another build of the emulator's index.js (to show that a broken one fails)
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const CACHE = path.join(ROOT, '.cache', 'schemathesis');
const VENV = path.join(CACHE, 'venv');
const RUN_DIR = path.join(CACHE, 'run');
const REQUIREMENTS = path.join(HERE, 'requirements.txt');
const SPEC = path.join(ROOT, 'openapi', 'modelarts.yaml');
const EMULATOR = path.resolve(process.env.SCHEMATHESIS_EMULATOR || path.join(ROOT, 'packages', 'emulator', 'dist', 'index.js'));

const maxExamples = positiveInt('SCHEMATHESIS_MAX_EXAMPLES', 100);
const seed = positiveInt('SCHEMATHESIS_SEED', 20240102);

const CHECKS = [
  // From the OpenAPI document.
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
  // Invalid input is refused with a 4xx, valid input is not.
  'negative_data_rejection',
  'positive_data_acceptance',
  'missing_required_header',
  // Without the token (or with a wrong one) the answer is 401.
  'ignored_auth',
  // Other methods on the path get 405 with an Allow header.
  'unsupported_method',
  'allow_header_conformance',
  // hooks.py
  'modelarts_error_body',
  'request_id_header',
  'no_credential_echo',
];

function positiveInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) fail(`${name} must be a positive integer, not ${JSON.stringify(raw)}`);
  return value;
}

function fail(message) {
  process.stderr.write(`schemathesis: ${message}\n`);
  process.exit(1);
}

/** Creates the venv and installs requirements.txt, again only when that file changes. */
function ensureSchemathesis() {
  const bin = path.join(VENV, 'bin', 'schemathesis');
  const stamp = path.join(VENV, '.requirements');
  const wanted = readFileSync(REQUIREMENTS, 'utf8');
  if (existsSync(bin) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return bin;
  const python = process.env.PYTHON ?? 'python3';
  const probe = spawnSync(python, ['-c', 'import venv, ensurepip'], { stdio: 'ignore' });
  if (probe.status !== 0) fail(`${python} with the venv module is needed (Debian: apt-get install python3 python3-venv)`);
  rmSync(VENV, { recursive: true, force: true });
  mkdirSync(CACHE, { recursive: true });
  /** @type {[string, string[]][]} */
  const steps = [
    [python, ['-m', 'venv', VENV]],
    [path.join(VENV, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS]],
  ];
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, { stdio: 'inherit' });
    if (result.status !== 0) fail(`${path.basename(command)} ${args.join(' ')} failed`);
  }
  writeFileSync(stamp, wanted);
  return bin;
}

/** Values the generator mixes into paths, queries and bodies, so that most cases reach a real job and real images. */
function configToml(emulator) {
  const list = (values) => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
  const jobs = emulator.jobList();
  const jobIds = jobs.map((job) => String(job.dls_prj_id));
  const images = jobIds.flatMap((jobId) => emulator.imageIds(jobId).slice(0, 4));
  const tags = ['car', 'person', 'cat', '猫', '__none__'];
  return [
    '[dictionaries.projects]',
    `values = ${list([emulator.projectId])}`,
    '[dictionaries.jobs]',
    `values = ${list(jobIds)}`,
    '[dictionaries.job_uuids]',
    `values = ${list(jobs.map((job) => job.id))}`,
    '[dictionaries.images]',
    `values = ${list(images)}`,
    '[dictionaries.tags]',
    `values = ${list(tags)}`,
    '[parameters]',
    // Not 1.0: the generator must still try project, job and image IDs that do not exist.
    '"path.project_id" = { dictionary = "projects", probability = 0.8 }',
    '"path.data_annotation_id" = { dictionary = "jobs", probability = 0.8 }',
    '"path.job_id" = { dictionary = "job_uuids", probability = 0.8 }',
    '"path.image_id" = { dictionary = "images", probability = 0.6 }',
    '"query.tag_name" = { dictionary = "tags", probability = 0.5 }',
    '"body.image_id[*]" = { dictionary = "images", probability = 0.5 }',
    '"body.images[*].image_id" = { dictionary = "images", probability = 0.7 }',
    '',
    // A tag write that fits the schema can still break a rule the schema cannot express (an image the
    // job does not hold, boxes for a classification job, a box outside the image): that is a 400.
    '[[operations]]',
    'include-operation-id = "updateImageTags"',
    'checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "429", "5xx"]',
    '',
  ].join('\n');
}

function run(command, args, env) {
  return new Promise((resolve, reject) => {
    // schemathesis keeps its example database in the working directory: keep it out of the repository.
    const child = spawn(command, args, { cwd: RUN_DIR, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

async function main() {
  if (!existsSync(EMULATOR)) fail(`${EMULATOR} is missing: run \`npx turbo run build --filter=@modelarts-kit/emulator\` first`);
  const schemathesis = ensureSchemathesis();
  const { startEmulator } = await import(pathToFileURL(EMULATOR).href);

  // A token unique to this run: finding it in any response means the emulator echoed a credential.
  const secret = `fuzz-token-${randomBytes(12).toString('hex')}`;
  const emulator = await startEmulator({ tokens: [secret], imagesPerJob: 1_000, requestTimeoutMs: 10_000 });
  rmSync(RUN_DIR, { recursive: true, force: true });
  mkdirSync(RUN_DIR, { recursive: true });
  const config = path.join(RUN_DIR, 'schemathesis.toml');
  const report = path.join(RUN_DIR, 'report.json');
  writeFileSync(config, configToml(emulator));

  const started = performance.now();
  let exitCode;
  try {
    exitCode = await run(
      schemathesis,
      [
        '--config-file',
        config,
        'run',
        SPEC,
        '--url',
        emulator.url,
        '--header',
        `X-Auth-Token: ${secret}`,
        '--checks',
        CHECKS.join(','),
        '--max-examples',
        String(maxExamples),
        '--seed',
        String(seed),
        // A hang is a failure too.
        '--request-timeout',
        '10',
        '--max-response-time',
        '5',
        '--report',
        'json',
        '--report-json-path',
        report,
      ],
      { SCHEMATHESIS_HOOKS: path.join(HERE, 'hooks.py'), MODELARTS_FUZZ_SECRET: secret, NO_COLOR: '1' },
    );
  } finally {
    await emulator.close();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  if (!existsSync(report)) fail(`schemathesis exited with ${exitCode} and wrote no report`);
  const summary = JSON.parse(readFileSync(report, 'utf8'));
  const cases = summary.test_cases ?? {};
  const statuses = Object.entries(emulator.stats.responses)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, count]) => `${status} x${count}`)
    .join(', ');
  process.stdout.write(
    `\nschemathesis: ${cases.generated} cases generated, ${cases.with_failures} with failures, ${cases.errored} errored, ` +
      `in ${seconds} s (seed ${seed}, max ${maxExamples} examples per phase)\n` +
      `emulator: ${emulator.stats.requests} requests answered: ${statuses}\n`,
  );

  // A run that never reached the tags, or never sent a bad body, proves little: fail it.
  const reached = emulator.stats.responses;
  const gaps = [
    [200, 'no request got past auth and body validation to the tags'],
    [400, 'no invalid request was refused with 400'],
    [401, 'no request without a valid token was refused with 401'],
    [404, 'no unknown project or job was tried'],
  ].filter(([status]) => !(reached[status] > 0));
  for (const [, message] of gaps) process.stderr.write(`schemathesis: ${message}\n`);

  if (exitCode !== 0 || cases.with_failures > 0 || cases.errored > 0 || !(cases.generated > 0) || gaps.length > 0) {
    process.stderr.write('schemathesis: FAILED\n');
    process.exit(exitCode || 1);
  }
  process.stdout.write('schemathesis: passed\n');
}

await main();
