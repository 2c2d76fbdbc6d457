/**
 * Response `Set-Cookie` filtering (docs/enforcement.md): each header parsed as a browser would, classified
 * by the policy, passed byte-for-byte only when its category is allowed. Fails closed per header.
 */
import { type CookieRules, judgeCookieWrite } from '../core/cookie-write';
import type { CompiledPolicy } from '../policy/compile';
import type { CategoryId } from '../policy/schema';

export type BlockReason = 'refused' | 'undeclared' | 'nameless' | 'invalid' | 'error';

export interface BlockedSetCookie {
  /** The cookie name as the browser would store it; empty when nameless or unparseable. */
  name: string;
  category: CategoryId | null;
  /**
   * `refused`: its category is not allowed; `undeclared`/`nameless`: not in the policy, which
   * says `block`; `invalid`: a header the browser would ignore anyway (RFC 6265bis §5.6 step 1
   * and 5); `error`: filtering threw, so the header fails closed.
   */
  reason: BlockReason;
}

export interface SetCookieVerdict {
  /** The headers to send on, unchanged and in order. */
  pass: string[];
  blocked: BlockedSetCookie[];
  /** Names of undeclared cookies seen (passed or not), once each; "" for nameless ones. */
  undeclared: string[];
}

/**
 * Filters the origin's `Set-Cookie` headers (from `headers.getSetCookie()`, never comma-joined)
 * in one pass, each judged by `judgeCookieWrite`. Deletions always pass; the required category
 * always passes.
 * @example
 * filterSetCookies(['_ga=GA1.1; Max-Age=63072000', 'next-auth.csrf-token=x'], new Set(['essential']), policy, Date.now())
 * // { pass: ['next-auth.csrf-token=x'],
 * //   blocked: [{ name: '_ga', category: 'analytics', reason: 'refused' }], undeclared: [] }
 */
export function filterSetCookies(
  headers: readonly string[],
  allowed: ReadonlySet<CategoryId>,
  policy: CompiledPolicy,
  now: number,
): SetCookieVerdict {
  const pass: string[] = [];
  const blocked: BlockedSetCookie[] = [];
  const undeclared = new Set<string>();
  // The same verdict banner.js gives a document.cookie write.
  const rules: CookieRules<CategoryId> = {
    classify: (name) => policy.classifyCookie(name)?.category,
    allowed: (category) => category === policy.required || allowed.has(category),
    undeclared: policy.policy.undeclared,
  };
  for (const header of headers) {
    try {
      const write = judgeCookieWrite(header, rules, now);
      if (write.kind === 'undeclared') undeclared.add(write.name);
      if (write.pass) pass.push(header);
      else if (write.kind === 'invalid') blocked.push({ name: '', category: null, reason: 'invalid' });
      else if (write.kind === 'undeclared')
        blocked.push({ name: write.name, category: null, reason: write.nameless ? 'nameless' : 'undeclared' });
      else if (write.kind === 'declared') blocked.push({ name: write.name, category: write.category, reason: 'refused' });
    } catch {
      // docs/failures.md: fail closed on cookies. Nothing about a header that threw can be trusted.
      blocked.push({ name: '', category: null, reason: 'error' });
    }
  }
  return { pass, blocked, undeclared: [...undeclared] };
}
