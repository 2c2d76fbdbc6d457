/**
 * The worker's bindings and the typed Hono context every route shares.
 */
import type { CompiledPolicy } from './policy/compile';
import type { Visit } from './visit';

/** Bindings from wrangler.toml plus the secrets that never sit there. */
export interface Bindings extends Env {
  /** HMAC key for the consent cookie (`wrangler secret put CONSENT_SECRET`). */
  CONSENT_SECRET?: string;
  /** The previous key, still accepted while rotating. */
  CONSENT_SECRET_PREVIOUS?: string;
}

export interface Variables {
  policy: CompiledPolicy;
  /** The visitor of this request, read once (`readVisit`). */
  visit: Visit;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}
