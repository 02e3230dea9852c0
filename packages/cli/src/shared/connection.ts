import { ConfigurationError, ModelArtsClient } from '@modelarts-kit/client';
import { ENV, configFromEnv, hasEnvCredentials } from '@modelarts-kit/client/env';
import type { RunningEmulator } from '@modelarts-kit/emulator';

type Env = Record<string, string | undefined>;

/** Where to connect, as given on the command line; anything unset comes from the environment. */
export interface TargetFlags {
  endpoint?: string | undefined;
  region?: string | undefined;
  projectId?: string | undefined;
}

export interface ClientTuning {
  batchSize?: number | undefined;
  concurrency?: number | undefined;
}

export interface Target {
  client: ModelArtsClient;
  /** The embedded emulator, when nothing was configured. */
  emulator: RunningEmulator | undefined;
  /** For people: where the requests go and how they authenticate. Never a secret. */
  description: string;
  close(): Promise<void>;
}

/** Variables that configure where and how to connect (the official SDK's names plus the endpoint and token). */
const TARGET_VARIABLES = [ENV.accessKey, ENV.secretKey, ENV.token, ENV.endpoint, ENV.region, ENV.projectId] as const;

/**
 * A real connection is wanted when credentials or an endpoint are given,
 * on the command line or in the environment. A region or project ID alone
 * is often set for other tools, so it does not switch away from the emulator.
 */
export function wantsRealService(flags: TargetFlags, env: Env): boolean {
  return Boolean(flags.endpoint || flags.region || flags.projectId || hasEnvCredentials(env) || set(env[ENV.endpoint]));
}

/**
 * Connects to ModelArts as configured by flags and environment, or starts
 * the embedded emulator when nothing is configured. Configuration problems
 * throw a ConfigurationError that says which variable or flag to set.
 */
export async function openTarget(flags: TargetFlags, env: Env, tuning: ClientTuning = {}): Promise<Target> {
  if (!wantsRealService(flags, env)) {
    // Loaded only when needed: it compiles the OpenAPI document's schemas at start-up.
    const { DEFAULT_TOKEN, startEmulator } = await import('@modelarts-kit/emulator');
    const emulator = await startEmulator();
    let client: ModelArtsClient;
    try {
      client = new ModelArtsClient({
        endpoint: emulator.url,
        projectId: emulator.projectId,
        auth: { token: DEFAULT_TOKEN },
        ...definedTuning(tuning),
      });
    } catch (error) {
      await emulator.close();
      throw error;
    }
    return { client, emulator, description: `the embedded ModelArts emulator at ${emulator.url}`, close: () => emulator.close() };
  }

  const merged: Env = { ...env };
  // A flag beats the environment; a --region flag must also beat an endpoint from the environment.
  if (flags.endpoint) merged[ENV.endpoint] = flags.endpoint;
  else if (flags.region) merged[ENV.endpoint] = undefined;
  if (flags.region) merged[ENV.region] = flags.region;
  if (flags.projectId) merged[ENV.projectId] = flags.projectId;

  let options;
  try {
    options = configFromEnv(merged);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      throw new ConfigurationError(
        `${error.message}. The project ID, region and endpoint can also be given as --project-id, --region and --endpoint; credentials come only from the environment`,
      );
    }
    throw error;
  }
  const client = new ModelArtsClient({ ...options, ...definedTuning(tuning) });
  const auth = client.authKind === 'aksk' ? `AK/SK from ${ENV.accessKey}/${ENV.secretKey}` : `the token from ${ENV.token}`;
  return {
    client,
    emulator: undefined,
    description: `${client.endpoint} (project ${client.projectId}, ${auth})`,
    close: async () => undefined,
  };
}

/** A note for the emulator line when some, but not enough, configuration is present. */
export function partialConfigurationHint(env: Env): string | undefined {
  const present = TARGET_VARIABLES.filter((name) => set(env[name]));
  if (present.length === 0) return undefined;
  return `${present.join(' and ')} ${present.length === 1 ? 'is' : 'are'} set, but no credentials: set ${ENV.accessKey} and ${ENV.secretKey} (or ${ENV.token}) to use ModelArts`;
}

function set(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

function definedTuning(tuning: ClientTuning): ClientTuning {
  const out: ClientTuning = {};
  if (tuning.batchSize !== undefined) out.batchSize = tuning.batchSize;
  if (tuning.concurrency !== undefined) out.concurrency = tuning.concurrency;
  return out;
}
