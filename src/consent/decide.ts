/**
 * Who may have what: the one pure function that turns a verified decision, the GPC signal, the
 * visitor's location and the clock into the allowed categories (docs/enforcement.md).
 */
import type { CompiledPolicy } from '../policy/compile';
import type { CategoryId } from '../policy/schema';
import type { ConsentDecision } from './cookie';
import type { ConsentState, RegimeName } from './state';

export interface Location {
  /** `request.cf.country`, e.g. "FR"; "XX" unknown, "T1" Tor. */
  country?: string | null;
  /** `request.cf.regionCode`, e.g. "CA". */
  regionCode?: string | null;
}

export interface DecideInput {
  policy: CompiledPolicy;
  /** A decision whose signature was verified, or null. */
  decision: ConsentDecision | null;
  /** The request carried `Sec-GPC: 1`. */
  gpc: boolean;
  location: Location;
  /** Unix seconds. */
  now: number;
}

const UNKNOWN_PLACES = new Set(['XX', 'T1']);
const DAY = 86_400;
/** Tolerated clock skew for an `issued` time in the future (another edge's clock). */
const SKEW = 300;

/**
 * The regime for a location: `CC-RR` first, then `CC`, then the policy default. Unknown places
 * are always opt-in, whatever the default.
 */
export function regimeFor(policy: CompiledPolicy, location: Location): RegimeName {
  const country = location.country?.toUpperCase();
  if (!country || UNKNOWN_PLACES.has(country)) return 'opt-in';
  const { regions, default: fallback } = policy.policy.regimes;
  const region = location.regionCode ? regions[`${country}-${location.regionCode.toUpperCase()}`] : undefined;
  return region ?? regions[country] ?? fallback;
}

/** A decision counts only for the current revision and within its lifetime. */
export function isCurrent(policy: CompiledPolicy, decision: ConsentDecision, now: number): boolean {
  const lifetime = policy.policy.consentCookie.lifetimeDays * DAY;
  return decision.revision === policy.policy.revision && decision.issued <= now + SKEW && decision.issued + lifetime > now;
}

/**
 * Which of several verified consent cookies counts: a browser sends one per scope it
 * holds (a host-only cookie from before a Domain was configured, a Domain cookie written from a
 * sibling subdomain), in no order that says which is newer. The latest `issued` among those that
 * are current wins; when none is current, the latest of the others still carries the consent id.
 * @example
 * chooseDecision(policy, [olderAcceptAll, newerRejectAll], now) // newerRejectAll
 */
export function chooseDecision<T extends { decision: ConsentDecision }>(
  policy: CompiledPolicy,
  candidates: readonly T[],
  now: number,
): T | null {
  let best: T | null = null;
  let bestCurrent = false;
  for (const candidate of candidates) {
    const current = isCurrent(policy, candidate.decision, now);
    if (best && bestCurrent && !current) continue;
    if (!best || (current && !bestCurrent) || candidate.decision.issued > best.decision.issued) {
      best = candidate;
      bestCurrent = current;
    }
  }
  return best;
}

/**
 * Decides the consent state of one request.
 * @example
 * decideConsent({ policy, decision: null, gpc: false, location: { country: 'FR' }, now })
 * // => { decided: false, categories: { essential: true, functional: false, ... }, regime: 'opt-in', ... }
 */
export function decideConsent({ policy, decision, gpc, location, now }: DecideInput): ConsentState {
  const regime = regimeFor(policy, location);
  const current = decision && isCurrent(policy, decision, now) ? decision : null;
  const gpcRefuses = new Set<CategoryId>(gpc && !current?.gpc ? policy.policy.gpc.refuses : []);
  const accepted = new Set<CategoryId>(current ? current.categories : regime === 'opt-out' ? policy.optional : []);
  const categories: Partial<Record<CategoryId, boolean>> = {};
  for (const id of policy.ids) {
    categories[id] = id === policy.required || (accepted.has(id) && !gpcRefuses.has(id));
  }
  const lifetime = policy.policy.consentCookie.lifetimeDays * DAY;
  return {
    revision: policy.policy.revision,
    decided: current !== null,
    categories,
    gpc,
    regime,
    consentId: current?.id ?? null,
    issuedAt: current?.issued ?? null,
    expiresAt: current ? current.issued + lifetime : null,
  };
}
