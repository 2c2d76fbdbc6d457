/**
 * Which `<script>` and `<iframe>` elements are held: one that would run, marked with a
 * `data-consent-category` of the policy or matching a category's source patterns. The HTML stream
 * and banner.js decide with this one function.
 */
import { isExecutableScriptType } from './script-types';

export type GatedKind = 'script' | 'iframe';

/** The attributes the decision reads, as written in the markup (null: absent). */
export interface TagAttributes {
  category: string | null;
  src: string | null;
  type: string | null;
}

/**
 * The category an element belongs to, or undefined when it is not gated. A marking names a
 * category of the policy (`known`); anything else falls back to the element's source.
 * @example
 * tagCategory('script', { category: null, src: 'https://www.googletagmanager.com/gtag/js', type: null }, known, source) // 'analytics'
 */
export function tagCategory<C extends string>(
  kind: GatedKind,
  attrs: TagAttributes,
  known: (id: string) => id is C,
  source: (src: string) => C | undefined,
): C | undefined {
  if (kind === 'script' && !isExecutableScriptType(attrs.type)) return undefined;
  const marked = attrs.category?.trim();
  if (marked && known(marked)) return marked;
  return attrs.src ? source(attrs.src) : undefined;
}

/** Resource hints that make the browser contact a host before any tag runs. */
const HINT_RELS = new Set(['preload', 'modulepreload', 'prefetch', 'preconnect', 'dns-prefetch']);
/** Hints that name only an origin: the host is contacted, no path fetched. */
const ORIGIN_RELS = new Set(['preconnect', 'dns-prefetch']);

/**
 * What a `<link>` with this `rel` does that consent governs: `fetch` (preload, modulepreload,
 * prefetch), `connect` (preconnect, dns-prefetch), or undefined for any other link.
 * @example
 * hintOf('preload') // 'fetch'
 * hintOf('stylesheet') // undefined
 */
export function hintOf(rel: string | null): 'fetch' | 'connect' | undefined {
  let kind: 'fetch' | 'connect' | undefined;
  for (const token of (rel ?? '').toLowerCase().split(/[\t\n\f\r ]+/)) {
    if (!HINT_RELS.has(token)) continue;
    if (!ORIGIN_RELS.has(token)) return 'fetch';
    kind = 'connect';
  }
  return kind;
}
