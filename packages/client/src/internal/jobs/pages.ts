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
 * the next page while the caller handles the current one. Once the service
 * has given its count, up to `ahead` pages are asked for at once, never
 * past the page the count says is the last: a listing of 1,000 pages then
 * waits for about 1,000 / `ahead` round trips instead of 1,000, and memory
 * stays bounded by `ahead` pages whatever the listing's length. Without a
 * count, one page ahead, so no request goes past the end for nothing.
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
  ahead = 1,
): AsyncGenerator<T[], { listed: number; total: number | undefined }> {
  let previousKeys = new Set<string>();
  let listed = 0;
  let total: number | undefined;
  const requested = new Map<number, Promise<Page<T>>>();
  const request = (index: number): Promise<Page<T>> => {
    let page = requested.get(index);
    if (!page) {
      page = fetchPage(index);
      // An unawaited failure of a page ahead is reported when it is awaited, not as unhandled.
      page.catch(() => undefined);
      requested.set(index, page);
    }
    return page;
  };
  let next: Promise<Page<T>> | undefined = request(0);
  for (let index = 0; next; index++) {
    const page: Page<T> = await next;
    requested.delete(index);
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
    if (page.entries.length >= perPage) {
      next = request(index + 1);
      // The page the count ends on (short, or empty when the count fills its pages exactly).
      const lastIndex = total === undefined ? index + 1 : Math.floor(total / perPage);
      for (let further = index + 2; further <= Math.min(index + ahead, lastIndex); further++) request(further);
    } else {
      next = undefined;
    }
    previousKeys = keys;
    listed += fresh.length;
    if (fresh.length > 0) yield fresh;
  }
  return { listed, total };
}
