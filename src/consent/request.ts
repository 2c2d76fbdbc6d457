/**
 * Reading a request's consent inputs: the signed cookie, `Sec-GPC`, the location from `cf`,
 * and the secrets. Thin glue around the pure `verifyConsent` and `decideConsent`.
 */
import { cookieValues } from '../cookies/cookie-header';
import type { Bindings } from '../env';
import type { CompiledPolicy } from '../policy/compile';
import { type VerifiedConsent, verifyConsent } from './cookie';
import { chooseDecision, decideConsent, type Location } from './decide';
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

/**
 * Miniflare's stand-in `cf` when it has no real one (offline, CI, tests that pass none): a fixed
 * Austin, Texas location on one ASN. Read as a place, every local decision would say "from US"
 * and an opt-out regime for the US would apply to every developer.
 */
const PLACEHOLDER = { country: 'US', regionCode: 'TX', city: 'Austin', postalCode: '78701', asn: 395747 } as const;

/**
 * Whether `cf` is Miniflare's placeholder rather than where a request came from. Only the whole
 * placeholder place counts: a test that passes its own `country` (merged over the placeholder's
 * other fields) is taken at its word.
 * @example
 * isPlaceholderLocation({ country: 'US', regionCode: 'TX', city: 'Austin', postalCode: '78701', asn: 395747 }) // true
 * isPlaceholderLocation({ country: 'DE', regionCode: 'BE' }) // false
 */
export function isPlaceholderLocation(cf: object): boolean {
  const fields: Record<string, unknown> = { ...cf };
  return Object.entries(PLACEHOLDER).every(([key, value]) => fields[key] === value);
}

/**
 * `request.cf` location; unknown (nulls) without `cf` or with Miniflare's placeholder, so a record
 * made where the runtime has no real location says so instead of naming a country.
 */
export function requestLocation(request: Request): Location {
  // Outside Cloudflare's edge `cf` may be absent or hold only what a test passed: check, not cast.
  const cf: object | undefined = request.cf;
  if (!cf || isPlaceholderLocation(cf)) return { country: null, regionCode: null };
  return {
    country: 'country' in cf && typeof cf.country === 'string' ? cf.country : null,
    regionCode: 'regionCode' in cf && typeof cf.regionCode === 'string' ? cf.regionCode : null,
  };
}

/** Decides the consent of the current request; never throws on a garbled cookie. */
export async function readRequestConsent(request: Request, env: Bindings, policy: CompiledPolicy, now: number): Promise<RequestConsent> {
  const secrets = consentSecrets(env);
  let verified: VerifiedConsent | null = null;
  if (secrets) {
    // Usually one value; several when the browser holds the cookie in more than one scope.
    const header = request.headers.get('cookie');
    const name = policy.policy.consentCookie.name;
    const values = header?.includes(name) ? cookieValues(header, name) : [];
    if (values.length === 1) verified = await verifyConsent(values[0], secrets);
    else if (values.length > 1) {
      const all = await Promise.all(values.map((value) => verifyConsent(value, secrets)));
      verified = chooseDecision(
        policy,
        all.filter((v): v is VerifiedConsent => v !== null),
        now,
      );
    }
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
