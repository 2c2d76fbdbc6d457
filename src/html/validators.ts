/**
 * Caching rules for rewritten HTML (docs/enforcement.md): the page depends on the visitor's consent and
 * language, so validators are made state-specific and shared caches are kept out. A 304 can then
 * never serve a stale banner or stale gating.
 */
import type { ConsentState } from '../consent/state';
import { sha256Hex } from '../core/sha256';
import { parseEntityTag, parseIfNoneMatch } from '../http/etag';

/** The worker's suffix on the origin's opaque tag: `~ce` and the state tag. */
const SUFFIX = /^(.*)~ce([0-9a-z]+)$/;

/**
 * A short tag for everything the rewritten markup depends on: the whole consent state (it is
 * injected as JSON), the language, and the version of the policy and banner assets deployed, so a
 * deploy or a new decision never revalidates to a stale page.
 * @example
 * stateTag(state, 'en', version) // 16 hex digits
 */
export function stateTag(state: ConsentState, locale: string, version: string): string {
  const key = `${version}|${locale}|${JSON.stringify(state)}`;
  let tag = tags.get(key);
  if (tag === undefined) {
    tag = sha256Hex(key).slice(0, 16);
    if (tags.size >= TAG_CACHE_SIZE) tags.delete(tags.keys().next().value ?? '');
    tags.set(key, tag);
  }
  return tag;
}

/**
 * Recent tags, oldest out first: a visitor's pages share one state, and hashing it is a few µs
 * where a lookup is well under one. Bounded, so no stream of states can grow it.
 */
const tags = new Map<string, string>();
const TAG_CACHE_SIZE = 1024;

/** The weak, state-specific ETag of a rewritten response: `W/"<origin opaque>~ce<tag>"`. */
export function stateEtag(originEtag: string | null, tag: string | (() => string)): string | null {
  const parsed = originEtag ? parseEntityTag(originEtag) : undefined;
  return parsed ? `W/"${parsed.opaque}~ce${typeof tag === 'string' ? tag : tag()}"` : null;
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
  let ours = false;
  const kept: string[] = [];
  for (const member of parseIfNoneMatch(headers.get('if-none-match'))) {
    const match = member.tag && SUFFIX.exec(member.tag.opaque);
    if (!match) {
      if (!page) kept.push(member.text);
      continue;
    }
    ours = true;
    if (match[2] === tag()) kept.push(`"${match[1]}"`, `W/"${match[1]}"`);
  }
  return {
    ifNoneMatch: kept.length ? kept.join(', ') : null,
    ifModifiedSince: page ? null : headers.get('if-modified-since'),
    ours,
  };
}

/**
 * Response headers of a rewritten page: private caching, Vary, no stale length or validators, and
 * no Content-Encoding. `tag` is asked for only when the origin sent an ETag. The runtime decoded
 * the origin's gzip or brotli before the rewrite; a body sent on with that header would be
 * compressed again by the runtime, which holds the whole stream to do so (a streamed page would
 * arrive in one burst at the end). Cloudflare's edge compresses the decoded page for each visitor
 * as it streams.
 */
export function rewrittenHeaders(headers: Headers, tag: () => string): void {
  headers.delete('content-length');
  headers.delete('content-encoding');
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
