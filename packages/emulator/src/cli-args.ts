import { parseArgs } from 'node:util';
import type { AccessKeyPair } from './auth/signature-verifier.js';
import { FAULT_KINDS, isFaultKind, type FaultConfig, type FaultKind } from './faults/fault-config.js';
import type { EmulatorOptions } from './options.js';

export const USAGE = `Usage: modelarts-emulator [options]

Serves the ModelArts "get the tags of multiple images" API on a local port.

Server
  --port N                 port to listen on (default: a free one)
  --host HOST              interface to listen on (default 127.0.0.1)
  --project ID             the project that exists (default 0123456789abcdef0123456789abcdef)
  --seed N                 seed of the generated jobs and faults
  --images N               images per job (default 5000)
  --body-limit BYTES       larger bodies get 413 (default 12 MiB)
  --request-timeout MS     slower requests get 408 (default 30000)

Authentication (each defaults to the emulator's built-in value when not given)
  --token TOKEN            an accepted X-Auth-Token; repeat for several
  --ak AK --sk SK          an accepted AK/SK pair; repeat both for several

Faults (global; use --faults for per-job settings)
  --fault-rate R           share of requests that fail, 0..1
  --fault-kinds LIST       comma-separated, from ${FAULT_KINDS.join(',')}
  --fault-seed N           seed of the fault decisions
  --fault-sequence LIST    faults for the first requests in order, 'ok' for none (e.g. 429,ok,500)
  --fault-delay-ms MS      how long a 'delay' fault holds the answer (default 10000)
  --retry-after S          Retry-After seconds of a '429' fault (default 1)
  --max-batch-size N       more image IDs than this in one request get 400
  --faults JSON            a whole fault configuration, e.g. '{"jobs":{"287":{"rate":0.5}}}';
                           the flags above override its global fields

  --help                   show this text
`;

export type CliCommand = { kind: 'help' } | { kind: 'start'; options: EmulatorOptions };

/** Turns command-line arguments into emulator options. Errors name the flag, never a secret. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      project: { type: 'string' },
      seed: { type: 'string' },
      images: { type: 'string' },
      'body-limit': { type: 'string' },
      'request-timeout': { type: 'string' },
      token: { type: 'string', multiple: true },
      ak: { type: 'string', multiple: true },
      sk: { type: 'string', multiple: true },
      'fault-rate': { type: 'string' },
      'fault-kinds': { type: 'string' },
      'fault-seed': { type: 'string' },
      'fault-sequence': { type: 'string' },
      'fault-delay-ms': { type: 'string' },
      'retry-after': { type: 'string' },
      'max-batch-size': { type: 'string' },
      faults: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return { kind: 'help' };

  const options: EmulatorOptions = {};
  if (values.port !== undefined) options.port = integer('--port', values.port);
  if (values.host !== undefined) options.host = values.host;
  if (values.project !== undefined) options.projectId = values.project;
  if (values.seed !== undefined) options.seed = integer('--seed', values.seed);
  if (values.images !== undefined) options.imagesPerJob = integer('--images', values.images);
  if (values['body-limit'] !== undefined) options.bodyLimitBytes = integer('--body-limit', values['body-limit']);
  if (values['request-timeout'] !== undefined) {
    options.requestTimeoutMs = integer('--request-timeout', values['request-timeout']);
  }
  if (values.token !== undefined) options.tokens = values.token;
  const keys = keyPairs(values.ak, values.sk);
  if (keys !== undefined) options.keys = keys;

  const faults = faultConfig(values);
  if (faults !== undefined) options.faults = faults;
  return { kind: 'start', options };
}

function keyPairs(accessKeys: string[] | undefined, secretKeys: string[] | undefined): AccessKeyPair[] | undefined {
  if (accessKeys === undefined && secretKeys === undefined) return undefined;
  if (accessKeys?.length !== secretKeys?.length) {
    throw new CliUsageError('--ak and --sk must be given the same number of times, in pairs');
  }
  return (accessKeys ?? []).map((accessKey, i) => ({ accessKey, secretKey: (secretKeys ?? [])[i] as string }));
}

function faultConfig(values: Record<string, string | string[] | boolean | undefined>): FaultConfig | undefined {
  const text = (name: string): string | undefined => values[name] as string | undefined;
  let config: FaultConfig | undefined;
  const json = text('faults');
  if (json !== undefined) {
    try {
      config = JSON.parse(json) as FaultConfig;
    } catch {
      throw new CliUsageError('--faults is not valid JSON');
    }
    if (config === null || typeof config !== 'object' || Array.isArray(config)) {
      throw new CliUsageError('--faults must be a JSON object');
    }
  }
  const flags: FaultConfig = {};
  if (text('fault-rate') !== undefined) flags.rate = decimal('--fault-rate', text('fault-rate') as string);
  if (text('fault-kinds') !== undefined) flags.kinds = kindList('--fault-kinds', text('fault-kinds') as string);
  if (text('fault-seed') !== undefined) flags.seed = integer('--fault-seed', text('fault-seed') as string);
  if (text('fault-sequence') !== undefined) {
    flags.sequence = (text('fault-sequence') as string).split(',').map((item) => sequenceStep(item.trim()));
  }
  if (text('fault-delay-ms') !== undefined) flags.delayMs = integer('--fault-delay-ms', text('fault-delay-ms') as string);
  if (text('retry-after') !== undefined) flags.retryAfterSeconds = integer('--retry-after', text('retry-after') as string);
  if (text('max-batch-size') !== undefined) {
    flags.maxBatchSize = integer('--max-batch-size', text('max-batch-size') as string);
  }
  if (config === undefined && Object.keys(flags).length === 0) return undefined;
  return { ...config, ...flags };
}

function sequenceStep(item: string): FaultKind | null {
  if (item === 'ok') return null;
  if (isFaultKind(item)) return item;
  throw new CliUsageError(`--fault-sequence: '${item}' is neither 'ok' nor a fault kind (${FAULT_KINDS.join(', ')})`);
}

function kindList(flag: string, list: string): FaultKind[] {
  const kinds = list
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  for (const kind of kinds) {
    if (!isFaultKind(kind)) throw new CliUsageError(`${flag}: unknown fault kind '${kind}'; known: ${FAULT_KINDS.join(', ')}`);
  }
  return kinds as FaultKind[];
}

function integer(flag: string, value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(parsed)) throw new CliUsageError(`${flag} must be an integer`);
  return parsed;
}

function decimal(flag: string, value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) throw new CliUsageError(`${flag} must be a number`);
  return parsed;
}

/** A mistake on the command line; the message is meant for the user. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}
