// Child processes of the release test. Every child gets its own process group, so stopping it also
// stops whatever it started (npm -> node -> ...), and every long-running child is tracked so the test
// can prove at the end that it left nothing running.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { killGroup, runChecked } from '../../lib/processes.mjs';

const tracked = new Set();

/**
 * A mark in the environment of this process, inherited by everything it starts (also by what the n8n
 * harness and npm start), so the test can find any descendant that outlived it, wherever it went.
 */
export const RUN_MARK_VARIABLE = 'MODELARTS_RELEASE_TEST_RUN';
export const RUN_MARK = `${process.pid}-${Date.now()}`;
process.env[RUN_MARK_VARIABLE] = RUN_MARK;

/** Processes (other than this one) that carry this run's mark: [{ pid, command }]. Linux only. */
export function markedProcesses() {
  const needle = `${RUN_MARK_VARIABLE}=${RUN_MARK}`;
  const found = [];
  let entries = [];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return found; // no /proc: nothing to scan
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (!environ.split('\0').includes(needle)) continue;
      const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid, command });
    } catch {
      /* gone, or not ours to read */
    }
  }
  return found;
}

/**
 * Runs a command to completion (see runChecked) and returns its output; the process group is tracked
 * while it runs, so an interrupt can end it.
 *
 * @param {string} cmd
 * @param {string[]} args
 * @param {import('../../lib/processes.mjs').RunOptions & { allowFailure?: boolean }} [options]
 */
export async function run(cmd, args, options = {}) {
  /** @type {number | undefined} */
  let started;
  try {
    return await runChecked(cmd, args, {
      ...options,
      onSpawn: (pid) => {
        started = pid;
        tracked.add(pid);
      },
    });
  } finally {
    if (started !== undefined) tracked.delete(started);
  }
}

/**
 * Starts a long-running command in its own process group, output appended to `logFile`.
 * @returns {{ pid: number, child: import('node:child_process').ChildProcess, exited: Promise<void>, stop(): Promise<void> }}
 */
export function startBackground(cmd, args, { cwd, env = process.env, logFile }) {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  // Only a child that could not be started has no pid; its 'error' event says why.
  const pid = /** @type {number} */ (child.pid);
  tracked.add(pid);
  /** @type {Promise<void>} */
  const exited = new Promise((resolve) => child.on('exit', () => resolve()));
  return {
    pid,
    child,
    exited,
    async stop() {
      killGroup(pid, 'SIGTERM');
      const gone = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
      if (!gone) killGroup(pid, 'SIGKILL');
      await waitForGroupGone(pid, 5000);
      tracked.delete(pid);
    },
  };
}

export function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

async function waitForGroupGone(pid, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (groupAlive(pid) && Date.now() < until) await delay(50);
  if (groupAlive(pid)) killGroup(pid, 'SIGKILL');
}

/** Process groups this test started that still have a live member. */
export function liveGroups() {
  return [...tracked].filter(groupAlive);
}

/** Last resort on an error or an interrupt: stop every group this test started. */
export function killAllTracked() {
  for (const pid of tracked) killGroup(pid, 'SIGKILL');
}

export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
