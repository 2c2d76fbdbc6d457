/**
 * Script and iframe sources to categories (SPEC §3): a pattern is an absolute http(s) URL or a
 * same-origin `/path`, optionally ending in one `*`. Classification is a host lookup, then the
 * longest path prefix on that host, so its cost does not grow with the number of patterns. A host
 * written `*.example.com` matches every subdomain of example.com (the most specific one first).
 */
import { buildPatternTable, lookupPattern, type PatternTable } from './patterns';
import { type ParsedUrl, resolveUrl } from './url';

export interface SourceTable<T> {
  /**
   * `https://host[:port]` → patterns of the path, query and fragment; a `*.` host is keyed
   * `https://.example.com`, which no real host can be.
   */
  hosts: Map<string, PatternTable<T>>;
  /** Some host is a `*.` one. */
  wildcards: boolean;
  /** `/path` patterns, matched against a same-origin URL's path and query. */
  paths: PatternTable<T>;
}

/** The page a source is found on: relative sources resolve against it, `/path` patterns need its origin. */
export interface PageUrl {
  href: string;
  origin: string;
}

/** Scheme and `//`, the host (`*.` allowed in front), the rest. */
const ABSOLUTE = /^(https?:\/\/)(\*(?=\.))?([^/*]*)(\/.*|)$/i;

/**
 * Indexes source patterns. A pattern whose host is not a whole host name (a `*` inside it) can
 * never match, and the policy rules refuse it.
 * @example
 * const table = buildSourceTable([['https://www.googletagmanager.com/*', 'analytics']]);
 */
export function buildSourceTable<T>(entries: Iterable<readonly [pattern: string, value: T]>): SourceTable<T> {
  const byHost = new Map<string, Array<[string, T]>>();
  const paths: Array<[string, T]> = [];
  let wildcards = false;
  for (const [pattern, value] of entries) {
    const parts = ABSOLUTE.exec(pattern);
    if (pattern.startsWith('/')) paths.push([pattern, value]);
    else if (parts) {
      const key = `${parts[1]}${parts[3]}`.toLowerCase();
      wildcards ||= parts[2] !== undefined;
      const list = byHost.get(key) ?? [];
      list.push([parts[4] ?? '', value]);
      byHost.set(key, list);
    }
  }
  return { hosts: new Map([...byHost].map(([key, list]) => [key, buildPatternTable(list)])), wildcards, paths: buildPatternTable(paths) };
}

/**
 * The value of the pattern that best matches an absolute URL: its host's longest path pattern,
 * else the closest `*.` host's, else (same-origin URLs only) the longest `/path` pattern.
 * @example
 * lookupSource(table, new URL('https://www.googletagmanager.com/gtag/js'), 'https://shop.example') // 'analytics'
 */
export function lookupSource<T>(table: SourceTable<T>, url: ParsedUrl, pageOrigin: string): T | undefined {
  const { hostname } = url;
  const rest = url.pathname + url.search + url.hash;
  // The host itself, then for `*.` hosts each parent: `.b.example.com`, `.example.com`, `.com`.
  let dot = -1;
  do {
    const host = dot < 0 ? url.host : hostname.slice(dot) + url.host.slice(hostname.length);
    const paths = table.hosts.get(`${url.protocol}//${host}`);
    const hit = paths && lookupPattern(paths, rest);
    if (hit !== undefined) return hit;
    dot = table.wildcards ? hostname.indexOf('.', dot + 1) : -1;
  } while (dot >= 0);
  return url.origin === pageOrigin ? lookupPattern(table.paths, url.pathname + url.search) : undefined;
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
