/**
 * The worker's bindings and the typed Hono context every route shares.
 */
import type { ConsentDecision } from './consent/cookie';
import type { ConsentState } from './consent/state';
import type { CompiledPolicy } from './policy/compile';

/** Bindings from wrangler.toml plus the secrets that never sit there. */
export interface Bindings extends Env {
  /** HMAC key for the consent cookie (`wrangler secret put CONSENT_SECRET`). */
  CONSENT_SECRET?: string;
  /** The previous key, still accepted while rotating. */
  CONSENT_SECRET_PREVIOUS?: string;
}

export interface Variables {
  policy: CompiledPolicy;
  /** The visitor's consent, decided once per request from the cookie, headers and `cf`. */
  consent: ConsentState;
  /** The verified consent cookie, even for an outdated revision (its id survives). */
  priorDecision: ConsentDecision | null;
  /** The cookie was signed with CONSENT_SECRET_PREVIOUS: re-sign it with the current key. */
  resign: boolean;
  /** Interface language chosen from `Accept-Language` (a key of `policy.locales`). */
  locale: string;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}
