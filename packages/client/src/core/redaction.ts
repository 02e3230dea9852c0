/**
 * Keeping credentials out of errors and logs, for every surface: the one
 * place that redacts. A gateway or an HTTP library may echo the request it
 * got (headers included) in an error body, a header (X-Request-Id, the
 * Location of a redirect) or an error object, and may escape or encode it on
 * the way (JSON escapes, percent-encoding, base64): whatever text reaches a
 * message, a request ID, a cause or a log line passes through `redact`
 * first, which looks for every such spelling and at the decoded text too.
 */
import { ModelArtsError } from './errors.js';
import { decodedView, jsonEscaped, replaceBase64, withCanonicalEscapes } from './redaction-forms.js';

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

/** Headers an auth strategy may add that hold nothing secret. */
const PUBLIC_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'x-sdk-date',
  'x-project-id',
  'content-type',
  'content-length',
  'content-encoding',
  'accept',
  'accept-encoding',
  'user-agent',
]);

/**
 * The credential values of lower-case request headers: each whole value
 * and the `Access=` and `Signature=` parts of an AK/SK one. Given the
 * headers an auth strategy added, every value but those of PUBLIC_HEADERS
 * counts (a custom strategy may use any header name).
 */
export function credentialValues(headers: Readonly<Record<string, string>>): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string' || value === '' || PUBLIC_HEADERS.has(name)) continue;
    values.push(value);
    for (const part of value.matchAll(/(?:Access|Signature)=([^,\s]+)/g)) values.push(part[1]!);
  }
  return secretValues(values);
}

/**
 * `text` with every secret (from secretValues or credentialValues), in any
 * of the spellings an echo gives it, and any AK/SK signature replaced by
 * REDACTED. When the secret only shows once JSON escapes or percent-encoding
 * are undone, the decoded text is returned, redacted.
 */
export function redact(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return redactSignatures(text);
  text = replaceLiterals(text, secrets);
  const decoded = decodedView(text);
  if (decoded !== undefined) {
    const clean = replaceBase64(replaceLiterals(decoded, secrets), secrets, REDACTED);
    if (clean !== decoded) text = clean;
  }
  return redactSignatures(replaceBase64(text, secrets, REDACTED));
}

/**
 * A response body before it is parsed: secrets in it, literal or
 * JSON-escaped (`\/`, `\uXXXX`), replaced, so that no parsed value holds one.
 * Cheaper than `redact` (it runs on every body): only the spellings JSON
 * allows are searched for.
 */
export function redactJsonText(text: string, secrets: readonly string[]): string {
  // Without known secrets (a host that signs in its own layer), signatures are still found by their shape.
  if (secrets.length === 0) return redactSignatures(text);
  return redactSignatures(replaceLiterals(withCanonicalEscapes(text), secrets));
}

function replaceLiterals(text: string, secrets: readonly string[]): string {
  for (const value of secrets) {
    if (text.includes(value)) text = text.split(value).join(REDACTED);
    const escaped = jsonEscaped(value);
    if (escaped !== value && text.includes(escaped)) text = text.split(escaped).join(REDACTED);
  }
  return text;
}

function redactSignatures(text: string): string {
  return text.includes('Signature=') ? text.replace(SIGNATURE, `Signature=${REDACTED}`) : text;
}

/**
 * The client's own error, redacted in place where it quotes a secret: its
 * message and stack, the server's code and message, the request ID, and
 * its cause (replaced by a redacted copy). Every error an attempt ends
 * with passes through here; with no secrets known, signatures are still
 * found by their shape.
 */
export function redactError<E extends ModelArtsError>(error: E, secrets: readonly string[], depth = 0): E {
  const fields = error as unknown as Record<string, unknown>;
  const message = error.message;
  for (const key of ['message', 'errorCode', 'errorMsg', 'requestId', 'path']) {
    const value = fields[key];
    if (typeof value === 'string') fields[key] = redact(value, secrets);
  }
  // The stack starts with the message it was built with: redacted with it, its frames (code locations) left as they are.
  if (error.message !== message && typeof error.stack === 'string') error.stack = redactStackHead(error.stack, message, secrets);
  const { cause } = error;
  if (cause instanceof ModelArtsError) {
    if (depth < 4 && cause !== error) redactError(cause, secrets, depth + 1);
  } else if (cause !== undefined) {
    fields.cause = redactedError(cause, secrets);
  }
  return error;
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
  copy.name = redact(String(cause.name), secrets);
  copy.stack = redactStackHead(cause.stack ?? '', cause.message, secrets);
  const { code } = cause as { code?: unknown };
  if (typeof code === 'string' || typeof code === 'number') {
    (copy as Error & { code?: unknown }).code = typeof code === 'string' ? redact(code, secrets) : code;
  }
  return copy;
}

/**
 * A stack with its head (up to the end of the message it was built with)
 * redacted, and its frames, which name code locations, kept as they are:
 * redacting them would cost most of the time of an error. When the message
 * is not found in it, the whole stack is redacted.
 */
function redactStackHead(stack: string, message: string, secrets: readonly string[]): string {
  const at = message === '' ? -1 : stack.indexOf(message);
  if (at < 0) return redact(stack, secrets);
  const end = at + message.length;
  return redact(stack.slice(0, end), secrets) + stack.slice(end);
}
