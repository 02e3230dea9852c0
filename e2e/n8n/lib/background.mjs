// A long-running child process whose output the test reads as it comes: wait for a log line, count
// lines, stop it. Each child gets its own process group, so stopping it also stops what it started
// (n8n's task runners, PostgreSQL's backends).
import { spawn } from 'node:child_process';
import { killGroup } from '../../lib/processes.mjs';

/**
 * @typedef {object} Background
 * @property {string} name
 * @property {number} pid
 * @property {() => string} output               stdout and stderr so far, interleaved as they arrived
 * @property {(pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>} waitFor
 *           resolves at the first output line matching `pattern` (also one already printed); rejects when
 *           the process exits first or after `timeoutMs`
 * @property {<T>(predicate: (output: string) => T, what: string, timeoutMs?: number) => Promise<T>} waitUntil
 *           resolves with the first truthy value of `predicate` over the output so far, checked as output arrives
 * @property {Promise<{ code: number | null, signal: string | null }>} exited
 * @property {() => boolean} running
 * @property {(signal: NodeJS.Signals) => void} kill   sends `signal` to the process and everything it started
 * @property {(signal?: NodeJS.Signals, graceMs?: number) => Promise<void>} stop
 *           `signal` to the group, then SIGKILL if it is still there after `graceMs`
 */

/**
 * @param {string} name  for messages
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string }} [options]
 * @returns {Background}
 */
export function startBackground(name, cmd, args, { env = process.env, cwd } = {}) {
  const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const pid = /** @type {number} */ (child.pid);
  let text = '';
  let done = null;
  /** @type {Set<() => void>} */
  const watchers = new Set();
  const notify = () => {
    for (const w of [...watchers]) w();
  };
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8').on('data', (chunk) => {
      text += chunk;
      notify();
    });
  }
  const exited = new Promise((resolve) => {
    child.on('error', (err) => {
      text += `\n${err.message}\n`;
      done = { code: null, signal: null };
      notify();
      resolve(done);
    });
    child.on('exit', (code, signal) => {
      done = { code, signal };
      notify();
      resolve(done);
    });
  });

  const waitUntil = (predicate, what, timeoutMs = 120_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const value = predicate(text);
        if (value) finish(() => resolve(value));
        else if (done) finish(() => reject(new Error(`${name} exited (${done.signal ?? done.code}) before ${what}\n${tailOf(text)}`)));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`${name}: no ${what} within ${timeoutMs / 1000}s\n${tailOf(text)}`))),
        timeoutMs,
      );
      const finish = (settle) => {
        clearTimeout(timer);
        watchers.delete(check);
        settle();
      };
      watchers.add(check);
      check();
    });

  return {
    name,
    pid,
    output: () => text,
    exited,
    running: () => done === null,
    waitFor(pattern, timeoutMs = 120_000) {
      const lines = new RegExp(pattern.source, pattern.flags.includes('m') ? pattern.flags : `${pattern.flags}m`);
      return waitUntil((out) => out.match(lines), `printing ${pattern}`, timeoutMs);
    },
    waitUntil,
    kill: (signal) => killGroup(pid, signal),
    async stop(signal = 'SIGTERM', graceMs = 20_000) {
      if (done) {
        killGroup(pid, 'SIGKILL'); // children it left behind
        return;
      }
      killGroup(pid, signal);
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      killGroup(pid, 'SIGKILL');
    },
  };
}

function tailOf(text, lines = 25) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
