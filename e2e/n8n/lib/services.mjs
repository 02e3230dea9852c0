// PostgreSQL and Redis from the distribution's packages (Debian: postgresql, redis-server), each started
// by the test as its own process on 127.0.0.1, on a free port, with a throwaway data folder; not the
// system services. PostgreSQL refuses to run as root: as root (CI), its folder is handed to the
// `postgres` user and its commands run through `runuser`; otherwise they run directly.
import { existsSync, readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../harness.mjs';
import { runChecked } from '../../lib/processes.mjs';
import { startBackground } from './background.mjs';

const POSTGRES_LIB = '/usr/lib/postgresql';
const DB_USER = 'n8n';
const DB_NAME = 'n8n';

/** The newest PostgreSQL server installed under /usr/lib/postgresql/<major>/bin (Debian's layout). */
function postgresBin() {
  const majors = existsSync(POSTGRES_LIB)
    ? readdirSync(POSTGRES_LIB)
        .filter((d) => /^\d+$/.test(d) && existsSync(path.join(POSTGRES_LIB, d, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0)
    throw new Error(`PostgreSQL is not installed (no ${POSTGRES_LIB}/<version>/bin/postgres); install the postgresql package`);
  return path.join(POSTGRES_LIB, majors[0], 'bin');
}

/**
 * Starts PostgreSQL with a fresh cluster (trust authentication, superuser `n8n`, database `n8n`).
 * Durability is off (fsync, synchronous commit): the data is thrown away at the end.
 * @returns {Promise<{ port: number, env: Record<string, string>, query(sql: string): Promise<string[][]>, stop(): Promise<void>, output(): string }>}
 */
export async function startPostgres() {
  const bin = postgresBin();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'e2e-postgres-'));
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL will not run as root: its folder belongs to the postgres user, its commands run as it.
  if (asRoot) await runChecked('chown', ['postgres:postgres', dir]);
  /** @type {(cmd: string, args: string[]) => [string, string[]]} */
  const asPostgres = (cmd, args) => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
  const data = path.join(dir, 'data');
  await runChecked(...asPostgres(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', DB_USER, '-E', 'UTF8', '--no-sync']), {
    cwd: dir,
  });

  const port = await freePort();
  const server = startBackground(
    'postgres',
    ...asPostgres(path.join(bin, 'postgres'), [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
    ]),
    { cwd: dir },
  );
  const remove = () => fs.rm(dir, { recursive: true, force: true });
  try {
    await server.waitFor(/database system is ready to accept connections/, 60_000);
  } catch (err) {
    await server.stop('SIGKILL');
    await remove();
    throw err;
  }

  const psql = (database, sql) =>
    runChecked('psql', [
      '-X',
      '-q',
      '-A',
      '-t',
      '-F',
      '\t',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      DB_USER,
      '-d',
      database,
      '-c',
      sql,
    ]);
  await psql('postgres', `CREATE DATABASE ${DB_NAME}`);

  return {
    port,
    env: {
      DB_TYPE: 'postgresdb',
      DB_POSTGRESDB_HOST: '127.0.0.1',
      DB_POSTGRESDB_PORT: String(port),
      DB_POSTGRESDB_DATABASE: DB_NAME,
      DB_POSTGRESDB_USER: DB_USER,
      DB_POSTGRESDB_PASSWORD: '',
    },
    /** Rows of a query, each a list of column texts (NULL is ''). */
    async query(sql) {
      const { stdout } = await psql(DB_NAME, sql);
      return stdout
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split('\t'));
    },
    output: server.output,
    async stop() {
      // SIGINT is PostgreSQL's fast shutdown: clients are disconnected, nothing waits for them.
      await server.stop('SIGINT');
      await remove();
    },
  };
}

/**
 * Starts Redis with nothing persisted.
 * @returns {Promise<{ port: number, env: Record<string, string>, stop(): Promise<void>, output(): string }>}
 */
export async function startRedis() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'e2e-redis-'));
  const port = await freePort();
  const server = startBackground('redis-server', 'redis-server', [
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
  ]);
  const remove = () => fs.rm(dir, { recursive: true, force: true });
  try {
    await server.waitFor(/Ready to accept connections/, 30_000);
  } catch (err) {
    await server.stop('SIGKILL');
    await remove();
    throw err;
  }
  return {
    port,
    env: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
    output: server.output,
    async stop() {
      await server.stop('SIGTERM');
      await remove();
    },
  };
}
