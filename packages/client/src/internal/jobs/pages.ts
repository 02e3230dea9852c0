import { InvalidResponseError } from '../../core/errors.js';

/** One page of a listing, as the pager needs it. */
export interface Page<T> {
  entries: T[];
  /** The service's count over all pages, when it gives one. */
  total: number | undefined;
  requestId: string | undefined;
}

/**
 * Pages through a listing by page index from 0 until a page holds fewer
 * than `perPage` entries (an empty page past the end included), asking for
 * the next page while the caller handles the current one: at most one page
 * ahead, so memory stays bounded whatever the listing's length.
 *
 * Each entry comes once: entries repeated within a page or from the page
 * before are dropped (a listing by index shifts when the job changes
 * between requests, and an entry then shows up on two adjacent pages).
 * Remembering two pages of keys keeps memory bounded; a repeat from further
 * back would need every key kept, which getAllImageTags does for itself.
 * A full page with nothing new means the service ignores the page index:
 * that is an error rather than an endless loop.
 */
export async function* pages<T>(
  fetchPage: (index: number) => Promise<Page<T>>,
  perPage: number,
  keyOf: (entry: T) => string,
): AsyncGenerator<T[], { listed: number; total: number | undefined }> {
  let previousKeys = new Set<string>();
  let listed = 0;
  let total: number | undefined;
  let next: Promise<Page<T>> | undefined = fetchPage(0);
  for (let index = 0; next; index++) {
    const page: Page<T> = await next;
    if (page.total !== undefined) total = page.total;
    const keys = new Set<string>();
    const fresh: T[] = [];
    for (const entry of page.entries) {
      const key = keyOf(entry);
      if (keys.has(key) || previousKeys.has(key)) continue;
      keys.add(key);
      fresh.push(entry);
    }
    if (fresh.length === 0 && page.entries.length >= perPage) {
      throw new InvalidResponseError(`page ${index} repeats the entries of the page before; the service seems to ignore the page index`, {
        status: 200,
        requestId: page.requestId,
      });
    }
    next = page.entries.length >= perPage ? fetchPage(index + 1) : undefined;
    // An unawaited failure of the page ahead is reported when it is awaited, not as unhandled.
    next?.catch(() => undefined);
    previousKeys = keys;
    listed += fresh.length;
    if (fresh.length > 0) yield fresh;
  }
  return { listed, total };
}
