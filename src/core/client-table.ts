/**
 * The policy's classifier, in the one form the worker and banner.js share: a serialisable table
 * (the `classifier` of the consent state JSON, written by the worker from the compiled policy) and
 * the lookups read from it (`classifierOf`), which the worker and the page build alike.
 */
import { buildCookieNames, type CookieEntry, classifyCookieName } from './cookie-names';
import { type CookieWrite, judgeCookieWrite } from './cookie-write';
import { buildSourceTable, originValue, type PageUrl, sourceValue } from './sources';
import { type GatedKind, hintOf, type TagAttributes, tagCategory } from './tags';
import { resolveUrl } from './url';

/**
 * The category a cross-origin source no category declares is held under: not a category of any
 * policy, so never allowed, and the element is never released.
 */
export const UNDECLARED = 'undeclared';

/**
 * Whether `src` is an http(s) URL on another origin than the page: a source someone must declare.
 * The site's own sources, and `data:`, `blob:` or `about:` URLs, are not.
 * @example
 * isForeign('https://www.youtube.com/embed/x', { href: 'https://a.com/', origin: 'https://a.com' }) // true
 */
export function isForeign(src: string, page: PageUrl): boolean {
  const url = resolveUrl(src, page.href);
  return !!url && (url.protocol === 'https:' || url.protocol === 'http:') && url.origin !== page.origin;
}

/** A source or cookie pattern with its category: an exact value, or a prefix ending in `*`. */
export type PatternEntry = [pattern: string, category: string];

/** The JSON form; its shape is part of the page (the state JSON). */
export interface ClientTable {
  /** Exact cookie name → category. */
  cookies: Record<string, string>;
  /** Cookie name prefixes (without the `*`) → category, longest first. */
  cookiePrefixes: PatternEntry[];
  /** Declared patterns (as written in the policy) that also match `name.0`, `name.1`, … */
  chunked: string[];
  /** Script and iframe source patterns (with their `*`), in policy order. */
  scripts: PatternEntry[];
  iframes: PatternEntry[];
  /** Endpoints page code only calls (beacons, collect URLs); a category's scripts apply too. */
  requests: PatternEntry[];
  /** What happens to a cookie write the policy does not declare. */
  undeclared: 'block' | 'allow';
  /** What happens to a cross-origin script or iframe no category's patterns match. */
  undeclaredSources: 'block' | 'allow';
  /** Categories a Global Privacy Control signal refuses. */
  gpc: string[];
}

/** What a table is written from: the policy's cookie patterns and sources, in policy order. */
export interface TableSource {
  cookies: ReadonlyArray<CookieEntry<string>>;
  scripts: ReadonlyArray<PatternEntry>;
  iframes: ReadonlyArray<PatternEntry>;
  requests: ReadonlyArray<PatternEntry>;
  undeclared: 'block' | 'allow';
  undeclaredSources: 'block' | 'allow';
  gpc: readonly string[];
}

/**
 * Writes the table for the page.
 * @example
 * clientTable({ cookies: [['_ga_*', 'analytics', false]], scripts: [], iframes: [], requests: [], undeclared: 'block', undeclaredSources: 'block', gpc: [] })
 * // { cookies: {}, cookiePrefixes: [['_ga_', 'analytics']], chunked: [], … }
 */
export function clientTable(source: TableSource): ClientTable {
  const cookies: Record<string, string> = {};
  const cookiePrefixes: PatternEntry[] = [];
  const chunked: string[] = [];
  for (const [pattern, category, isChunked] of source.cookies) {
    if (pattern.endsWith('*')) cookiePrefixes.push([pattern.slice(0, -1), category]);
    else cookies[pattern] = category;
    if (isChunked) chunked.push(pattern);
  }
  cookiePrefixes.sort((a, b) => b[0].length - a[0].length);
  return {
    cookies,
    cookiePrefixes,
    chunked,
    scripts: [...source.scripts],
    iframes: [...source.iframes],
    requests: [...source.requests],
    undeclared: source.undeclared,
    undeclaredSources: source.undeclaredSources,
    gpc: [...source.gpc],
  };
}

/** The lookups of a table, built once: per isolate in the worker, per page in the browser. */
export interface Classifier {
  /** The declared cookie pattern a cookie name matches (`[pattern, category, chunked]`). */
  cookie(name: string): CookieEntry<string> | undefined;
  /** The category of a script or iframe `src` as written on `page`. */
  source(kind: GatedKind, src: string, page: PageUrl): string | undefined;
  /**
   * The category to hold an element under (see `tagCategory`), `UNDECLARED` for a cross-origin
   * source no pattern matches while the policy blocks those, or undefined when it is not gated.
   */
  tag(kind: GatedKind, attrs: TagAttributes, page: PageUrl): string | undefined;
  /**
   * The category of a request page code makes (fetch, XHR, beacon, image, EventSource, WebSocket)
   * to another origin, by the `requests` and `scripts` patterns; same-origin requests have none.
   */
  request(url: string, page: PageUrl): string | undefined;
  /**
   * The category of a resource hint (`<link rel=preload|…|preconnect>`), `UNDECLARED` for one to
   * another origin no pattern covers while the policy blocks those, or undefined when not gated.
   */
  hint(rel: string | null, href: string | null, page: PageUrl): string | undefined;
  /** The verdict on a `Set-Cookie` or `document.cookie` write under the allowed categories. */
  cookieWrite(write: string, allowed: (category: string) => boolean, now: number): CookieWrite<string>;
}

/**
 * Reads a table into lookups; `categories` are the policy's category ids (a `data-consent-category`
 * naming another is not a marking).
 * @example
 * classifierOf(state.classifier, Object.keys(state.categories)).cookie('_ga')?.[1] // 'analytics'
 */
export function classifierOf(table: ClientTable, categories: readonly string[]): Classifier {
  const patterns = [...Object.entries(table.cookies), ...table.cookiePrefixes.map(([p, c]): PatternEntry => [`${p}*`, c])];
  const names = buildCookieNames(
    patterns.map(([pattern, category]): CookieEntry<string> => [pattern, category, table.chunked.includes(pattern)]),
  );
  const sources = { script: buildSourceTable(table.scripts), iframe: buildSourceTable(table.iframes) };
  const requests = buildSourceTable([...(table.requests ?? []), ...table.scripts]);
  const cookie = (name: string) => classifyCookieName(names, name);
  const blockUndeclared = table.undeclaredSources !== 'allow';
  const source = (kind: GatedKind, src: string, page: PageUrl) => sourceValue(sources[kind], src, page);
  const request = (url: string, page: PageUrl) => {
    const parsed = resolveUrl(url, page.href);
    if (!parsed || parsed.origin === page.origin) return undefined;
    // ws(s): is how page code reaches an http(s) host over a WebSocket.
    const target =
      parsed.protocol === 'wss:' || parsed.protocol === 'ws:' ? resolveUrl(parsed.href.replace(/^ws/, 'http'), page.href) : parsed;
    return target && sourceValue(requests, target.href, page);
  };
  return {
    cookie,
    source,
    request,
    hint: (rel, href, page) => {
      const kind = hintOf(rel);
      if (!kind || !href) return undefined;
      // A hint to a host no category declares contacts it for a tag that is never released.
      const undeclared = () => (blockUndeclared && isForeign(href, page) ? UNDECLARED : undefined);
      if (kind === 'fetch') return source('script', href, page) ?? source('iframe', href, page) ?? request(href, page) ?? undeclared();
      const url = resolveUrl(href, page.href);
      if (!url || url.origin === page.origin) return undefined;
      return originValue(sources.script, url) ?? originValue(sources.iframe, url) ?? originValue(requests, url) ?? undeclared();
    },
    tag: (kind, attrs, page) =>
      tagCategory(
        kind,
        attrs,
        (id): id is string => categories.includes(id),
        (src) => source(kind, src, page) ?? (blockUndeclared && isForeign(src, page) ? UNDECLARED : undefined),
      ),
    cookieWrite: (write, allowed, now) =>
      judgeCookieWrite(write, { classify: (name) => cookie(name)?.[1], allowed, undeclared: table.undeclared }, now),
  };
}
