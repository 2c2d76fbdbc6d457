/**
 * Validators for worker-rendered pages: the ETag changes exactly when what the page shows does
 * (the policy, the language, the visitor's choices), so a 304 never shows stale choices.
 */
import type { ConsentState } from '../../consent/state';
import { sha256Hex } from '../../core/sha256';
import type { CompiledPolicy } from '../../policy/compile';

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
 * pageEtag(policy, 'hi', consent) // => 'W/"p1-3f2a…"'
 */
export function pageEtag(policy: CompiledPolicy, locale: string, state: ConsentState): string {
  const key = [RENDER_VERSION, policy.fingerprint, locale, consentFingerprint(state), ''].join('\n');
  return `W/"p${RENDER_VERSION}-${sha256Hex(key).slice(0, 32)}"`;
}
