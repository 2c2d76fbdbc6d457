/**
 * Which `<script>` and `<iframe>` elements are held (SPEC §6): marked with
 * `data-consent-category`, or matching a category's source patterns. Pure, for the rewriter.
 */
import type { CompiledPolicy } from '../policy/compile';
import type { CategoryId } from '../policy/schema';
import { isExecutableScriptType } from './script-types';

/** Resolves `src` against the page URL; same-origin sources are also tried by path. */
function sourceCategory(policy: CompiledPolicy, kind: 'script' | 'iframe', src: string, page: URL): CategoryId | undefined {
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
