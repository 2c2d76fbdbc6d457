/**
 * Caching rules for rewritten HTML (SPEC §6): the page depends on the visitor's consent and
 * language, so validators are made state-specific and shared caches are kept out. A 304 can then
 * never serve a stale banner or stale gating.
 */
import type { ConsentState } from '../consent/state';

const SUFFIX = /^(W\/)?"(.*)~ce([0-9a-z]+)"$/;

/**
 * A short tag for everything the rewritten markup depends on: decided, each category, GPC,
 * regime, language.
 * @example
 * stateTag(state, 'en') // '1a0en' style: 'd1-1010-o-en'
 */
export function stateTag(state: ConsentState, locale: string): string {
  const bits = Object.values(state.categories)
    .map((on) => (on ? 1 : 0))
    .join('');
  const raw = `${state.decided ? 1 : 0}${bits}${state.gpc ? 1 : 0}${state.regime === 'opt-out' ? 1 : 0}${locale}`;
  // Keep it opaque and short: a base-36 FNV-1a hash of the parts.
  let hash = 0x811c9dc5;
  for (let i = 0; i < raw.length; i++) hash = Math.imul(hash ^ raw.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36);
}

/** The weak, state-specific ETag of a rewritten response: `W/"<origin opaque>~ce<tag>"`. */
export function stateEtag(originEtag: string | null, tag: string): string | null {
  if (!originEtag) return null;
  const opaque = /^(W\/)?"(.*)"$/.exec(originEtag.trim())?.[2];
  return opaque === undefined ? null : `W/"${opaque}~ce${tag}"`;
}

/**
 * Takes the worker's suffix off `If-None-Match` before forwarding: entries made for the current
 * state go to the origin as its own ETags; entries made for another state are dropped, so the
 * origin answers in full and the visitor gets the page for their current state.
 * @returns the header to forward (null: remove it), and whether any entry was ours.
 */
export function originIfNoneMatch(header: string | null, tag: string): { value: string | null; ours: boolean } {
  if (!header) return { value: header, ours: false };
  let ours = false;
  const kept: string[] = [];
  for (const raw of header.split(',')) {
    const entry = raw.trim();
    const match = SUFFIX.exec(entry);
    if (!match) {
      if (entry) kept.push(entry);
      continue;
    }
    ours = true;
    if (match[3] === tag) kept.push(`"${match[2]}"`, `W/"${match[2]}"`);
  }
  return { value: kept.length ? kept.join(', ') : null, ours };
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
