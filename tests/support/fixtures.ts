/** Shared test inputs: the deployed policy, compiled once, and consent states built from it. */
import { newConsentId } from '../../src/consent/cookie';
import { allowedSet, type ConsentState } from '../../src/consent/state';
import type { DecisionRecord } from '../../src/log/record';
import type { CompiledPolicy } from '../../src/policy/compile';
import { deployedPolicy } from '../../src/policy/load';
import type { Visit } from '../../src/visit';

export const defaultPolicy: CompiledPolicy = deployedPolicy();

/** An undecided opt-in visitor (essential only), with any field replaced. */
export function consentState(change: Partial<ConsentState> = {}): ConsentState {
  return {
    revision: defaultPolicy.policy.revision,
    decided: false,
    categories: { essential: true, functional: false, analytics: false, 'third-party': false },
    gpc: false,
    regime: 'opt-in',
    consentId: null,
    issuedAt: null,
    expiresAt: null,
    ...change,
  };
}

/** A visitor with this consent (undecided by default), in English, who sent no cookies; any field replaced. */
export function visitWith(consent: ConsentState = consentState(), change: Partial<Visit> = {}): Visit {
  return {
    consent,
    allowed: allowedSet(consent),
    prior: null,
    resign: false,
    locale: 'en',
    cookies: { forward: null, refused: [], declared: [], undeclared: [] },
    ...change,
  };
}

/** A valid decision record (fresh ids), with any field replaced. */
export function decisionRecord(overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  return {
    id: newConsentId(),
    consentId: newConsentId(),
    at: '2026-04-01T09:30:00.000Z',
    action: 'save',
    accepted: ['essential', 'functional'],
    refused: ['analytics', 'third-party'],
    revision: 1,
    policyHash: 'a'.repeat(64),
    regime: 'opt-in',
    country: 'DE',
    gpc: false,
    path: '/reports',
    userAgent: 'Mozilla/5.0 (test)',
    locale: 'en',
    surface: 'banner',
    ...overrides,
  };
}

/** What Miniflare puts in `request.cf` when it has no real location (its `fallbackCf`, abridged). */
export const MINIFLARE_PLACEHOLDER_CF = {
  asOrganization: '',
  asn: 395747,
  colo: 'DFW',
  city: 'Austin',
  region: 'Texas',
  regionCode: 'TX',
  metroCode: '635',
  postalCode: '78701',
  country: 'US',
  continent: 'NA',
  timezone: 'America/Chicago',
  latitude: '30.27130',
  longitude: '-97.74260',
};
