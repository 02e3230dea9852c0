import { ConfigurationError } from '../errors.js';
import { type AkSkCredentials, signRequest } from './signing.js';

/** A request about to be sent, as an auth strategy sees it. */
export interface OutgoingRequest {
  method: string;
  url: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The exact body that will be sent. */
  body?: string | undefined;
}

export interface AuthContext {
  projectId: string;
  /** The current time, from the client's injected clock. */
  now: number;
}

/**
 * Adds authentication to a request. Called afresh for every attempt, so a
 * retried request gets a fresh signature and date. Return the headers to add.
 */
export interface AuthStrategy {
  readonly kind: string;
  authorize(request: OutgoingRequest, context: AuthContext): Record<string, string> | Promise<Record<string, string>>;
}

export type TokenProvider = () => string | Promise<string>;

export type AuthOption = { token: string | TokenProvider } | TokenProvider | AkSkCredentials | AuthStrategy;

// Credentials live in private fields: util.inspect, JSON.stringify and
// console.log of a strategy or of the client never show them.

/** The credentials each built-in strategy holds, for redaction: a provider's token as last returned. */
const heldSecrets = new WeakMap<AuthStrategy, () => (string | undefined)[]>();

/** The credentials a strategy holds (for a custom strategy: none it could tell), to redact from what the client reports. */
export function knownSecrets(strategy: AuthStrategy): (string | undefined)[] {
  return heldSecrets.get(strategy)?.() ?? [];
}

class TokenAuth implements AuthStrategy {
  readonly kind = 'token';
  readonly #token: string | TokenProvider;
  #lastToken: string | undefined;

  constructor(token: string | TokenProvider) {
    if (typeof token === 'string') assertHeaderValue(token, 'The token');
    this.#token = token;
    heldSecrets.set(this, () => [typeof this.#token === 'string' ? this.#token : this.#lastToken]);
  }

  async authorize(): Promise<Record<string, string>> {
    const token = typeof this.#token === 'string' ? this.#token : await this.#token();
    if (typeof token !== 'string') throw new ConfigurationError('The token provider did not return a string');
    this.#lastToken = token;
    assertHeaderValue(token, 'The token returned by the token provider');
    return { 'x-auth-token': token };
  }

  toJSON(): Record<string, string> {
    return { kind: this.kind };
  }
}

class AkSkAuth implements AuthStrategy {
  readonly kind = 'aksk';
  readonly #credentials: AkSkCredentials;

  constructor(credentials: AkSkCredentials) {
    assertHeaderValue(credentials.accessKey, 'The access key (AK)');
    assertHeaderValue(credentials.secretKey, 'The secret key (SK)');
    if (credentials.securityToken !== undefined) assertHeaderValue(credentials.securityToken, 'The security token');
    this.#credentials = {
      accessKey: credentials.accessKey.trim(),
      secretKey: credentials.secretKey.trim(),
      securityToken: credentials.securityToken?.trim() || undefined,
    };
    const { accessKey, secretKey, securityToken } = this.#credentials;
    heldSecrets.set(this, () => [accessKey, secretKey, securityToken]);
  }

  authorize(request: OutgoingRequest, context: AuthContext): Record<string, string> {
    const headers = { ...request.headers, 'x-project-id': context.projectId };
    const signed = signRequest({ method: request.method, url: request.url, headers, body: request.body }, this.#credentials, {
      date: new Date(context.now),
    });
    return { 'x-project-id': context.projectId, ...signed };
  }

  toJSON(): Record<string, string> {
    return { kind: this.kind };
  }
}

/** For hosts that authenticate requests in their own layer (such as n8n credentials). */
export const noAuth: AuthStrategy = Object.freeze({
  kind: 'none',
  authorize: () => ({}),
});

export function resolveAuth(option: AuthOption | undefined): AuthStrategy {
  if (option === undefined || option === null) {
    throw new ConfigurationError('No auth given: pass { token } or { accessKey, secretKey } (or an auth strategy)');
  }
  if (typeof option === 'function') return new TokenAuth(option);
  if (typeof option !== 'object') throw new ConfigurationError('auth must be an object or a token provider function');
  if ('authorize' in option && typeof option.authorize === 'function') return option;
  if ('token' in option) return new TokenAuth(option.token);
  if ('accessKey' in option || 'secretKey' in option) return new AkSkAuth(option as AkSkCredentials);
  throw new ConfigurationError('auth must have a token, an accessKey and secretKey, or an authorize function');
}

function assertHeaderValue(value: unknown, what: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigurationError(`${what} is empty`);
  }
  if (/[\r\n\0]/.test(value)) {
    throw new ConfigurationError(`${what} contains a line break or NUL, which cannot be sent in a header`);
  }
}
