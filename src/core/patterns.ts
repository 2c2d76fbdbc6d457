/**
 * Pattern tables: exact keys and `prefix*` keys, looked up exactly first, then by the longest
 * declared prefix with one map lookup per distinct prefix length. The cost depends on how many
 * different prefix lengths there are, never on how many patterns are declared.
 */

export interface PatternTable<T> {
  exact: Map<string, T>;
  prefixes: Map<string, T>;
  /** Distinct prefix lengths, longest first. */
  lengths: number[];
}

/**
 * Indexes `[pattern, value]` entries; a pattern ending in `*` is a prefix. A later entry for the
 * same pattern replaces an earlier one.
 * @example
 * const table = buildPatternTable([['_ga', 'analytics'], ['_ga_*', 'analytics']]);
 */
export function buildPatternTable<T>(entries: Iterable<readonly [pattern: string, value: T]>): PatternTable<T> {
  const exact = new Map<string, T>();
  const prefixes = new Map<string, T>();
  for (const [pattern, value] of entries) {
    if (pattern.endsWith('*')) prefixes.set(pattern.slice(0, -1), value);
    else exact.set(pattern, value);
  }
  const lengths = [...new Set([...prefixes.keys()].map((p) => p.length))].sort((a, b) => b - a);
  return { exact, prefixes, lengths };
}

/**
 * The value of the exact pattern `key`, else of the longest prefix of `key`.
 * @example
 * lookupPattern(table, '_ga_DEMO123') // 'analytics' (by `_ga_*`)
 */
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
