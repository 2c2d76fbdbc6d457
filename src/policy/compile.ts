/**
 * Turns a validated policy into the lookups the hot path needs: cookie name to category by map
 * lookup, then longest prefix by one lookup per distinct prefix length (cost independent of how
 * many cookies are declared), and the same for script and iframe sources.
 */
import { fnv1a } from './fnv';
import type { Category, CategoryId, DeclaredCookie, Policy } from './schema';

export interface CookieMatch {
  category: CategoryId;
  cookie: DeclaredCookie;
}

/** A pattern table: exact entries and prefix entries grouped for longest-prefix lookup. */
export interface PatternTable<T> {
  exact: Map<string, T>;
  prefixes: Map<string, T>;
  /** Distinct prefix lengths, longest first. */
  lengths: number[];
}

export function buildPatternTable<T>(entries: Iterable<[pattern: string, value: T]>): PatternTable<T> {
  const exact = new Map<string, T>();
  const prefixes = new Map<string, T>();
  for (const [pattern, value] of entries) {
    if (pattern.endsWith('*')) prefixes.set(pattern.slice(0, -1), value);
    else exact.set(pattern, value);
  }
  const lengths = [...new Set([...prefixes.keys()].map((p) => p.length))].sort((a, b) => b - a);
  return { exact, prefixes, lengths };
}

/** Exact match first, then the longest declared prefix. */
export function lookupPattern<T>(table: PatternTable<T>, key: string): T | undefined {
  const exact = table.exact.get(key);
  if (exact !== undefined) return exact;
  for (const length of table.lengths) {
    if (length > key.length) continue;
    const hit = table.prefixes.get(key.slice(0, length));
    if (hit !== undefined) return hit;
  }
  return undefined;
}

const NAME_PREFIX = /^__(secure|host)-/i;
const CHUNK_SUFFIX = /\.\d{1,3}$/;

/** The policy, validated and indexed for the request path. */
export interface CompiledPolicy {
  policy: Policy;
  /** Changes with any edit of the policy (FNV-1a of its JSON): part of every state-specific ETag. */
  fingerprint: string;
  /** Category ids in policy order. */
  ids: CategoryId[];
  /** The required category (always `essential` in a valid policy). */
  required: CategoryId;
  /** Categories a visitor can accept or refuse. */
  optional: CategoryId[];
  categories: Map<CategoryId, Category>;
  /** Whether the regime depends on where the visitor is (else `request.cf` need not be read). */
  placeMatters: boolean;
  /** Classifies a cookie name as a browser would send it (`__Host-x`, `x.0` included). */
  classifyCookie(name: string): CookieMatch | undefined;
  /** Classifies a script or iframe `src` (absolute URL) by the categories' source patterns. */
  classifySource(kind: 'script' | 'iframe', url: string): CategoryId | undefined;
}

/**
 * Indexes a validated policy once, at start-up.
 * @example
 * const compiled = compilePolicy(policy);
 * compiled.classifyCookie('__Secure-next-auth.session-token.1')?.category // 'essential'
 */
export function compilePolicy(policy: Policy): CompiledPolicy {
  const cookies = buildPatternTable<CookieMatch>(
    policy.categories.flatMap((c) => c.cookies.map((cookie) => [cookie.name, { category: c.id, cookie }] as [string, CookieMatch])),
  );
  const sources = {
    script: buildPatternTable<CategoryId>(policy.categories.flatMap((c) => c.scripts.map((s) => [s, c.id] as [string, CategoryId]))),
    iframe: buildPatternTable<CategoryId>(policy.categories.flatMap((c) => c.iframes.map((s) => [s, c.id] as [string, CategoryId]))),
  };
  const required = policy.categories.find((c) => c.required)?.id ?? 'essential';
  return {
    policy,
    fingerprint: fnv1a(JSON.stringify(policy)),
    ids: policy.categories.map((c) => c.id),
    required,
    optional: policy.categories.filter((c) => !c.required).map((c) => c.id),
    categories: new Map(policy.categories.map((c) => [c.id, c])),
    // Unknown places are always opt-in, so only an opt-out regime anywhere makes place matter.
    placeMatters: policy.regimes.default === 'opt-out' || Object.values(policy.regimes.regions).includes('opt-out'),
    classifyCookie(name) {
      const bare = name.replace(NAME_PREFIX, '');
      const hit = lookupPattern(cookies, bare);
      if (hit) return hit;
      if (!CHUNK_SUFFIX.test(bare)) return undefined;
      const chunked = lookupPattern(cookies, bare.replace(CHUNK_SUFFIX, ''));
      return chunked?.cookie.chunked ? chunked : undefined;
    },
    classifySource(kind, url) {
      return lookupPattern(sources[kind], url);
    },
  };
}
