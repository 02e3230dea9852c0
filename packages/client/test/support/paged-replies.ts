import { json, type SeenRequest } from './scripted-transport.js';

/** Reads the query of a request the client sent. */
export function queryOf(request: SeenRequest): URLSearchParams {
  return new URL(request.url).searchParams;
}

/** The path of a request, after the project ID: `/data-annotations/7/images`. */
export function routeOf(request: SeenRequest): string {
  return new URL(request.url).pathname.replace(/^\/v1\/[^/]+/, '');
}

/**
 * Answers an image-list request from `images` by `page` and `per_page`, as
 * the spec describes: a page past the end is empty. `count` is sent as
 * `image_count` unless it is undefined.
 */
export function imagePage(request: SeenRequest, images: readonly string[], count: number | undefined = images.length): Response {
  const query = queryOf(request);
  const perPage = Number(query.get('per_page'));
  const page = Number(query.get('page'));
  const slice = images.slice(page * perPage, (page + 1) * perPage);
  return json(200, {
    is_success: true,
    ...(count === undefined ? {} : { image_count: count }),
    images: slice.map((image_id) => ({ image_id })),
  });
}

export const ids = (n: number, prefix = 'img'): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
