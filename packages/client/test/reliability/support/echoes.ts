import { Buffer } from 'node:buffer';
import { inspect } from 'node:util';
import type { ModelArtsClientOptions } from '../../../src/index.js';

/**
 * Sentinel credentials of every auth kind, the spellings a careless server
 * or gateway echoes them in, and an oracle that finds a sentinel in any of
 * those spellings. The oracle decodes on its own (legacy `unescape`, Buffer
 * base64), independently of the client's redaction.
 */

export const SENTINELS = {
  token: 'sentinel/iam+token=Ab12Cd34',
  provided: 'sentinel/provided+token=9e8f',
  accessKey: 'SENTINELAK7Q2M4Z9XW',
  secretKey: 'sentinel/sk+Q2m4z9x0vY',
  securityToken: 'sentinel-sts/token+b7e1==',
  custom: 'sentinel-custom/api+key=55aa',
} as const;

export const AUTH_KINDS = {
  token: { token: SENTINELS.token },
  tokenProvider: async () => SENTINELS.provided,
  aksk: { accessKey: SENTINELS.accessKey, secretKey: SENTINELS.secretKey },
  akskSts: { accessKey: SENTINELS.accessKey, secretKey: SENTINELS.secretKey, securityToken: SENTINELS.securityToken },
  custom: { kind: 'gateway-key', authorize: () => ({ 'x-api-key': SENTINELS.custom }) },
} satisfies Record<string, ModelArtsClientOptions['auth']>;
export type AuthKind = keyof typeof AUTH_KINDS;

/** What each kind holds: the values to echo without having seen them on the wire (a gateway that logs the pair, say). */
export const HELD: Record<AuthKind, string[]> = {
  token: [SENTINELS.token],
  tokenProvider: [SENTINELS.provided],
  aksk: [SENTINELS.accessKey, `${SENTINELS.accessKey}:${SENTINELS.secretKey}`],
  akskSts: [SENTINELS.securityToken, `${SENTINELS.accessKey}:${SENTINELS.secretKey}`],
  custom: [SENTINELS.custom],
};

const hex = (code: number, upper: boolean): string => {
  const digits = code.toString(16).padStart(4, '0');
  return `\\u${upper ? digits.toUpperCase() : digits}`;
};
const jsonContent = (value: string): string => JSON.stringify(value).slice(1, -1);

/** How an echo is written: `text` encodings give JSON string content as is; the others give a value that is then JSON-escaped. */
export interface Encoding {
  name: string;
  /** Also a spelling a JSON parser undoes, so it may appear in result data. */
  jsonLevel: boolean;
  apply(value: string): string;
  text?: boolean;
}

export const ENCODINGS: Encoding[] = [
  { name: 'literal', jsonLevel: true, apply: (v) => v },
  { name: 'escaped slashes', jsonLevel: true, text: true, apply: (v) => jsonContent(v).replace(/\//g, '\\/') },
  {
    name: 'every character \\u-escaped',
    jsonLevel: true,
    text: true,
    apply: (v) => [...v].map((c) => hex(c.charCodeAt(0), false)).join(''),
  },
  {
    name: 'every other character \\U-escaped',
    jsonLevel: true,
    text: true,
    apply: (v) => [...v].map((c, i) => (i % 2 ? hex(c.charCodeAt(0), true) : jsonContent(c).replace('/', '\\/'))).join(''),
  },
  { name: 'percent-encoded', jsonLevel: false, apply: (v) => encodeURIComponent(v) },
  { name: 'every byte percent-encoded', jsonLevel: false, apply: (v) => [...Buffer.from(v)].map((b) => `%${b.toString(16)}`).join('') },
  { name: 'base64', jsonLevel: false, apply: (v) => Buffer.from(v).toString('base64') },
  { name: 'base64url after a prefix', jsonLevel: false, apply: (v) => Buffer.from(`Basic:${v}`).toString('base64url') },
  { name: 'JSON inside JSON', jsonLevel: false, apply: (v) => JSON.stringify({ echoed: v.replace(/\//g, '\\/') }) },
  {
    name: 'after a line that looks like a stack frame',
    jsonLevel: false,
    apply: (v) => `refused\n    at Gateway.check (gw.js:1:1)\n ${encodeURIComponent(v)}`,
  },
  {
    name: 'percent-encoded JSON escapes',
    jsonLevel: false,
    apply: (v) => encodeURIComponent([...v].map((c) => hex(c.charCodeAt(0), false)).join('')),
  },
];

/** The echo as JSON string content, ready to be written between quotes in a body. */
export function inJson(encoding: Encoding, value: string): string {
  const encoded = encoding.apply(value);
  return encoding.text ? encoded : jsonContent(encoded);
}

/** The echo as a header value: text encodings are written as they are. */
export function inHeader(encoding: Encoding, value: string): string {
  return encoding.apply(value);
}

/** Every spelling a reader could undo: JSON escapes, percent-encoding, base64 at any alignment, layered. */
function readings(text: string): string[] {
  const out = [text];
  let current = text;
  for (let layer = 0; layer < 4; layer++) {
    const next = unescape(
      current.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))).replace(/\\(.)/g, '$1'),
    );
    if (next === current) break;
    out.push(next);
    current = next;
  }
  const runs = new Set(out.flatMap((reading) => reading.match(/[A-Za-z0-9+/_-]{12,}/g) ?? []));
  for (const run of runs) {
    for (let shift = 0; shift < 4; shift++) out.push(Buffer.from(run.slice(shift), 'base64').toString('latin1'));
  }
  return out;
}

/** The first secret found in any reading of the texts, with where. */
export function findSecret(texts: readonly string[], secrets: readonly string[]): string | undefined {
  // Stack frames name code locations, never data: left out, they would be most of the text to search.
  const all = [...new Set(texts)].join('\n').replace(/^\s*at .*$/gm, '');
  for (const reading of readings(all)) {
    for (const secret of secrets) {
      const at = reading.indexOf(secret);
      if (at >= 0) return `${secret} in: ${reading.slice(Math.max(0, at - 200), at + 100)}`;
    }
  }
  return undefined;
}

/** Everything a caller could print of a value: inspect, JSON, String, and the same of every error in the cause chain. */
export function renderings(value: unknown): string[] {
  // Hidden fields (message, stack, the outcomes getter) are visited below one by one, not printed inline.
  const out: string[] = [inspect(value, { depth: Number.POSITIVE_INFINITY, getters: true }), safe(() => JSON.stringify(value))];
  const seen = new Set<unknown>();
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (v instanceof Error) {
      out.push(
        v.message,
        v.stack ?? '',
        safe(() => JSON.stringify(v)),
        String(v),
      );
      visit(v.cause);
    }
    for (const key of Reflect.ownKeys(v)) {
      const field = (v as Record<PropertyKey, unknown>)[key];
      if (typeof field === 'string') out.push(field);
      else visit(field);
    }
  };
  visit(value);
  return out;
}

function safe(render: () => string | undefined): string {
  try {
    return render() ?? '';
  } catch (error) {
    return String(error);
  }
}
