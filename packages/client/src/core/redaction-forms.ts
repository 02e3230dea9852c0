/**
 * The spellings a credential can take when a server or gateway echoes it
 * back, and the decoding of quoted text, for redaction.ts (the one place
 * that redacts): JSON escapes, percent-encoding and base64 all hide a value
 * from a search of the raw text that a reader (or JSON.parse) restores.
 */

const FORMS_CACHE_LIMIT = 256;
const formsCache = new Map<string, readonly string[]>();

/** The spellings to search for: the value, its JSON and percent escapes, and its base64 at every byte alignment. */
export function encodedForms(secret: string): readonly string[] {
  const cached = formsCache.get(secret);
  if (cached) return cached;
  const forms = new Set<string>([secret, jsonEscaped(secret), encodeURIComponent(secret)]);
  forms.add(encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
  for (const middle of base64Middles(secret)) {
    forms.add(middle);
    forms.add(middle.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  const list = [...forms].filter((form) => form.length >= 8);
  if (formsCache.size >= FORMS_CACHE_LIMIT) formsCache.delete(formsCache.keys().next().value as string);
  formsCache.set(secret, list);
  return list;
}

/** How the value reads inside a JSON string as JSON.stringify writes it. */
export function jsonEscaped(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/**
 * The part of base64(... + secret + ...) that depends on the secret alone,
 * for each of the three byte offsets the secret can start at: whatever
 * precedes it (an `AK:` before the SK of a pair, say) changes only the
 * characters around it.
 */
function base64Middles(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const middles: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const encoded = toBase64(padded);
    const skip = Math.ceil((offset * 8) / 6);
    const stable = Math.floor(padded.length / 3) * 4;
    middles.push(encoded.slice(skip, stable));
  }
  return middles;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** base64 without Buffer or btoa, so the core entry stays free of Node.js and of globals. */
function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? ALPHABET[n & 63]! : '=';
  }
  return out;
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
