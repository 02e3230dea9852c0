// Why one long file: it is one user journey through the editor, step by step; split up, the order of
// the steps would be hidden.
// The ModelArts node as a user meets it in the n8n editor, in a real browser: `n8n start` with the packed
// node installed as a community package, the emulator beside it, the editor driven with playwright-core
// and the Chromium of @sparticuz/chromium.
//   - the first-step panel and the "What happens next?" panel find the node by each search term, and
//     selecting it lists the ModelArts Trigger's events (first step) or the node's actions (next step);
//   - an AK/SK credential for the emulator: the test passes; a wrong secret key, and a plain-HTTP
//     endpoint the credential refuses, show our messages, and n8n's server log gets no stack trace;
//   - the Annotation Job picked From List: the list holds the emulator's jobs (the node's listSearch through
//     n8n's server), and typing into its search narrows them down;
//   - Manual Trigger -> Get Tags of a few images, one unknown, Include Missing Images on: the output
//     table holds the emulator's ground truth and no cell is undefined.
// Screenshots of every step go to test-output/n8n-editor/<n8n version>/ (git-ignored, kept on failure).
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { CLASSIFICATION_JOB_ID, DEFAULT_CREDENTIALS, DEFAULT_PROJECT_ID, startEmulator } from '@modelarts-kit/emulator';
import { launchChromium } from '../../../scripts/chromium.mjs';
import { startN8nServer } from '../lib/n8n-server.mjs';
import { REPO_ROOT } from '../versions.mjs';

/** Every term must find the node in the node panel. */
export const SEARCH_TERMS = ['ModelArts', 'Huawei', 'Huawei Cloud', 'tags', 'image tags', 'annotation', 'object detection'];
const ACTIONS = [
  'Get the tags of an image',
  'Get the tags of many images',
  'Export tags to a file',
  'Check the labels of images',
  'Get many images',
  'Update the tags of images',
  'Delete images from a job',
  'Get many annotation jobs',
  'Sync an annotation job from OBS',
  'Get many tags',
  'Get tag statistics',
];
/** The ModelArts Trigger's events, listed as the app's triggers under the same "ModelArts" entry. */
const TRIGGERS = ['On images labelled', 'On tags changed', 'On labelling progress', 'On new untagged images'];
const WRONG_SECRET = 'e2e-wrong-secret-key/editor';
/** A line of a JavaScript stack trace, as n8n prints an error it logs with its stack. */
const STACK_LINE = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;
// Generous for a loaded 2-CPU machine; every wait is on a selector or an event, never a fixed time.
const STEP_TIMEOUT_MS = 60_000;
const FIRST_LOAD_TIMEOUT_MS = 180_000;

/** @type {import('../run.mjs').Scenario} */
export default {
  name: 'ModelArts node in the editor: found by search, credential test, output table (browser)',
  needsNodePackage: true,

  /** Runs on its own: it needs a server and a browser rather than imported workflows. */
  async run({ version, n8n, nodePackage, log }) {
    const shots = path.join(REPO_ROOT, 'test-output', 'n8n-editor', n8n);
    await fs.rm(shots, { recursive: true, force: true });
    await fs.mkdir(shots, { recursive: true });
    const emulator = await startEmulator({ imagesPerJob: 50 });
    let server;
    let browser;
    let page;
    let step = 0;
    const shot = async (name) => {
      step += 1;
      // Still pictures: no CSS animation (toasts, panels sliding in) keeps the capture waiting for a steady frame.
      await page.screenshot({ path: path.join(shots, `${String(step).padStart(2, '0')}-${name}.png`), animations: 'disabled' });
    };
    const timings = {};
    const started = performance.now();
    const lap = (name, since) => (timings[name] = Math.round(performance.now() - since) / 1000);
    try {
      let t = performance.now();
      [server, browser] = await Promise.all([startN8nServer({ version, nodePackage, log }), launchChromium()]);
      lap('start n8n and Chromium', t);
      const cookie = await server.setupOwner();
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await context.addCookies([{ ...cookie, url: server.url }]);
      page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT_MS);

      t = performance.now();
      // The editor's first load (megabytes of script, compiled on a busy machine) is the one step that
      // gets a longer budget; the wait is for the canvas itself, not for every resource ("load").
      await page.goto(`${server.url}/workflow/new`, { waitUntil: 'commit' });
      await page.locator('[data-test-id="canvas-add-button"]').click({ timeout: FIRST_LOAD_TIMEOUT_MS });
      await shot('first-step-panel');
      await expectFoundByEveryTerm(page, shot, 'first-step', shots);
      // In the panel that starts a workflow, the ModelArts entry leads with the ModelArts Trigger's events
      // (its actions are folded away there; the "What happens next?" panel below lists them).
      await openNodeAndExpect(page, 'ModelArts', TRIGGERS);
      await shot('first-step-triggers');
      lap('first-step panel', t);

      // A manual trigger (back from the node's actions to the search first), then the node from the
      // "What happens next?" panel.
      t = performance.now();
      await page.locator('[data-test-id="nodes-list-header"] button').first().click();
      await page.locator('[data-test-id="node-creator-search-bar"]').fill('manual');
      await nodeItem(page, /^(Manual Trigger|Trigger manually)$/).click();
      await page.locator('[data-test-id="canvas-trigger-node"]').waitFor();
      await page.locator('[data-test-id="node-creator-plus-button"]').click();
      await shot('next-step-panel');
      await expectFoundByEveryTerm(page, shot, 'next-step', shots);
      await openNodeAndExpect(page, 'Huawei', ACTIONS);
      await shot('next-step-actions');
      await nodeItem(page, ACTIONS[1]).click();
      const ndv = page.locator('[data-test-id="ndv"]');
      await ndv.locator('[data-test-id="resource-locator-annotationId"]').waitFor();
      await shot('node-added');
      lap('next-step panel and add', t);

      // The credential: test passes, a wrong secret shows our message, no stack trace in the server log.
      t = performance.now();
      // n8n 1.x offers "Create new credential" in the credential select; 2.x a "Connect to ..." button.
      const select = ndv.locator('[data-test-id="node-credentials-select"]');
      const connect = ndv.getByText(/^Connect to /);
      await select.or(connect).first().waitFor();
      if ((await connect.count()) > 0) await connect.click();
      else {
        await select.click();
        await page.locator('[data-test-id="node-credentials-select-item-new"]').click();
      }
      const modal = page.locator('[data-test-id="editCredential-modal"]');
      const input = (name) => modal.locator(`[data-test-id="parameter-input-${name}"] input`);
      await input('accessKey').fill(DEFAULT_CREDENTIALS.accessKey);
      await input('secretKey').fill(DEFAULT_CREDENTIALS.secretKey);
      await modal.locator('[data-test-id="parameter-input-endpointType"]').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: 'Custom Endpoint' }).click();
      await input('endpoint').fill(emulator.url);
      await input('projectId').fill(DEFAULT_PROJECT_ID);
      await shot('credential-filled');
      // Saving runs the credential test. n8n 1.x keeps the dialog open with a "tested successfully" tag;
      // 2.x closes the dialog when the test passed (and keeps it open with the error when it failed).
      const saveAndPass = async (what) => {
        const accepted = emulator.stats.auth.signature;
        await modal.locator('[data-test-id="credential-save-button"]').click();
        const passed = await Promise.race([
          modal
            .locator('[data-test-id="credentials-config-container-test-success"]')
            .waitFor()
            .then(
              () => 'tag',
              () => 'timeout',
            ),
          modal.waitFor({ state: 'hidden' }).then(
            () => 'closed',
            () => 'timeout',
          ),
        ]);
        assert.notEqual(passed, 'timeout', `${what}: the credential test did not pass within ${STEP_TIMEOUT_MS / 1000}s`);
        assert.ok(emulator.stats.auth.signature > accepted, `${what}: the emulator accepted the signed test request`);
        await shot(`credential-test-passed-${what}`);
        if (passed === 'tag') {
          await modal.locator('.el-dialog__close, [aria-label="Close"]').first().click();
          await modal.waitFor({ state: 'hidden' });
        }
      };
      await saveAndPass('created');

      // A failed test shows our message, and prints no stack trace (nor the secret) into the server log.
      const saveAndFail = async (what, message) => {
        const logBefore = server.log.length;
        await modal.locator('[data-test-id="credential-save-button"]').click();
        await modal.getByText(/Couldn.t connect with these settings/).waitFor();
        const more = modal.getByText('More details');
        if (await more.isVisible()) await more.click();
        await modal.getByText(message).waitFor();
        await shot(`credential-test-failed-${what}`);
        const testLog = server.log.slice(logBefore);
        assert.doesNotMatch(
          testLog,
          STACK_LINE,
          `${what}: a failed credential test must not print a stack trace into the server log:\n${testLog}`,
        );
      };
      await ndv.locator('[data-test-id="credential-edit-button"]').click();
      await input('secretKey').waitFor();
      const rejectedBefore = emulator.stats.auth.rejected;
      await input('secretKey').fill(WRONG_SECRET);
      await saveAndFail('wrong-secret', /ModelArts rejected the credentials: check the AK\/SK pair/);
      assert.equal(
        emulator.stats.auth.rejected,
        rejectedBefore + 1,
        'the failed test reached the emulator once, which rejected the signature',
      );
      // A mistake the credential itself refuses before any request (its authenticate function throws).
      await input('secretKey').fill(DEFAULT_CREDENTIALS.secretKey);
      await input('endpoint').fill('http://192.0.2.10:8080');
      await saveAndFail('plain-http', /uses plain HTTP, which would expose credentials on the network/);
      assert.ok(!server.log.includes(WRONG_SECRET), 'the secret key appears nowhere in the server log');

      await input('endpoint').fill(emulator.url);
      await saveAndPass('corrected');
      lap('credential', t);

      // A few images of the classification job and one ID it does not have, Include Missing Images on.
      t = performance.now();
      const imageIds = [...emulator.jobs.classification.imageIds.slice(0, 4), 'no-such-image-in-this-job'];
      await pickJobFromList(page, ndv, emulator, shot);
      await ndv.locator('[data-test-id="parameter-input-imageIds"] input').fill(imageIds.join(', '));
      // "Add Option" is a read-only select input in both versions (1.x in `.add-option`, 2.x in
      // `[data-test-id="collection-parameter-add"]`): its placeholder is the one thing they share.
      await ndv.locator('input[placeholder="Add Option"]').first().click();
      await page.getByText('Include Missing Images', { exact: true }).filter({ visible: true }).first().click();
      await ndv.locator('[data-test-id="parameter-input-includeMissing"]').locator('.el-switch, [role="switch"]').first().click();
      await shot('parameters');
      await ndv.locator('[data-test-id="node-execute-button"]').click();
      const output = page.locator('[data-test-id="output-panel"]');
      await output.locator('[data-test-id="node-run-status-success"], [data-test-id="node-run-info"]').first().waitFor();
      const table = output.locator('[data-test-id="ndv-data-container"] table').first();
      await table.waitFor();
      await shot('output-table');
      const rows = await readTable(table);
      lap('execute and read the table', t);

      const expected = imageIds.map((id) => {
        const truth = emulator.groundTruth(CLASSIFICATION_JOB_ID, id);
        return truth
          ? { image_id: id, job_type: 'classification', found: 'true', tags: truth.tags }
          : { image_id: id, job_type: 'classification', found: 'false', tags: [] };
      });
      assert.deepEqual(
        rows.map((row) => ({ ...row, tags: parseList(row.tags) })),
        expected,
        'the output table holds the emulator ground truth, one row per image, the missing one with found false and no tags',
      );
      for (const row of rows) {
        for (const [column, text] of Object.entries(row))
          assert.doesNotMatch(text, /undefined/, `cell ${column} of ${row.image_id} shows undefined`);
      }
      timings.total = Math.round(performance.now() - started) / 1000;
      log(`[n8n ${n8n}] editor steps (s): ${JSON.stringify(timings)}`);
      return { timings, screenshots: shots };
    } catch (err) {
      if (page) await shot('failure').catch(() => {});
      if (server) await fs.writeFile(path.join(shots, 'n8n-server.log'), server.log).catch(() => {});
      err.message += `\nscreenshots and the n8n server log: ${shots}`;
      throw err;
    } finally {
      await browser?.close();
      await server?.stop();
      await emulator.close();
    }
  },
};

/**
 * Picks the classification job in the Annotation Job resource locator, From List: the list shows every job
 * of the emulator as "name (ID)", and the search (sent to ModelArts' job search) narrows it to one.
 */
async function pickJobFromList(page, ndv, emulator, shot) {
  const searches = emulator.stats.operations.listAnnotationJobs ?? 0;
  await ndv.locator('[data-test-id="resource-locator-annotationId"] [data-test-id="rlc-input"]').click();
  const items = page.locator('[data-test-id="rlc-item"]').filter({ visible: true });
  const expected = emulator.jobList().map((job) => `${job.name} (${job.dls_prj_id})`);
  await items.filter({ hasText: expected.at(-1) }).waitFor();
  await shot('job-list');
  const listed = (await items.allInnerTexts()).map((text) => text.trim());
  assert.deepEqual([...listed].sort(), [...expected].sort(), 'the job list shows every job of the emulator');
  const search = page.locator('[data-test-id="rlc-search"] input, input[data-test-id="rlc-search"]').filter({ visible: true }).first();
  await search.fill('PHOTO');
  const photo = `photo-themes (${CLASSIFICATION_JOB_ID})`;
  // The old list goes, the search runs (loading placeholders), then its results come.
  await items.filter({ hasText: 'street-objects' }).waitFor({ state: 'detached' });
  await items.filter({ hasText: photo }).waitFor();
  assert.deepEqual(
    (await items.allInnerTexts()).map((text) => text.trim()),
    [photo],
    'the search narrows the list to the job',
  );
  await shot('job-search');
  await items.filter({ hasText: photo }).click();
  assert.ok((emulator.stats.operations.listAnnotationJobs ?? 0) >= searches + 2, 'the list and the search asked the emulator');
  // The run below reads this job's images: the output table proves the pick.
}

/** An entry of the node panel's list by its name. */
function nodeItem(page, name) {
  return page.locator('[data-test-id="node-creator-item-name"]').filter({ hasText: name });
}

/**
 * Each term, typed into the panel's search, lists the node. The search is emptied (and the node gone
 * from the list) before each term, so a list left from the term before cannot pass for a result.
 */
async function expectFoundByEveryTerm(page, shot, panel, shots) {
  const search = page.locator('[data-test-id="node-creator-search-bar"]');
  const modelArts = nodeItem(page, /^ModelArts$/);
  for (const term of SEARCH_TERMS) {
    await search.fill('');
    await modelArts.waitFor({ state: 'detached' });
    await search.fill(term);
    try {
      await modelArts.waitFor();
    } catch (err) {
      await shot(`${panel}-not-found-${slug(term)}`);
      throw new Error(`the ${panel} panel does not find the node by "${term}": ${err.message.split('\n')[0]}`);
    }
    await shot(`${panel}-search-${slug(term)}`);
    if (panel === 'next-step' && term === 'Huawei') await panelPicture(page, search, shots);
  }
}

/** The panel alone, with the node found, for the package README (test-output/n8n-editor/<version>/node-panel.png). */
async function panelPicture(page, search, shots) {
  const box = await search.boundingBox();
  const viewport = page.viewportSize();
  const x = Math.max(0, Math.floor(box.x) - 40);
  const y = Math.max(0, Math.floor(box.y) - 110);
  await page.screenshot({
    path: path.join(shots, 'node-panel.png'),
    clip: { x, y, width: viewport.width - x, height: 300 },
    animations: 'disabled',
  });
}

/** Selecting the node from a search lists its triggers or actions, as n8n's own app nodes do. */
async function openNodeAndExpect(page, term, entries) {
  const search = page.locator('[data-test-id="node-creator-search-bar"]');
  await search.fill(term);
  await nodeItem(page, /^ModelArts$/).click();
  for (const entry of entries) await nodeItem(page, entry).waitFor();
}

/** The table view as [{ column: cell text }], one object per row. */
async function readTable(table) {
  // innerText, not textContent: the cells as a person sees them (rendered text, hidden parts left out).
  return await table.evaluate((el) => {
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is being tested
    const header = [...el.querySelectorAll(':scope > thead > tr > th')].map((th) => th.innerText.trim());
    return [...el.querySelectorAll(':scope > tbody > tr')].map((tr) => {
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is being tested
      const cells = [...tr.querySelectorAll(':scope > td')].map((td) => td.innerText.trim());
      return Object.fromEntries(header.map((name, i) => [name, cells[i] ?? 'undefined']).filter(([name]) => name !== ''));
    });
  });
}

/** A list cell of the table view ("0:food\n1:person", or "[empty array]") as its values. */
function parseList(text) {
  if (text === '[empty array]') return [];
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => line.replace(/^\d+\s*:\s*/, ''));
}

const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-');
