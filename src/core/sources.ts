/**
 * Script and iframe sources to categories: a pattern is an absolute http(s) URL or a
 * same-origin `/path`, optionally ending in one `*`. Classification is a host lookup, then the
 * longest path prefix on that host, so its cost does not grow with the number of patterns. A host
 * written `*.example.com` matches every subdomain of example.com (not example.com itself): it is
 * kept under the key `https://.example.com`, one more lookup per parent domain of the URL's host.
 */
import { buildPatternTable, lookupPattern, type PatternTable } from './patterns';
import { type ParsedUrl, resolveUrl } from './url';

export interface SourceTable<T> {
  /** `https://host[:port]` → patterns of the path, query and fragment. */
  hosts: Map<string, PatternTable<T>>;
  /** `/path` patterns, matched against a same-origin URL's path and query. */
  paths: PatternTable<T>;
}

/** The page a source is found on: relative sources resolve against it, `/path` patterns need its origin. */
export interface PageUrl {
  href: string;
  origin: string;
}

/** Scheme and `//`, a whole host or `*.` and a domain, the rest. */
const ABSOLUTE = /^(https?:\/\/(?:\*\.)?[^/*]*)(\/.*|)$/i;

/** The host-map key of a pattern's scheme and host: `https://*.a.com` → `https://.a.com`. */
const hostKey = (schemeAndHost: string) => schemeAndHost.toLowerCase().replace('://*.', '://.');

/**
 * Indexes source patterns. A pattern whose host is not a whole host name (a `*` inside it) can
 * never match, and the policy rules refuse it.
 * @example
 * const table = buildSourceTable([['https://www.googletagmanager.com/*', 'analytics']]);
 */
export function buildSourceTable<T>(entries: Iterable<readonly [pattern: string, value: T]>): SourceTable<T> {
  const byHost = new Map<string, Array<[string, T]>>();
  const paths: Array<[string, T]> = [];
  for (const [pattern, value] of entries) {
    const parts = ABSOLUTE.exec(pattern);
    if (pattern.startsWith('/')) paths.push([pattern, value]);
    else if (parts) {
      const key = hostKey(parts[1] ?? '');
      const list = byHost.get(key) ?? [];
      list.push([parts[2] ?? '', value]);
      byHost.set(key, list);
    }
  }
  return { hosts: new Map([...byHost].map(([key, list]) => [key, buildPatternTable(list)])), paths: buildPatternTable(paths) };
}

/** The `*.` keys a URL's host can match, nearest parent domain first: a.b.example.com → .b.example.com, .example.com, .com. */
function parentKeys(url: ParsedUrl): string[] {
  const keys: string[] = [];
  for (let dot = url.host.indexOf('.'); dot !== -1; dot = url.host.indexOf('.', dot + 1))
    keys.push(`${url.protocol}//${url.host.slice(dot)}`);
  return keys;
}

/**
 * The value of the pattern that best matches an absolute URL: its host's longest path pattern,
 * else (same-origin URLs only) the longest `/path` pattern.
 * @example
 * lookupSource(table, new URL('https://www.googletagmanager.com/gtag/js'), 'https://shop.example') // 'analytics'
 */
export function lookupSource<T>(table: SourceTable<T>, url: ParsedUrl, pageOrigin: string): T | undefined {
  const rest = url.pathname + url.search + url.hash;
  const paths = table.hosts.get(`${url.protocol}//${url.host}`);
  const hit = paths && lookupPattern(paths, rest);
  if (hit !== undefined) return hit;
  for (const key of parentKeys(url)) {
    const wild = table.hosts.get(key);
    const found = wild && lookupPattern(wild, rest);
    if (found !== undefined) return found;
  }
  return url.origin === pageOrigin ? lookupPattern(table.paths, url.pathname + url.search) : undefined;
}

/**
 * The value for a whole origin (a `preconnect` or `dns-prefetch` hint names no path): the
 * pattern its root path matches, else the first pattern declared on that host.
 * @example
 * originValue(table, new URL('https://www.googletagmanager.com')) // 'analytics'
 */
export function originValue<T>(table: SourceTable<T>, url: ParsedUrl): T | undefined {
  const { protocol, host, origin } = url;
  const root = lookupSource(table, { href: `${origin}/`, protocol, host, origin, pathname: '/', search: '', hash: '' }, '');
  if (root !== undefined) return root;
  for (const key of [`${url.protocol}//${url.host}`, ...parentKeys(url)]) {
    const paths = table.hosts.get(key);
    if (!paths) continue;
    const first = paths.exact.values().next();
    if (!first.done) return first.value;
    const prefix = paths.prefixes.values().next();
    if (!prefix.done) return prefix.value;
  }
  return undefined;
}

/**
 * The value for an element's `src` as written, resolved against the page; undefined when it does
 * not parse or matches no pattern.
 * @example
 * sourceValue(table, '/static/late-tag.js', { href: 'https://a.com/x', origin: 'https://a.com' })
 */
export function sourceValue<T>(table: SourceTable<T>, src: string, page: PageUrl): T | undefined {
  const url = resolveUrl(src, page.href);
  return url && lookupSource(table, url, page.origin);
}
