import type { AuthStrategy } from '../../core/auth/strategies.js';
import { AuthProviderError, ModelArtsError } from '../../core/errors.js';
import { redactedError } from '../../core/redaction.js';

/**
 * What a failing token provider or auth strategy becomes: the client's own
 * errors (a provider that returned no string, say) stand; anything else is
 * an AuthProviderError that names the failure's kind, never its message.
 */
export function authFailure(error: unknown, strategy: AuthStrategy, secrets: readonly string[]): ModelArtsError {
  if (error instanceof ModelArtsError) return error;
  const what = strategy.kind === 'token' ? 'The token provider' : `The auth strategy (kind ${JSON.stringify(String(strategy.kind))})`;
  const name = error instanceof Error && /^[A-Za-z][\w.]{0,40}$/.test(error.name) ? error.name : typeof error;
  const { code } = (error ?? {}) as { code?: unknown };
  const kind = typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? `${name} ${code}` : name;
  return new AuthProviderError(
    `${what} failed (${kind}), so the request was not sent; error.cause holds what it threw. Check the code that supplies the credentials`,
    { cause: redactedError(error, secrets) },
  );
}
