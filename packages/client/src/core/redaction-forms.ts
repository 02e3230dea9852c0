/**
 * The decoding of quoted text for redaction.ts (the one place that
 * redacts): JSON escapes, percent-encoding and base64 all hide a credential
 * from a search of the raw text, and a reader (or JSON.parse) restores it.
 */

/** How the value reads inside a JSON string as JSON.stringify writes it. */
export function jsonEscaped(value: string): string {
  return NEEDS_JSON_ESCAPE.test(value) ? JSON.stringify(value).slice(1, -1) : value;
}
const NEEDS_JSON_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Runs of base64 (standard or URL-safe) long enough to hold a secret of MIN_SECRET_LENGTH bytes. */
const BASE64_RUN = /[A-Za-z0-9+/_-]{11,}={0,2}/g;
const BASE64_VALUE: Record<string, number> = {};
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) BASE64_VALUE[c] = i;
BASE64_VALUE['-'] = 62;
BASE64_VALUE._ = 63;

/**
 * `text` with every run of base64 that decodes to something holding a
 * secret replaced by `replacement`: base64 hides a credential (an AK:SK
 * pair as HTTP Basic carries it, say) from a plain search. Each run is
 * decoded from each of its first four characters, so text glued to the
 * front of the base64 does not hide it.
 */
export function replaceBase64(text: string, secrets: readonly string[], replacement: string): string {
  if (text.length < 11) return text;
  const wanted = secrets.map(asLatin1Bytes);
  return text.replace(BASE64_RUN, (run) => {
    for (let shift = 0; shift < 4; shift++) {
      const decoded = decodeBase64(run, shift);
      if (wanted.some((secret) => decoded.includes(secret))) return replacement;
    }
    return run;
  });
}

/** The bytes of base64 text from `start`, as a string of code points 0-255 (padding and a partial last group ignored). */
function decodeBase64(run: string, start: number): string {
  let out = '';
  let bits = 0;
  let count = 0;
  for (let i = start; i < run.length; i++) {
    const value = BASE64_VALUE[run[i]!];
    if (value === undefined) break;
    bits = ((bits << 6) | value) & 0xffff;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += String.fromCharCode((bits >> count) & 0xff);
    }
  }
  return out;
}

/** A secret's UTF-8 bytes as code points 0-255, the way decodeBase64 writes them. */
function asLatin1Bytes(secret: string): string {
  if (/^[\u0000-\u007f]*$/.test(secret)) return secret;
  return String.fromCharCode(...new TextEncoder().encode(secret));
}

const JSON_ESCAPE = /\\(u[0-9a-fA-F]{4}|[^u])/g;
const SHORT_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const PERCENT_RUN = /(?:%[0-9a-fA-F]{2})+/g;

/**
 * Quoted text as a reader would see it: JSON escapes and percent-encoding
 * undone, up to three layers deep (a JSON string inside JSON, a URL inside a
 * query string). Undefined when there is nothing to undo.
 */
export function decodedView(text: string): string | undefined {
  if (!text.includes('\\') && !text.includes('%')) return undefined;
  let current = text;
  for (let layer = 0; layer < 3; layer++) {
    const next = percentDecoded(jsonUnescaped(current));
    if (next === current) break;
    current = next;
  }
  return current === text ? undefined : current;
}

function jsonUnescaped(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(JSON_ESCAPE, (_, sequence: string) =>
    sequence.length === 5 ? String.fromCharCode(Number.parseInt(sequence.slice(1), 16)) : (SHORT_ESCAPES[sequence] ?? sequence),
  );
}

function percentDecoded(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(PERCENT_RUN, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      // Not UTF-8: byte by byte, which is still what a reader would see of an ASCII secret.
      return run.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    }
  });
}

const JSON_TEXT_ESCAPE = /\\(u[0-9a-fA-F]{4}|.)/g;

/**
 * A JSON text with every `\/` and every `\uXXXX` that need not be escaped
 * written as the character itself: JSON.parse reads the same value from it,
 * and a credential echoed in escaped form is now spelled as itself (or as
 * JSON.stringify writes it), where a search finds it. The text as it was
 * when it has neither.
 */
export function withCanonicalEscapes(text: string): string {
  if (!text.includes('\\u') && !text.includes('\\/')) return text;
  return text.replace(JSON_TEXT_ESCAPE, (whole, sequence: string) => {
    if (sequence === '/') return '/';
    if (sequence.length !== 5) return whole;
    const char = String.fromCharCode(Number.parseInt(sequence.slice(1), 16));
    return char < ' ' || char === '"' || char === '\\' ? jsonEscaped(char) : char;
  });
}
