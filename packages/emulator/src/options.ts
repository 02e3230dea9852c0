import type { AccessKeyPair } from './auth/signature-verifier.js';
import { DEFAULT_CREDENTIALS, DEFAULT_IMAGES_PER_JOB, DEFAULT_PROJECT_ID, DEFAULT_SEED, DEFAULT_TOKEN } from './constants.js';
import type { FaultConfig } from './faults/fault-config.js';
import { DEFAULT_OBS_SYNC, resolveObsSync, type ObsSyncSettings, type ResolvedObsSyncSettings } from './state/obs-sync.js';

export interface EmulatorOptions {
  /** TCP port; 0 or absent picks a free one. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** The only project that exists. Default DEFAULT_PROJECT_ID. */
  projectId?: string;
  /** Accepted `X-Auth-Token` values. Default [DEFAULT_TOKEN]; [] accepts no token. */
  tokens?: readonly string[];
  /** Accepted AK/SK pairs. Default [DEFAULT_CREDENTIALS]; [] accepts no signature. */
  keys?: readonly AccessKeyPair[];
  /** Seed of the generated jobs (and of fault decisions unless `faults.seed` is set). */
  seed?: number;
  /** Images in each seeded job. Default 5,000. */
  imagesPerJob?: number;
  /** Injected failures; none by default. */
  faults?: FaultConfig;
  /** How OBS syncs behave: `{ durationMs: 2000, addImages: 10, outcome: 'done' }` by default. */
  obsSync?: ObsSyncSettings;
  /** The server clock in ms since the epoch: `X-Sdk-Date` is checked against it, OBS syncs and validations are timed by it. Default Date.now. */
  clock?: () => number;
  /** Larger bodies get 413. Default 12 MiB, the gateway's limit for signed bodies. */
  bodyLimitBytes?: number;
  /** Time allowed to receive a whole request; slower ones get 408. Default 30,000 ms. */
  requestTimeoutMs?: number;
  /** Time allowed to receive the headers. Default 10,000 ms (capped at requestTimeoutMs). */
  headersTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open. Default 5,000 ms. */
  keepAliveTimeoutMs?: number;
  /** The OpenAPI document to validate against. Default: the one shipped with the package. */
  specPath?: string;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  projectId: string;
  tokens: readonly string[];
  keys: readonly AccessKeyPair[];
  seed: number;
  imagesPerJob: number;
  faults: FaultConfig | undefined;
  obsSync: ResolvedObsSyncSettings;
  clock: () => number;
  bodyLimitBytes: number;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  specPath: string | undefined;
}

export const DEFAULT_BODY_LIMIT_BYTES = 12 * 1024 * 1024;

export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const resolved: ResolvedOptions = {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    projectId: options.projectId ?? DEFAULT_PROJECT_ID,
    tokens: options.tokens ?? [DEFAULT_TOKEN],
    keys: options.keys ?? [DEFAULT_CREDENTIALS],
    seed: options.seed ?? DEFAULT_SEED,
    imagesPerJob: options.imagesPerJob ?? DEFAULT_IMAGES_PER_JOB,
    faults: options.faults,
    obsSync: resolveObsSync(options.obsSync ?? {}, DEFAULT_OBS_SYNC),
    clock: options.clock ?? Date.now,
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    requestTimeoutMs,
    // Node refuses a headers timeout longer than the request timeout.
    headersTimeoutMs: Math.min(options.headersTimeoutMs ?? 10_000, requestTimeoutMs),
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? 5_000,
    specPath: options.specPath,
  };
  checkInteger('port', resolved.port, 0, 65_535);
  checkInteger('seed', resolved.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  checkInteger('imagesPerJob', resolved.imagesPerJob, 0, 10_000_000);
  checkInteger('bodyLimitBytes', resolved.bodyLimitBytes, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('requestTimeoutMs', resolved.requestTimeoutMs, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('headersTimeoutMs', resolved.headersTimeoutMs, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('keepAliveTimeoutMs', resolved.keepAliveTimeoutMs, 0, Number.MAX_SAFE_INTEGER);
  if (resolved.tokens.some((token) => typeof token !== 'string' || token === '')) {
    throw new TypeError('tokens must be non-empty strings');
  }
  if (resolved.keys.some((key) => !key?.accessKey || !key?.secretKey)) {
    throw new TypeError('every entry of keys needs a non-empty accessKey and secretKey');
  }
  return resolved;
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer between ${min} and ${max}, got ${String(value)}`);
  }
}
