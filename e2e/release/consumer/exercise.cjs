// What a user does with the published packages, shared by the ESM and the CommonJS entry points
// (each passes in the modules it loaded its own way). Prints one JSON line with what it checked.
'use strict';
const assert = require('node:assert/strict');

/**
 * @param {{ label: string, client: any, clientEnv: any, clientCore: any, emulator: any, resolved: Record<string, string> }} m
 */
module.exports = async function exercise(m) {
  const { ModelArtsClient, AuthenticationError, ModelArtsError } = m.client;
  const { startEmulator, DEFAULT_CREDENTIALS, DEFAULT_TOKEN } = m.emulator;
  const checks = [];
  const check = (name, fn) => {
    fn();
    checks.push(name);
  };

  const emu = await startEmulator({ seed: 4242, imagesPerJob: 400 });
  try {
    // Classification job, AK/SK signing, more IDs than one batch, one unknown ID.
    const cls = emu.jobs.classification;
    const clsIds = [...cls.imageIds.slice(0, 250), 'no-such-image'];
    const signed = new ModelArtsClient({ endpoint: emu.url, projectId: emu.projectId, auth: DEFAULT_CREDENTIALS, batchSize: 100 });
    const clsResult = await signed.getImageTags({ annotationId: cls.id, imageIds: clsIds });
    check('classification job over AK/SK: every image, in input order, with the emulator tags', () => {
      assert.equal(clsResult.jobType, 'classification');
      assert.deepEqual(clsResult.missing, ['no-such-image']);
      assert.deepEqual(clsResult.failed, []);
      assert.deepEqual(
        clsResult.images.map((i) => i.imageId),
        clsIds.slice(0, 250),
      );
      for (const image of clsResult.images) {
        assert.equal(image.type, 'classification');
        assert.deepEqual(image.tags, wireTags(emu.groundTruth(cls.id, image.imageId)), `tags of ${image.imageId}`);
      }
      assert.ok(clsResult.requestIds.length >= 3, 'three batches of at most 100 IDs');
    });

    // Detection job, token auth.
    const det = emu.jobs.detection;
    const detIds = det.imageIds.slice(0, 120);
    const byToken = new ModelArtsClient({ endpoint: emu.url, projectId: emu.projectId, auth: { token: DEFAULT_TOKEN } });
    const detResult = await byToken.getImageTags({ annotationId: det.id, imageIds: detIds });
    check('detection job over a token: boxes and sizes as the emulator sent them', () => {
      assert.equal(detResult.jobType, 'detection');
      assert.equal(detResult.images.length, detIds.length);
      for (const image of detResult.images) {
        const wire = emu.groundTruth(det.id, image.imageId);
        assert.equal(image.type, 'detection');
        assert.deepEqual(
          image.tags.map((t) => [t.tag, t.box.xmin, t.box.ymin, t.box.xmax, t.box.ymax]),
          wireTags(wire).map((t) => [t.tag, ...t.pos]),
          `boxes of ${image.imageId}`,
        );
        assert.equal(image.size.width, wire.size[0]);
        assert.equal(image.size.height, wire.size[1]);
      }
    });

    // Typed errors survive packaging: a wrong secret is an AuthenticationError with the HTTP status.
    const wrong = new ModelArtsClient({
      endpoint: emu.url,
      projectId: emu.projectId,
      auth: { accessKey: DEFAULT_CREDENTIALS.accessKey, secretKey: 'not-the-secret' },
      maxRetries: 0,
    });
    const denied = await wrong.getImageTags({ annotationId: cls.id, imageIds: clsIds.slice(0, 3) }, { onError: 'collect' });
    check('a wrong secret key fails with AuthenticationError (401) that does not leak the key', () => {
      assert.equal(denied.images.length, 0);
      assert.equal(denied.failed.length, 3);
      const error = denied.failed[0].error;
      assert.ok(error instanceof AuthenticationError, `got ${error?.constructor?.name}: ${error?.message}`);
      assert.ok(error instanceof ModelArtsError);
      assert.equal(error.status, 401);
      assert.ok(!String(error.message).includes('not-the-secret'));
    });

    // The /env entry point: configuration from the official SDK variable names.
    const fromEnv = m.clientEnv.clientFromEnv({
      HUAWEICLOUD_SDK_AK: DEFAULT_CREDENTIALS.accessKey,
      HUAWEICLOUD_SDK_SK: DEFAULT_CREDENTIALS.secretKey,
      HUAWEICLOUD_SDK_PROJECT_ID: emu.projectId,
      MODELARTS_ENDPOINT: emu.url,
    });
    const envResult = await fromEnv.getImageTags({ annotationId: cls.id, imageIds: clsIds.slice(0, 5) });
    check('@modelarts-kit/client/env builds a working client from environment variables', () => {
      assert.equal(envResult.images.length, 5);
    });

    // The /core entry point: no Node defaults, so the host injects sleep (which must honour the signal:
    // the client also sleeps to time requests out, and cancels that sleep when the answer comes).
    const core = new m.clientCore.ModelArtsCoreClient({
      endpoint: emu.url,
      projectId: emu.projectId,
      auth: { token: DEFAULT_TOKEN },
      runtime: { sleep: hostSleep },
    });
    const coreResult = await core.getImageTags({ annotationId: det.id, imageIds: detIds.slice(0, 5) });
    check('@modelarts-kit/client/core works with an injected sleep', () => {
      assert.equal(coreResult.images.length, 5);
    });

    check('requests reached the emulator', () => assert.ok(emu.stats.requests >= 6));
  } finally {
    await emu.close();
  }
  process.stdout.write(`${JSON.stringify({ label: m.label, resolved: m.resolved, checks })}\n`);
};

/** A host's sleep, the way the /core entry point expects it: resolves after `ms`, rejects when aborted. */
function hostSleep(ms, signal) {
  return /** @type {Promise<void>} */ (
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        if (signal) signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      function onAbort() {
        clearTimeout(timer);
        reject(signal.reason);
      }
      if (signal) signal.addEventListener('abort', onAbort, { once: true });
    })
  );
}

function wireTags(entry) {
  assert.ok(entry, 'the emulator knows the image');
  return typeof entry.tags === 'string' ? JSON.parse(entry.tags) : entry.tags;
}
