import { ConfigurationError } from './core/errors.js';
import { ModelArtsClient, type ModelArtsClientOptions } from './index.js';

/** The variable names of the official Huawei Cloud SDKs, plus the endpoint and token of this client. */
export const ENV = {
  accessKey: 'HUAWEICLOUD_SDK_AK',
  secretKey: 'HUAWEICLOUD_SDK_SK',
  securityToken: 'HUAWEICLOUD_SDK_SECURITY_TOKEN',
  projectId: 'HUAWEICLOUD_SDK_PROJECT_ID',
  region: 'HUAWEICLOUD_SDK_REGION_ID',
  endpoint: 'MODELARTS_ENDPOINT',
  token: 'MODELARTS_TOKEN',
} as const;

type Env = Record<string, string | undefined>;

/**
 * Client options from environment variables. AK/SK wins over a token when
 * both are set. Throws a ConfigurationError naming each missing variable.
 */
export function configFromEnv(env: Env = process.env): ModelArtsClientOptions {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const missing: string[] = [];
  const projectId = read(ENV.projectId);
  if (!projectId) missing.push(`${ENV.projectId} (the project ID of the region, under My Credentials > API Credentials)`);
  const endpoint = read(ENV.endpoint);
  const region = read(ENV.region);
  if (!endpoint && !region) missing.push(`${ENV.region} (e.g. cn-north-4) or ${ENV.endpoint}`);

  const accessKey = read(ENV.accessKey);
  const secretKey = read(ENV.secretKey);
  const token = read(ENV.token);
  let auth: ModelArtsClientOptions['auth'] | undefined;
  if (accessKey || secretKey) {
    if (!accessKey) missing.push(`${ENV.accessKey} (the access key that goes with ${ENV.secretKey})`);
    if (!secretKey) missing.push(`${ENV.secretKey} (the secret key that goes with ${ENV.accessKey})`);
    auth = { accessKey: accessKey ?? '', secretKey: secretKey ?? '', securityToken: read(ENV.securityToken) };
  } else if (token) {
    auth = { token };
  } else {
    missing.push(`${ENV.accessKey} and ${ENV.secretKey} (or ${ENV.token})`);
  }
  if (missing.length > 0) {
    throw new ConfigurationError(`Missing environment variables: ${missing.join('; ')}`);
  }
  const options: ModelArtsClientOptions = { projectId: projectId!, auth: auth! };
  if (endpoint) options.endpoint = endpoint;
  else options.region = region!;
  assertTlsVerified(env, endpoint);
  return options;
}

/**
 * Node reads NODE_TLS_REJECT_UNAUTHORIZED at every TLS connection: '0' turns
 * certificate checks off for the whole process, so AK/SK signatures and
 * tokens would go to whoever answers. Refuse it rather than warn once.
 */
function assertTlsVerified(env: Env, endpoint: string | undefined): void {
  if (env.NODE_TLS_REJECT_UNAUTHORIZED?.trim() !== '0') return;
  if (endpoint?.toLowerCase().startsWith('http:')) return;
  throw new ConfigurationError(
    'NODE_TLS_REJECT_UNAUTHORIZED=0 turns off TLS certificate checks for this whole process, so credentials could be sent to an impostor; unset it, and trust a private CA with NODE_EXTRA_CA_CERTS=<PEM file> instead',
  );
}

/** Whether any ModelArts credential variable is set (to decide between the cloud and a local default). */
export function hasEnvCredentials(env: Env = process.env): boolean {
  return [ENV.accessKey, ENV.secretKey, ENV.token].some((name) => (env[name]?.trim() ?? '') !== '');
}

export function clientFromEnv(env: Env = process.env, overrides: Partial<ModelArtsClientOptions> = {}): ModelArtsClient {
  return new ModelArtsClient({ ...configFromEnv(env), ...overrides });
}

export { ModelArtsClient };
