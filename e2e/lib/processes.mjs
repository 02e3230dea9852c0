// Child processes of the end-to-end tests (n8n harness, release test, n8n installs): one way to run a
// command to its end with a time limit. Every child gets its own process group, so ending it also ends
// whatever it started (npm -> node -> n8n's task runner ...), and nothing of it outlives its command.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const DEFAULT_TIMEOUT_MS = 10 * 60_000;

/**
 * @typedef {object} ProcessResult
 * @property {number | null} exitCode
 * @property {NodeJS.Signals | null} signal
 * @property {boolean} timedOut  the time limit ended it (with SIGKILL to its whole group)
 * @property {string} stdout
 * @property {string} stderr
 * @property {number} seconds
 */

/**
 * @typedef {object} RunOptions
 * @property {string} [cwd]
 * @property {NodeJS.ProcessEnv} [env]
 * @property {number} [timeoutMs]  default 10 minutes
 * @property {string} [logFile]    the command line and its output are appended to it once it ends
 * @property {(pid: number) => void} [onSpawn]  told the process group's ID as soon as the child runs
 */

/**
 * Runs a command to its end and returns its exit status and output; never rejects on a failed exit
 * (callers decide what a failure is), only when the command cannot be started.
 *
 * Output goes to files, not pipes: a program that exits right after printing (n8n does) can lose the
 * end of a large output written to a pipe; writes to a file are synchronous.
 *
 * @param {string} cmd
 * @param {readonly string[]} args
 * @param {RunOptions} [options]
 * @returns {Promise<ProcessResult>}
 */
export async function runProcess(cmd, args, options = {}) {
  const { cwd, env = process.env, timeoutMs = DEFAULT_TIMEOUT_MS, logFile, onSpawn } = options;
  const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'e2e-process-'));
  const outFile = await fs.open(path.join(outDir, 'stdout'), 'w+');
  const errFile = await fs.open(path.join(outDir, 'stderr'), 'w+');
  const started = performance.now();
  try {
    /** @type {{ exitCode: number | null, signal: NodeJS.Signals | null, timedOut: boolean }} */
    const ended = await new Promise((resolve, reject) => {
      const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', outFile.fd, errFile.fd], detached: true });
      const pid = child.pid;
      if (pid !== undefined) onSpawn?.(pid);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        if (pid !== undefined) killGroup(pid, 'SIGKILL');
      }, timeoutMs);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on('exit', (exitCode, signal) => {
        clearTimeout(timer);
        // The command is done; anything it left behind in its group is ended now.
        if (pid !== undefined) killGroup(pid, 'SIGKILL');
        resolve({ exitCode, signal, timedOut });
      });
    });
    const seconds = Math.round(performance.now() - started) / 1000;
    const stdout = await fs.readFile(path.join(outDir, 'stdout'), 'utf8');
    const stderr = await fs.readFile(path.join(outDir, 'stderr'), 'utf8');
    if (logFile) await fs.appendFile(logFile, `\n$ ${[cmd, ...args].join(' ')}\n${stdout}${stderr}`);
    return { ...ended, stdout, stderr, seconds };
  } finally {
    await outFile.close();
    await errFile.close();
    await fs.rm(outDir, { recursive: true, force: true });
  }
}

/**
 * Like runProcess, but a failure throws: a non-zero exit (unless `allowFailure`) or the time limit,
 * with the command and the end of its output in the message.
 *
 * @param {string} cmd
 * @param {readonly string[]} args
 * @param {RunOptions & { allowFailure?: boolean }} [options]
 * @returns {Promise<ProcessResult>}
 */
export async function runChecked(cmd, args, options = {}) {
  const result = await runProcess(cmd, args, options);
  if (result.timedOut) {
    throw new Error(`${describeCommand(cmd, args)} timed out after ${result.seconds}s\n${tail(result.stderr || result.stdout)}`);
  }
  if (result.exitCode !== 0 && !options.allowFailure) {
    const where = options.cwd ? ` in ${options.cwd}` : '';
    const output = tail(result.stderr.trim() ? result.stderr : result.stdout);
    throw Object.assign(new Error(`${describeCommand(cmd, args)} exited ${result.signal ?? result.exitCode}${where}\n${output}`), result);
  }
  return result;
}

/**
 * Ends a process group (a child started with `detached: true`), if it is still there.
 * @param {number} pid
 * @param {NodeJS.Signals} signal
 */
export function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

/**
 * The end of a long output, or its start and end when it is longer than `lines` (npm puts the reason first).
 * @param {unknown} text
 * @param {number} [lines]
 */
export function tail(text, lines = 40) {
  const all = String(text ?? '')
    .trim()
    .split('\n');
  if (all.length <= lines) return all.join('\n');
  const head = Math.floor(lines / 3);
  return [...all.slice(0, head), `... (${all.length - lines} lines) ...`, ...all.slice(-(lines - head))].join('\n');
}

/**
 * @param {string} cmd
 * @param {readonly string[]} args
 */
function describeCommand(cmd, args) {
  const shown = [cmd, ...args].join(' ');
  return `\`${shown.length > 160 ? `${shown.slice(0, 157)}...` : shown}\``;
}
