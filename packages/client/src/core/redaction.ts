/**
 * Keeping credentials out of errors and logs, for every surface. A gateway
 * or an HTTP library may echo the request it got (headers included) in an
 * error body or an error object: whatever text reaches a message, a cause
 * or a log line passes through `redact` first.
 */

/** What a credential value is replaced with, everywhere. */
export const REDACTED = '[credential]';

/** Headers that carry a credential. */
export const CREDENTIAL_HEADERS: readonly string[] = ['authorization', 'x-auth-token', 'x-security-token'];

/** Shorter values cannot be told from ordinary text; real tokens, keys and signatures are far longer. */
const MIN_SECRET_LENGTH = 8;

const SIGNATURE = /Signature=[0-9A-Fa-f]{16,}/g;

/** The values worth masking, longest first so that a whole value goes before a part of it. */
export function secretValues(values: Iterable<string | undefined>): string[] {
  const secrets: string[] = [];
  for (const value of values) if (value !== undefined && value.length >= MIN_SECRET_LENGTH) secrets.push(value);
  return secrets.sort((a, b) => b.length - a.length);
}

/** The credential values of lower-case request headers: each whole value and the `Access=` and `Signature=` parts of an AK/SK one. */
export function credentialValues(headers: Readonly<Record<string, string>>): string[] {
  const values: string[] = [];
  for (const name of CREDENTIAL_HEADERS) {
    const value = headers[name];
    if (!value) continue;
    values.push(value);
    for (const part of value.matchAll(/(?:Access|Signature)=([^,\s]+)/g)) values.push(part[1]!);
  }
  return secretValues(values);
}

/** `text` with every secret (from secretValues or credentialValues) and any AK/SK signature replaced by REDACTED. */
export function redact(text: string, secrets: readonly string[]): string {
  for (const value of secrets) {
    if (text.includes(value)) text = text.split(value).join(REDACTED);
  }
  return text.includes('Signature=') ? text.replace(SIGNATURE, `Signature=${REDACTED}`) : text;
}

/**
 * What a transport threw, reduced to name, code, message and stack (and
 * causes, four deep), with secrets redacted: HTTP libraries attach the
 * request (options, headers) to their errors, and a cause is printed in
 * full by inspect.
 */
export function redactedError(cause: unknown, secrets: readonly string[], depth = 0): Error {
  if (!(cause instanceof Error))
    return new Error(redact(typeof cause === 'string' ? cause : Object.prototype.toString.call(cause), secrets));
  const inner = cause.cause !== undefined && depth < 4 ? { cause: redactedError(cause.cause, secrets, depth + 1) } : undefined;
  const message = redact(cause.message, secrets);
  const copy =
    cause instanceof AggregateError
      ? new AggregateError(
          (cause.errors as unknown[]).slice(0, 10).map((e) => redactedError(e, secrets, depth + 1)),
          message,
          inner,
        )
      : new Error(message, inner);
  copy.name = cause.name;
  copy.stack = redact(cause.stack ?? '', secrets);
  const { code } = cause as { code?: unknown };
  if (typeof code === 'string' || typeof code === 'number') (copy as Error & { code?: unknown }).code = code;
  return copy;
}
