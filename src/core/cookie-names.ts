/**
 * Cookie names to categories: exact names by map lookup, then the longest declared
 * prefix; the `__Secure-`/`__Host-` name prefixes are ignored, and a cookie declared as chunked
 * also matches its chunks (`name.0`, `name.1`, … `name.1234`).
 */
import { buildPatternTable, lookupPattern, type PatternTable } from './patterns';

/**
 * One declared cookie pattern (`name` or `prefix*`), what it stands for, and whether it also
 * matches the chunks `name.0`, `name.1`, …
 */
export type CookieEntry<T> = readonly [pattern: string, value: T, chunked: boolean];

export type CookieNameTable<T> = PatternTable<CookieEntry<T>>;

const NAME_PREFIX = /^__(secure|host)-/i;
/** next-auth splits a large token into as many chunks as it needs: any decimal suffix is one. */
const CHUNK_SUFFIX = /\.\d+$/;

/**
 * Indexes declared cookie patterns.
 * @example
 * const names = buildCookieNames([['next-auth.session-token', 'essential', true]]);
 */
export function buildCookieNames<T>(entries: ReadonlyArray<CookieEntry<T>>): CookieNameTable<T> {
  return buildPatternTable(entries.map((entry) => [entry[0], entry] as const));
}

/**
 * The declared pattern a cookie name matches, as a browser would send or store it (the entry it
 * was declared with); undefined when undeclared.
 * @example
 * classifyCookieName(names, '__Secure-next-auth.session-token.1') // ['next-auth.session-token', 'essential', true]
 */
export function classifyCookieName<T>(table: CookieNameTable<T>, name: string): CookieEntry<T> | undefined {
  const bare = name.replace(NAME_PREFIX, '');
  const hit = lookupPattern(table, bare);
  if (hit || !CHUNK_SUFFIX.test(bare)) return hit;
  const chunk = lookupPattern(table, bare.replace(CHUNK_SUFFIX, ''));
  return chunk?.[2] ? chunk : undefined;
}
