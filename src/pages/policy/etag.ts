/**
 * Validators for worker-rendered pages: the ETag changes exactly when what the page shows does
 * (the policy, the language, the visitor's choices), so a 304 never shows stale choices.
 */
import type { ConsentState } from '../../consent/state';
import { policyHash, sha256Hex } from '../../policy/digest';
import type { Policy } from '../../policy/schema';

/** Raise when the page's markup changes without the policy changing. */
const RENDER_VERSION = 1;

/** The parts of the consent state the page shows; the consent id and expiry are not shown. */
export function consentFingerprint(state: ConsentState): string {
  const categories = Object.entries(state.categories)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, on]) => `${id}=${on ? 1 : 0}`)
    .join('&');
  return [state.revision, state.decided ? 1 : 0, categories, state.issuedAt ?? '-', state.gpc ? 1 : 0].join('|');
}

/**
 * A weak ETag for one rendering of the policy page.
 * @example
 * await pageEtag(policy, 'hi', consent) // => 'W/"p1-3f2a…"'
 */
export async function pageEtag(policy: Policy, locale: string, state: ConsentState, extra = ''): Promise<string> {
  const key = [RENDER_VERSION, await policyHash(policy), locale, consentFingerprint(state), extra].join('\n');
  return `W/"p${RENDER_VERSION}-${(await sha256Hex(key)).slice(0, 32)}"`;
}

/** RFC 9110 §13.1.2: If-None-Match uses the weak comparison; `*` matches any current entity. */
export function etagMatches(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return ifNoneMatch.split(',').some((candidate) => candidate.trim() === '*' || opaque(candidate) === wanted);
}
