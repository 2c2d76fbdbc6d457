/**
 * Response `Set-Cookie` filtering (SPEC §5): each header parsed as a browser would, classified
 * by the policy, passed byte-for-byte only when its category is allowed. Fails closed per header.
 */
import type { CompiledPolicy } from '../policy/compile';
import type { CategoryId } from '../policy/schema';
import { isDeletion, parseSetCookie } from './parse';

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
 * in one pass. Deletions always pass; the required category always passes.
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
  for (const header of headers) {
    try {
      const parsed = parseSetCookie(header);
      if (parsed === null) {
        blocked.push({ name: '', category: null, reason: 'invalid' });
        continue;
      }
      // A deletion can only remove what the browser holds, never add tracking: always let it through.
      if (isDeletion(parsed, now)) {
        pass.push(header);
        continue;
      }
      // A nameless cookie has the empty name, which no pattern matches: it is undeclared.
      const match = parsed.nameless ? undefined : policy.classifyCookie(parsed.name);
      if (match === undefined) {
        undeclared.add(parsed.name);
        if (policy.policy.undeclared === 'allow') pass.push(header);
        else blocked.push({ name: parsed.name, category: null, reason: parsed.nameless ? 'nameless' : 'undeclared' });
      } else if (match.category === policy.required || allowed.has(match.category)) {
        pass.push(header);
      } else {
        blocked.push({ name: parsed.name, category: match.category, reason: 'refused' });
      }
    } catch {
      // SPEC §7: fail closed on cookies. Nothing about a header that threw can be trusted.
      blocked.push({ name: '', category: null, reason: 'error' });
    }
  }
  return { pass, blocked, undeclared: [...undeclared] };
}
