const XML_SPECIAL = /[&<>"']/g;
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// Characters XML 1.0 cannot hold at all, escaped or not.
// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/** Text for an XML element or attribute. */
export function escapeXml(text: string): string {
  return XML_SPECIAL.test(text) ? text.replace(XML_SPECIAL, (c) => XML_ENTITIES[c]!) : text;
}

/** Whether XML 1.0 can hold the text (control characters it cannot, even as references). */
export function isXmlText(text: string): boolean {
  return !XML_FORBIDDEN.test(text);
}

const CSV_NEEDS_QUOTES = /[",\r\n]/;

/** One RFC 4180 field. */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return CSV_NEEDS_QUOTES.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `2026-11-30 01:02:03`, in UTC: the creation-time of ModelArts manifests. */
export function manifestTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Strings joined into chunks of about `size` characters, so a stream writes few large pieces. */
export class ChunkBuffer {
  #parts: string[] = [];
  #length = 0;
  constructor(readonly size = 64 * 1024) {}

  add(text: string): void {
    this.#parts.push(text);
    this.#length += text.length;
  }

  get full(): boolean {
    return this.#length >= this.size;
  }

  take(): string {
    const text = this.#parts.join('');
    this.#parts = [];
    this.#length = 0;
    return text;
  }
}
