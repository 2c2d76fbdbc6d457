/** `decideConsent`, `regimeFor`, `isCurrent`: who may have what, from plain data and a clock (docs/enforcement.md). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConsentDecision } from '../../src/consent/cookie';
import { chooseDecision, decideConsent, isCurrent, type Location, regimeFor } from '../../src/consent/decide';
import { allowedCategories } from '../../src/consent/state';
import { type CompiledPolicy, compilePolicy } from '../../src/policy/compile';
import { parsePolicy } from '../../src/policy/index';
import type { CategoryId } from '../../src/policy/schema';

const policyJson = JSON.parse(readFileSync(join(__dirname, '../../policy.json'), 'utf8')) as Record<string, unknown>;

/** policy.json with some top-level fields replaced, validated like the build validates it. */
function policyWith(change: Record<string, unknown> = {}): CompiledPolicy {
  const result = parsePolicy({ ...policyJson, ...change });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return compilePolicy(result.policy);
}

const policy = policyWith();
const caOptOut = policyWith({ regimes: { default: 'opt-in', regions: { 'US-CA': 'opt-out' } } });
const DAY = 86_400;
const LIFETIME = 182 * DAY;
const NOW = 1_780_000_000;
const PARIS: Location = { country: 'FR', regionCode: 'IDF' };

function decision(categories: CategoryId[], change: Partial<ConsentDecision> = {}): ConsentDecision {
  return { revision: 1, categories, issued: NOW - DAY, gpc: false, id: 'AAAAAAAAAAAAAAAAAAAAAA', ...change };
}

function decide(d: ConsentDecision | null, extra: { gpc?: boolean; location?: Location; now?: number; policy?: CompiledPolicy } = {}) {
  return decideConsent({
    policy: extra.policy ?? policy,
    decision: d,
    gpc: extra.gpc ?? false,
    location: extra.location ?? PARIS,
    now: extra.now ?? NOW,
  });
}

const ESSENTIAL_ONLY = { essential: true, functional: false, analytics: false, 'third-party': false };
const ALL = { essential: true, functional: true, analytics: true, 'third-party': true };

describe('decideConsent: the stored decision', () => {
  it('allows essential only without a decision (opt-in default), with every docs/wire-formats.md field', () => {
    expect(decide(null)).toEqual({
      revision: 1,
      decided: false,
      categories: ESSENTIAL_ONLY,
      gpc: false,
      regime: 'opt-in',
      consentId: null,
      issuedAt: null,
      expiresAt: null,
    });
  });

  it('allows essential only after reject all, and says the visitor decided', () => {
    const state = decide(decision([]));
    expect(state.decided).toBe(true);
    expect(state.categories).toEqual(ESSENTIAL_ONLY);
    expect(state.consentId).toBe('AAAAAAAAAAAAAAAAAAAAAA');
  });

  it('allows exactly the saved categories of a custom decision', () => {
    expect(decide(decision(['functional'])).categories).toEqual({ ...ESSENTIAL_ONLY, functional: true });
    expect(allowedCategories(decide(decision(['analytics', 'third-party'])))).toEqual(['essential', 'analytics', 'third-party']);
  });

  it('allows everything after accept all, and reports issue and expiry times', () => {
    const state = decide(decision(['functional', 'analytics', 'third-party']));
    expect(state.categories).toEqual(ALL);
    expect(state.issuedAt).toBe(NOW - DAY);
    expect(state.expiresAt).toBe(NOW - DAY + LIFETIME);
  });

  it('treats a decision for an older or newer revision as no decision (raising revision asks again)', () => {
    for (const revision of [0, 2]) {
      const state = decide(decision(['functional', 'analytics', 'third-party'], { revision }));
      expect(state.decided).toBe(false);
      expect(state.categories).toEqual(ESSENTIAL_ONLY);
      expect(state.consentId).toBeNull();
    }
    const raised = policyWith({ revision: 2 });
    expect(decide(decision(['analytics']), { policy: raised }).decided).toBe(false);
    expect(decide(decision(['analytics'], { revision: 2 }), { policy: raised }).categories.analytics).toBe(true);
  });

  it('honours a decision until the last second of its lifetime, and not at the boundary', () => {
    const d = decision(['analytics'], { issued: NOW });
    expect(decide(d, { now: NOW + LIFETIME - 1 }).categories.analytics).toBe(true);
    expect(decide(d, { now: NOW + LIFETIME }).decided).toBe(false);
    expect(decide(d, { now: NOW + LIFETIME }).categories).toEqual(ESSENTIAL_ONLY);
    expect(isCurrent(policy, d, NOW + LIFETIME - 1)).toBe(true);
    expect(isCurrent(policy, d, NOW + LIFETIME)).toBe(false);
  });

  it('follows the policy lifetime, not a fixed one', () => {
    const short = policyWith({ consentCookie: { name: 'ce_consent', lifetimeDays: 30 } });
    const d = decision(['analytics'], { issued: NOW });
    expect(decide(d, { policy: short, now: NOW + 30 * DAY - 1 }).decided).toBe(true);
    expect(decide(d, { policy: short, now: NOW + 30 * DAY }).decided).toBe(false);
    expect(decide(d, { policy: short }).expiresAt).toBe(NOW + 30 * DAY);
  });

  it('tolerates five minutes of clock skew for an issue time in the future, not more', () => {
    expect(decide(decision(['analytics'], { issued: NOW + 300 })).decided).toBe(true);
    expect(decide(decision(['analytics'], { issued: NOW + 301 })).decided).toBe(false);
    expect(decide(decision(['analytics'], { issued: NOW + 10 * 365 * DAY })).categories).toEqual(ESSENTIAL_ONLY);
  });

  it('never refuses essential, whatever the decision holds', () => {
    expect(decide(decision([])).categories.essential).toBe(true);
    expect(decide(null, { gpc: true }).categories.essential).toBe(true);
    const everything = policyWith({ gpc: { refuses: ['functional', 'analytics', 'third-party'] } });
    expect(decide(decision([]), { policy: everything, gpc: true }).categories.essential).toBe(true);
  });
});

describe('decideConsent: Global Privacy Control', () => {
  const all: CategoryId[] = ['functional', 'analytics', 'third-party'];

  it('refuses the GPC categories of a decision made without GPC when the request sends GPC', () => {
    const state = decide(decision(all, { gpc: false }), { gpc: true });
    expect(state.categories).toEqual({ ...ALL, analytics: false });
    expect(state.gpc).toBe(true);
    expect(state.decided).toBe(true);
  });

  it('keeps the categories of a decision made while the browser sent GPC', () => {
    expect(decide(decision(all, { gpc: true }), { gpc: true }).categories).toEqual(ALL);
  });

  it('leaves the decision alone on requests without GPC', () => {
    expect(decide(decision(all, { gpc: false })).categories).toEqual(ALL);
    expect(decide(decision(all, { gpc: true })).categories).toEqual(ALL);
    expect(decide(decision(all)).gpc).toBe(false);
  });

  it('refuses exactly what the policy marks for GPC', () => {
    const wider = policyWith({ gpc: { refuses: ['analytics', 'third-party'] } });
    expect(decide(decision(all), { policy: wider, gpc: true }).categories).toEqual({ ...ALL, analytics: false, 'third-party': false });
    const none = policyWith({ gpc: { refuses: [] } });
    expect(decide(decision(all), { policy: none, gpc: true }).categories).toEqual(ALL);
  });

  it('refuses the GPC categories in an opt-out region before any decision', () => {
    const state = decide(null, { policy: caOptOut, location: { country: 'US', regionCode: 'CA' }, gpc: true });
    expect(state.categories).toEqual({ ...ALL, analytics: false });
    expect(state.regime).toBe('opt-out');
  });

  it('ignores a GPC decision bit on an outdated decision', () => {
    expect(decide(decision(all, { gpc: true, revision: 0 }), { gpc: true }).categories).toEqual(ESSENTIAL_ONLY);
  });
});

describe('decideConsent and regimeFor: regional regimes', () => {
  const CA = { country: 'US', regionCode: 'CA' };

  it('allows the optional categories in an opt-out region (CC-RR) until the visitor refuses', () => {
    const undecided = decide(null, { policy: caOptOut, location: CA });
    expect(undecided).toMatchObject({ regime: 'opt-out', decided: false, categories: ALL });
    const refused = decide(decision([]), { policy: caOptOut, location: CA });
    expect(refused).toMatchObject({ regime: 'opt-out', decided: true, categories: ESSENTIAL_ONLY });
    expect(decide(decision(['functional']), { policy: caOptOut, location: CA }).categories).toEqual({
      ...ESSENTIAL_ONLY,
      functional: true,
    });
  });

  it('keeps other regions of the same country opt-in', () => {
    expect(decide(null, { policy: caOptOut, location: { country: 'US', regionCode: 'NY' } })).toMatchObject({
      regime: 'opt-in',
      categories: ESSENTIAL_ONLY,
    });
    expect(regimeFor(caOptOut, { country: 'US' })).toBe('opt-in');
  });

  it('keys a whole country by CC, and a CC-RR entry wins over its country', () => {
    const us = policyWith({ regimes: { default: 'opt-in', regions: { US: 'opt-out', 'US-TX': 'opt-in' } } });
    expect(regimeFor(us, { country: 'US', regionCode: 'NY' })).toBe('opt-out');
    expect(regimeFor(us, { country: 'US' })).toBe('opt-out');
    expect(regimeFor(us, { country: 'US', regionCode: 'TX' })).toBe('opt-in');
  });

  it('matches cf values whatever their case', () => {
    expect(regimeFor(caOptOut, { country: 'us', regionCode: 'ca' })).toBe('opt-out');
  });

  it('uses the default regime for a country the policy does not list', () => {
    expect(regimeFor(caOptOut, { country: 'ZZ' })).toBe('opt-in');
    expect(regimeFor(caOptOut, { country: 'DE', regionCode: 'BE' })).toBe('opt-in');
    const optOutDefault = policyWith({ regimes: { default: 'opt-out', regions: {} } });
    expect(regimeFor(optOutDefault, { country: 'BR' })).toBe('opt-out');
  });

  it('counts unknown places, XX and T1 as opt-in even when the default is opt-out', () => {
    const optOutDefault = policyWith({ regimes: { default: 'opt-out', regions: { XX: 'opt-out' } } });
    for (const location of [
      {},
      { country: null, regionCode: null },
      { country: '' },
      { country: 'XX' },
      { country: 'T1' },
      { country: 'xx' },
    ]) {
      expect(regimeFor(optOutDefault, location)).toBe('opt-in');
      expect(decide(null, { policy: optOutDefault, location }).categories).toEqual(ESSENTIAL_ONLY);
    }
  });

  it('is opt-in everywhere under the deployed policy', () => {
    for (const location of [PARIS, CA, { country: 'BR' }, { country: 'XX' }]) expect(regimeFor(policy, location)).toBe('opt-in');
  });
});

describe('chooseDecision: several consent cookies of one name', () => {
  const v = (d: ConsentDecision) => ({ decision: d, signedWith: 'current' as const });

  it('takes the latest issued, whatever order the browser sends them in', () => {
    const older = v(decision(['functional', 'analytics', 'third-party'], { issued: NOW - 10 * DAY }));
    const newer = v(decision([], { issued: NOW - DAY }));
    expect(chooseDecision(policy, [older, newer], NOW)).toBe(newer);
    expect(chooseDecision(policy, [newer, older], NOW)).toBe(newer);
  });

  it('prefers a current decision to a newer one that does not count (another revision)', () => {
    const current = v(decision(['analytics'], { issued: NOW - 5 * DAY }));
    const otherRevision = v(decision([], { issued: NOW - DAY, revision: 0 }));
    expect(chooseDecision(policy, [otherRevision, current], NOW)).toBe(current);
    expect(chooseDecision(policy, [current, otherRevision], NOW)).toBe(current);
  });

  it('falls back to the latest of the outdated ones (it still carries the consent id), and to null', () => {
    const a = v(decision([], { issued: NOW - 300 * DAY }));
    const b = v(decision([], { issued: NOW - 200 * DAY }));
    expect(chooseDecision(policy, [a, b], NOW)).toBe(b);
    expect(chooseDecision(policy, [], NOW)).toBeNull();
  });
});
