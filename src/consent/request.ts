/**
 * Reading a request's consent inputs: the signed cookie, `Sec-GPC`, the location from `cf`,
 * and the secrets. Thin glue around the pure `verifyConsent` and `decideConsent`.
 */
import { parse } from 'hono/utils/cookie';
import type { Bindings } from '../env';
import type { CompiledPolicy } from '../policy/compile';
import { type VerifiedConsent, verifyConsent } from './cookie';
import { type Location, decideConsent } from './decide';
import type { ConsentState } from './state';

export const MISSING_SECRET = 'CONSENT_SECRET is not configured: consent cannot be stored, only essential cookies are allowed';
let warned = false;

export interface RequestConsent {
  state: ConsentState;
  /** The verified cookie, current or outdated (its id survives a new decision). */
  verified: VerifiedConsent | null;
}

/** The secrets, or null when CONSENT_SECRET is missing (a configuration error, logged once). */
export function consentSecrets(env: Bindings): { current: string; previous?: string } | null {
  if (!env.CONSENT_SECRET) {
    if (!warned) {
      console.error(JSON.stringify({ level: 'error', event: 'config', message: MISSING_SECRET }));
      warned = true;
    }
    return null;
  }
  return { current: env.CONSENT_SECRET, previous: env.CONSENT_SECRET_PREVIOUS || undefined };
}

/** `request.cf` location; tests pass `cf` explicitly (the local placeholder is not a place). */
export function requestLocation(request: Request): Location {
  // Outside Cloudflare's edge `cf` may be absent or hold only what a test passed: check, not cast.
  const cf: object | undefined = request.cf;
  return {
    country: cf && 'country' in cf && typeof cf.country === 'string' ? cf.country : null,
    regionCode: cf && 'regionCode' in cf && typeof cf.regionCode === 'string' ? cf.regionCode : null,
  };
}

/** Decides the consent of the current request; never throws on a garbled cookie. */
export async function readRequestConsent(request: Request, env: Bindings, policy: CompiledPolicy, now: number): Promise<RequestConsent> {
  const secrets = consentSecrets(env);
  let verified: VerifiedConsent | null = null;
  if (secrets) {
    const name = policy.policy.consentCookie.name;
    const header = request.headers.get('cookie');
    let raw: string | undefined;
    try {
      // Hono's cookie parser (what `getCookie` uses), asked for the one name.
      raw = header ? parse(header, name)[name] : undefined;
    } catch {
      raw = undefined;
    }
    verified = await verifyConsent(raw, secrets);
  }
  const state = decideConsent({
    policy,
    decision: verified?.decision ?? null,
    gpc: request.headers.get('sec-gpc')?.trim() === '1',
    // Reading `cf` costs about 15 µs a request; skipped when every place has the same regime.
    location: policy.placeMatters ? requestLocation(request) : {},
    now,
  });
  if (!secrets) {
    // Essential only, even in an opt-out region: the visitor could not refuse (POST answers 503).
    state.error = MISSING_SECRET;
    for (const id of policy.optional) state.categories[id] = false;
  }
  return { state, verified };
}
