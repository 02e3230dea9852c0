// The modelarts-tags command as installed from the registry, run as a user runs it:
//   node cli.mjs <path of the installed modelarts-tags> <expected version>
// against an emulator this project starts (its ground truth is the reference), and with nothing
// configured, when the command starts the emulator it depends on. Prints one JSON line: { checks }.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { DEFAULT_TOKEN, startEmulator } from '@modelarts-kit/emulator';

const [bin, version] = process.argv.slice(2);
const checks = [];

/** Runs the command with only PATH and HOME of this environment, plus `env`. */
function modelartsTags(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function boxesOf(wire) {
  const tags = typeof wire.tags === 'string' ? JSON.parse(wire.tags) : wire.tags;
  return tags.map((t) => [t.tag, ...t.pos]);
}

const v = await modelartsTags(['--version']);
assert.equal(v.code, 0, v.stderr);
assert.equal(v.stdout.trim(), version);
checks.push(`modelarts-tags --version prints ${version}`);

const emulator = await startEmulator();
try {
  const job = emulator.jobs.detection;
  const ids = job.imageIds.slice(0, 150);
  const env = { MODELARTS_ENDPOINT: emulator.url, MODELARTS_TOKEN: DEFAULT_TOKEN, HUAWEICLOUD_SDK_PROJECT_ID: emulator.projectId };
  const got = await modelartsTags(['get', job.id, ...ids, 'no-such-image', '--format', 'json', '--batch-size', '50'], env);
  assert.equal(got.code, 2, `exit status ${got.code} (2: some IDs missing); stderr: ${got.stderr}`);
  const doc = JSON.parse(got.stdout);
  assert.deepEqual(doc.missing, ['no-such-image']);
  assert.deepEqual(doc.failed, []);
  assert.deepEqual(
    doc.images.map((i) => i.imageId),
    ids,
  );
  for (const image of doc.images) {
    /** @type {any} The detection entry as the emulator sends it: tags and size. */
    const wire = emulator.groundTruth(job.id, image.imageId);
    assert.deepEqual(
      image.tags.map((t) => [t.tag, t.box.xmin, t.box.ymin, t.box.xmax, t.box.ymax]),
      boxesOf(wire),
      `boxes of ${image.imageId}`,
    );
    assert.deepEqual([image.size.width, image.size.height], wire.size.slice(0, 2));
  }
  assert.ok(doc.requestIds.length >= 3, 'three requests of at most 50 IDs');
  assert.ok(!got.stderr.includes(DEFAULT_TOKEN), 'the token appeared on stderr');
  checks.push(
    `modelarts-tags get ${job.id} (${ids.length} IDs + 1 unknown, --format json) against an emulator: the emulator's boxes and sizes, the unknown ID missing, exit 2`,
  );

  // Nothing configured: the command starts the emulator it depends on (same seed, same data).
  const embedded = await modelartsTags(['get', job.id, ...ids.slice(0, 3), '--format', 'ndjson']);
  assert.equal(embedded.code, 0, embedded.stderr);
  assert.match(embedded.stderr, /embedded emulator/);
  const lines = embedded.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((l) => l.imageId),
    ids.slice(0, 3),
  );
  for (const line of lines) {
    assert.deepEqual(
      line.tags.map((t) => [t.tag, t.box.xmin, t.box.ymin, t.box.xmax, t.box.ymax]),
      boxesOf(emulator.groundTruth(job.id, line.imageId)),
    );
  }
  checks.push('with nothing configured it starts the embedded emulator from its dependency, says so on stderr, and prints the same tags');
} finally {
  await emulator.close();
}

console.log(JSON.stringify({ checks }));
