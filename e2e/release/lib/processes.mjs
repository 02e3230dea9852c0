// Child processes of the release test. Every child gets its own process group, so stopping it also
// stops whatever it started (npm -> node -> ...), and every long-running child is tracked so the test
// can prove at the end that it left nothing running.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { killGroup } from '../../n8n/harness.mjs';

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
 * Runs a command to completion and returns its output.
 * Throws (with the tail of the output) when it exits non-zero, unless `allowFailure` is set.
 *
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, allowFailure?: boolean,
 *   logFile?: string, input?: string }} [options]
 * @returns {Promise<{ exitCode: number | null, signal: string | null, stdout: string, stderr: string, seconds: number }>}
 */
export function run(cmd, args, options = {}) {
  const { cwd, env = process.env, timeoutMs = 10 * 60_000, allowFailure = false, logFile } = options;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    tracked.add(child.pid);
    const log = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
    log?.write(`\n$ ${[cmd, ...args].join(' ')}\n`);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
      log?.write(d);
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
      log?.write(d);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      tracked.delete(child.pid);
      log?.end();
      reject(err);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      // The command is done; anything it left behind in its group is stopped now.
      killGroup(child.pid, 'SIGKILL');
      tracked.delete(child.pid);
      log?.end();
      const seconds = Math.round(performance.now() - started) / 1000;
      const result = { exitCode, signal, stdout, stderr, seconds };
      if (timedOut) {
        reject(new Error(`${describe(cmd, args)} timed out after ${Math.round(timeoutMs / 1000)}s\n${tail(stderr || stdout)}`));
      } else if (exitCode !== 0 && !allowFailure) {
        const err = new Error(`${describe(cmd, args)} exited ${signal ?? exitCode}${cwd ? ` in ${cwd}` : ''}\n${tail(stderr.trim() ? stderr : stdout)}`);
        Object.assign(err, result);
        reject(err);
      } else {
        resolve(result);
      }
    });
  });
}

/**
 * Starts a long-running command in its own process group, output appended to `logFile`.
 * @returns {{ pid: number, child: import('node:child_process').ChildProcess, exited: Promise<void>, stop(): Promise<void> }}
 */
export function startBackground(cmd, args, { cwd, env = process.env, logFile }) {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  tracked.add(child.pid);
  const exited = new Promise((resolve) => child.on('exit', () => resolve()));
  return {
    pid: child.pid,
    child,
    exited,
    async stop() {
      killGroup(child.pid, 'SIGTERM');
      const gone = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
      if (!gone) killGroup(child.pid, 'SIGKILL');
      await waitForGroupGone(child.pid, 5000);
      tracked.delete(child.pid);
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

/** The end of a long output, or its start and end when it is longer than `lines` (npm puts the reason first). */
export function tail(text, lines = 40) {
  const all = String(text ?? '').trim().split('\n');
  if (all.length <= lines) return all.join('\n');
  const head = Math.floor(lines / 3);
  return [...all.slice(0, head), `... (${all.length - lines} lines) ...`, ...all.slice(-(lines - head))].join('\n');
}

function describe(cmd, args) {
  const shown = [cmd, ...args].join(' ');
  return `\`${shown.length > 160 ? shown.slice(0, 157) + '...' : shown}\``;
}
