/**
 * Caching rules for rewritten HTML (SPEC §6): the page depends on the visitor's consent and
 * language, so validators are made state-specific and shared caches are kept out. A 304 can then
 * never serve a stale banner or stale gating.
 */
import type { ConsentState } from '../consent/state';
import { fnv1a } from '../policy/fnv';

const SUFFIX = /^(W\/)?"(.*)~ce([0-9a-z]+)"$/;

/**
 * A short tag for everything the rewritten markup depends on: the whole consent state (it is
 * injected as JSON), the language, and the version of the policy and banner assets deployed, so a
 * deploy or a new decision never revalidates to a stale page.
 * @example
 * stateTag(state, 'en', version) // an opaque base-36 hash such as '1k2f9x0'
 */
export function stateTag(state: ConsentState, locale: string, version: string): string {
  return fnv1a(`${version}|${locale}|${JSON.stringify(state)}`);
}

/** The weak, state-specific ETag of a rewritten response: `W/"<origin opaque>~ce<tag>"`. */
export function stateEtag(originEtag: string | null, tag: string): string | null {
  if (!originEtag) return null;
  const opaque = /^(W\/)?"(.*)"$/.exec(originEtag.trim())?.[2];
  return opaque === undefined ? null : `W/"${opaque}~ce${tag}"`;
}

/** A request that may be answered with a page: a document or frame navigation, or plain HTML. */
export function mayBeDocument(headers: Headers): boolean {
  const dest = headers.get('sec-fetch-dest');
  if (dest) return dest === 'document' || dest === 'iframe' || dest === 'frame';
  return /text\/html/i.test(headers.get('accept') ?? '');
}

export interface OriginConditionals {
  /** `If-None-Match` to forward; null removes it. */
  ifNoneMatch: string | null;
  /** `If-Modified-Since` to forward; null removes it. */
  ifModifiedSince: string | null;
  /** The request carried one of the worker's own state-specific ETags. */
  ours: boolean;
}

/**
 * The conditional headers to forward, so that a 304 can only confirm the page for the visitor's
 * current state. Entries of the worker's own ETags go to the origin as its ETags when they were
 * made for the current state (`tag` is asked only then), and are dropped otherwise. On a page
 * request, the origin's own validators (a page cached before the worker was deployed, `*`, a
 * date) are dropped too: the rewritten page has no Last-Modified, and its ETags all carry the
 * suffix.
 * @example
 * originConditionals(new Headers({ 'if-none-match': 'W/"v1~ceabc"' }), () => 'abc')
 * // { ifNoneMatch: '"v1", W/"v1"', ifModifiedSince: null, ours: true }
 */
export function originConditionals(headers: Headers, tag: () => string): OriginConditionals {
  const page = mayBeDocument(headers);
  const header = headers.get('if-none-match');
  let ours = false;
  const kept: string[] = [];
  for (const raw of header?.split(',') ?? []) {
    const entry = raw.trim();
    const match = SUFFIX.exec(entry);
    if (!match) {
      if (entry && !page) kept.push(entry);
      continue;
    }
    ours = true;
    if (match[3] === tag()) kept.push(`"${match[2]}"`, `W/"${match[2]}"`);
  }
  return {
    ifNoneMatch: kept.length ? kept.join(', ') : null,
    ifModifiedSince: page ? null : headers.get('if-modified-since'),
    ours,
  };
}

/** Response headers of a rewritten page: private caching, Vary, no stale length or validators. */
export function rewrittenHeaders(headers: Headers, tag: string): void {
  headers.delete('content-length');
  const etag = stateEtag(headers.get('etag'), tag);
  if (etag) headers.set('etag', etag);
  else headers.delete('etag');
  headers.delete('last-modified');
  const cacheControl = headers.get('cache-control');
  const kept = (cacheControl ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d && !/^(public|private|s-maxage=.*|proxy-revalidate)$/i.test(d));
  headers.set('cache-control', ['private', ...kept].join(', '));
  const vary = new Set(
    (headers.get('vary') ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  );
  for (const field of ['Cookie', 'Accept-Language']) {
    if (![...vary].some((v) => v.toLowerCase() === field.toLowerCase())) vary.add(field);
  }
  headers.set('vary', [...vary].join(', '));
}
