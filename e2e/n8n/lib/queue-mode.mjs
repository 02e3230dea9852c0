// n8n in queue mode, as a scaled-out installation runs it: PostgreSQL as the database, Redis as the
// queue, one main process (`n8n start`: editor, API, production webhooks) that enqueues executions, and
// `n8n worker` processes that run them. Each process has its own user folder with the community package
// installed in it (as on separate machines), the same N8N_ENCRYPTION_KEY (so workers can decrypt the
// credentials the main stored), and its own ports.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { tail } from '../../lib/processes.mjs';
import { createN8nSession, freePort } from '../harness.mjs';
import { nodeBinary } from '../versions.mjs';
import { startBackground } from './background.mjs';
import { startPostgres, startRedis } from './services.mjs';

const READY_TIMEOUT_MS = 5 * 60_000;
const POLL_MS = 250;

/**
 * @typedef {object} QueueWorker
 * @property {string} name
 * @property {import('./background.mjs').Background} process
 * @property {() => string[]} started   execution IDs this worker started, in order (from its log)
 * @property {() => string[]} finished  execution IDs this worker finished
 */

/**
 * Starts PostgreSQL, Redis, imports credentials and workflows (workflows with `active: true` are
 * published), then starts the main process and `workers` workers and waits until all are ready.
 *
 * @param {object} options
 * @param {'2' | '1'} options.version
 * @param {string} options.nodePackage     packed community node, installed into every process's user folder
 * @param {object[]} [options.credentials]
 * @param {object[]} [options.workflows]
 * @param {number} [options.workers]       default 2
 * @param {number} [options.concurrency]   executions one worker runs at once (`n8n worker --concurrency`)
 * @param {Record<string, string>} [options.env] extra environment for every n8n process
 * @param {(line: string) => void} [options.log]
 */
export async function startQueueMode(options) {
  const { version, nodePackage, credentials = [], workflows = [], concurrency = 10, log = () => {} } = options;
  const tag = `[queue mode]`;
  const stack = [];
  /** @type {import('./background.mjs').Background | undefined} */
  let main;
  /** @type {QueueWorker[]} */
  const workers = [];
  const stopAll = async () => {
    if (process.env.N8N_E2E_KEEP === '1' && main) {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'n8n-queue-mode-logs-'));
      for (const p of [main, ...workers.map((w) => w.process)])
        await fs.writeFile(path.join(dir, `${p.name.replace(/\W+/g, '-')}.log`), p.output());
      log(`${tag} kept the logs in ${dir}`);
    }
    for (const stop of stack.splice(0).reverse()) await stop().catch((err) => log(`${tag} stop: ${err.message}`));
  };

  try {
    const began = performance.now();
    const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    stack.push(
      () => postgres.stop(),
      () => redis.stop(),
    );
    log(`${tag} PostgreSQL on 127.0.0.1:${postgres.port}, Redis on 127.0.0.1:${redis.port} (${seconds(began)}s)`);

    // What every process of the installation shares.
    const shared = {
      ...postgres.env,
      ...redis.env,
      EXECUTIONS_MODE: 'queue',
      // n8n's default pool of 2 database connections makes a burst of webhook calls wait for a
      // connection until it times out (HTTP 500): every call needs a few queries on the main.
      DB_POSTGRESDB_POOL_SIZE: '10',
      N8N_LISTEN_ADDRESS: '127.0.0.1',
      QUEUE_HEALTH_CHECK_ACTIVE: 'true',
      // The main waits for a job with Bull's job.finished(): it looks the job up in Redis, then listens
      // for its completion event. By default n8n removes a finished job from Redis at once, so a job that
      // finishes before the main listens (a fast execution, a busy main) is never seen to finish and its
      // webhook caller is never answered (n8n issue #30392). Keeping the last finished jobs lets Bull's
      // 5 s re-check find them.
      N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED: '1000',
      N8N_EXECUTIONS_QUEUE_KEEP_LAST_FAILED: '1000',
      ...options.env,
    };

    // The main process's user folder; importing into it creates n8n's schema in PostgreSQL.
    const mainPort = await freePort();
    const mainSession = await createN8nSession({
      version,
      nodePackage,
      credentials,
      workflows,
      env: { ...shared, N8N_PORT: String(mainPort) },
      log,
    });
    stack.push(() => mainSession.close());
    log(`${tag} imported ${credentials.length} credential(s) and ${workflows.length} workflow(s) into PostgreSQL (${seconds(began)}s)`);

    // n8n imports workflows unpublished; `publish:workflow` publishes one, the main activates it when it starts.
    const publishAndStartMain = async () => {
      for (const wf of workflows.filter((w) => w.active)) {
        const r = await mainSession.cli(['publish:workflow', `--id=${wf.id}`], `publish:workflow ${wf.id}`);
        const [[published]] = await postgres.query(
          `SELECT COUNT(*) FROM workflow_entity WHERE id = '${wf.id}' AND "activeVersionId" IS NOT NULL`,
        );
        if (r.exitCode !== 0 || published !== '1') {
          throw new Error(`n8n publish:workflow --id=${wf.id} failed (${r.signal ?? r.exitCode}):\n${tail(`${r.stdout}\n${r.stderr}`)}`);
        }
      }
      log(`${tag} published ${workflows.filter((w) => w.active).length} workflow(s) (${seconds(began)}s)`);
      const started = startBackground('n8n main', nodeBinary(mainSession.version), [mainSession.version.n8nBin, 'start'], {
        env: mainSession.env,
        cwd: mainSession.userFolder,
      });
      main = started;
      stack.push(() => started.stop());
      await started.waitFor(/Editor is now accessible via/, READY_TIMEOUT_MS);
      // n8n 2.x activates published workflows in the background after start-up; a production webhook
      // answers once its row is in webhook_entity.
      const published = workflows.filter((w) => w.active).map((w) => `'${w.id}'`);
      if (published.length > 0) {
        await waitForRows(
          postgres,
          `SELECT COUNT(DISTINCT "workflowId") FROM webhook_entity WHERE "workflowId" IN (${published.join(',')})`,
          ([[count]]) => Number(count) === published.length,
          main,
        );
      }
      log(`${tag} main ready on ${url} (${seconds(began)}s)`);
    };
    const url = `http://127.0.0.1:${mainPort}`;

    let named = 0;
    const addWorker = async () => {
      const name = `worker-${++named}`;
      const healthPort = await freePort();
      const session = await createN8nSession({
        version,
        nodePackage,
        env: { ...shared, QUEUE_HEALTH_CHECK_PORT: String(healthPort) },
        log,
      });
      stack.push(() => session.close());
      const proc = startBackground(
        `n8n ${name}`,
        nodeBinary(session.version),
        [session.version.n8nBin, 'worker', `--concurrency=${concurrency}`],
        {
          env: session.env,
          cwd: session.userFolder,
        },
      );
      stack.push(() => proc.stop());
      const worker = {
        name,
        process: proc,
        healthUrl: `http://127.0.0.1:${healthPort}/healthz/readiness`,
        started: () => executionIds(proc.output(), 'started'),
        finished: () => executionIds(proc.output(), 'finished'),
      };
      workers.push(worker);
      await proc.waitFor(/n8n worker is now ready/, READY_TIMEOUT_MS);
      log(`${tag} ${name} ready (${seconds(began)}s)`);
      return worker;
    };

    // Workers start while the workflows are published: they need only the database schema.
    await Promise.all([publishAndStartMain(), ...Array.from({ length: options.workers ?? 2 }, () => addWorker())]);

    return {
      url,
      webhookUrl: (path) => `${url}/webhook/${path}`,
      main,
      workers,
      postgres,
      redis,
      addWorker,
      /** Waits until `done(rows)` holds for a query on n8n's database (checked every POLL_MS). */
      waitForRows: (sql, done, timeoutMs) => waitForRows(postgres, sql, done, main, timeoutMs),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Polls a query until `done(rows)`; fails when `process` exits first or after `timeoutMs`. */
async function waitForRows(postgres, sql, done, process, timeoutMs = READY_TIMEOUT_MS) {
  const until = performance.now() + timeoutMs;
  for (;;) {
    if (done(await postgres.query(sql))) return;
    if (!process.running()) throw new Error(`${process.name} exited while waiting for: ${sql}\n${tail(process.output())}`);
    if (performance.now() > until) throw new Error(`Timed out waiting for: ${sql}\n${tail(process.output())}`);
    await delay(POLL_MS);
  }
}

/** Execution IDs a worker's log says it started or finished ("Worker started execution 12 (job 12)"). */
function executionIds(output, what) {
  return [...output.matchAll(new RegExp(`Worker ${what} execution (\\d+)`, 'g'))].map((m) => m[1]);
}

const seconds = (since) => Math.round((performance.now() - since) / 100) / 10;
