/**
 * Which `<script>` and `<iframe>` elements are held (SPEC §6): marked with
 * `data-consent-category`, or matching a category's source patterns. Pure, for the rewriter.
 */
import type { CompiledPolicy } from '../policy/compile';
import type { CategoryId } from '../policy/schema';
import { isExecutableScriptType } from './script-types';

/** Resolves `src` against the page URL; same-origin sources are also tried by path. */
function resolveCategory(policy: CompiledPolicy, kind: 'script' | 'iframe', src: string, page: URL): CategoryId | undefined {
  let url: URL;
  try {
    url = new URL(src.trim(), page);
  } catch {
    return undefined;
  }
  const byUrl = policy.classifySource(kind, url.href);
  if (byUrl || url.origin !== page.origin) return byUrl;
  return policy.classifySource(kind, url.pathname + url.search);
}

/**
 * Recent answers per policy: a site's pages carry the same tags on every request, and resolving a
 * `src` was about 8% of the CPU of a small page. Bounded, oldest out first.
 */
const sourceCache = new WeakMap<CompiledPolicy, Map<string, CategoryId | null>>();
const SOURCE_CACHE_SIZE = 1024;
/** A `src` that resolves the same on every page of an origin: rooted, or with a scheme. */
const ORIGIN_RELATIVE = /^\s*(\/|[a-z][a-z0-9+.-]*:)/i;

function sourceCategory(policy: CompiledPolicy, kind: 'script' | 'iframe', src: string, page: URL): CategoryId | undefined {
  if (src.length > 2048) return resolveCategory(policy, kind, src, page);
  // What the answer depends on: the origin, or for a path-relative src the whole page URL.
  const key = `${kind} ${ORIGIN_RELATIVE.test(src) ? page.origin : page.href} ${src}`;
  let cache = sourceCache.get(policy);
  if (!cache) {
    cache = new Map();
    sourceCache.set(policy, cache);
  }
  const known = cache.get(key);
  if (known !== undefined) return known ?? undefined;
  const category = resolveCategory(policy, kind, src, page);
  if (cache.size >= SOURCE_CACHE_SIZE) cache.delete(cache.keys().next().value ?? '');
  cache.set(key, category ?? null);
  return category;
}

/**
 * The category an element belongs to, or undefined when it is not gated.
 * @example
 * elementCategory(policy, 'script', { src: 'https://www.googletagmanager.com/gtag/js' }, page) // 'analytics'
 */
export function elementCategory(
  policy: CompiledPolicy,
  kind: 'script' | 'iframe',
  attrs: { category: string | null; src: string | null; type: string | null },
  page: URL,
): CategoryId | undefined {
  if (kind === 'script' && !isExecutableScriptType(attrs.type)) return undefined;
  const marked = attrs.category?.trim();
  if (marked && policy.categories.has(marked as CategoryId)) return marked as CategoryId;
  return attrs.src ? sourceCategory(policy, kind, attrs.src, page) : undefined;
}
