/** `applyAction`, the body schemas, `safeReturnPath` and `isSameOriginWrite`: the pure rules behind POST /__consent. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Action, applyAction, FormDecision, isSameOriginWrite, JsonDecision, safeReturnPath } from '../../src/consent/actions';
import type { ConsentDecision } from '../../src/consent/cookie';
import { decideConsent } from '../../src/consent/decide';
import { compilePolicy } from '../../src/policy/compile';
import { parsePolicy } from '../../src/policy/index';
import type { CategoryId } from '../../src/policy/schema';

const parsed = parsePolicy(JSON.parse(readFileSync(join(__dirname, '../../policy.json'), 'utf8')));
if (!parsed.ok) throw new Error('policy.json is invalid');
const policy = compilePolicy(parsed.policy);
const NOW = 1_780_000_000;
const PRIOR: ConsentDecision = { revision: 1, categories: ['functional'], issued: NOW - 1000, gpc: false, id: 'prior-id-0123456789ab' };
const FRESH = 'fresh-id-0123456789abc';

function act(
  action: Action,
  change: { categories?: CategoryId[]; prior?: ConsentDecision | null; allowedBefore?: CategoryId[]; gpc?: boolean } = {},
) {
  return applyAction({
    policy,
    action,
    categories: change.categories ?? [],
    prior: change.prior === undefined ? PRIOR : change.prior,
    allowedBefore: change.allowedBefore ?? ['essential'],
    gpc: change.gpc ?? false,
    now: NOW,
    newId: () => FRESH,
  });
}

describe('applyAction', () => {
  it('accept-all accepts every optional category for the current revision, now', () => {
    expect(act('accept-all')).toEqual({
      decision: { revision: 1, categories: ['functional', 'analytics', 'third-party'], issued: NOW, gpc: false, id: PRIOR.id },
      accepted: ['functional', 'analytics', 'third-party'],
      refused: [],
    });
  });

  it('reject-all refuses every optional category and still records a decision', () => {
    const outcome = act('reject-all', { categories: ['analytics'] });
    expect(outcome.decision?.categories).toEqual([]);
    expect(outcome.accepted).toEqual([]);
    expect(outcome.refused).toEqual(['functional', 'analytics', 'third-party']);
  });

  it('save keeps exactly the chosen categories, in policy order, without duplicates', () => {
    const outcome = act('save', { categories: ['third-party', 'functional', 'functional'] });
    expect(outcome.decision?.categories).toEqual(['functional', 'third-party']);
    expect(outcome.refused).toEqual(['analytics']);
  });

  it('save replaces the prior choice rather than adding to it', () => {
    expect(act('save', { categories: ['analytics'], prior: PRIOR }).decision?.categories).toEqual(['analytics']);
  });

  it('withdraw leaves no decision and refuses every optional category', () => {
    expect(act('withdraw', { allowedBefore: ['essential', 'functional', 'analytics'] })).toEqual({
      decision: null,
      accepted: [],
      refused: ['functional', 'analytics', 'third-party'],
    });
  });

  it('withdraw in an opt-out region stores a refusal under a new id, so nothing comes back by default', () => {
    const outcome = applyAction({
      policy,
      action: 'withdraw',
      categories: [],
      prior: PRIOR,
      allowedBefore: ['essential', 'functional'],
      gpc: true,
      now: NOW,
      newId: () => FRESH,
      regime: 'opt-out',
    });
    expect(outcome).toEqual({
      decision: { revision: 1, categories: [], issued: NOW, gpc: true, id: FRESH },
      accepted: [],
      refused: ['functional', 'analytics', 'third-party'],
    });
    const optOut = parsePolicy({ ...parsed.policy, regimes: { default: 'opt-out', regions: {} } });
    if (!optOut.ok) throw new Error('variant invalid');
    const state = decideConsent({
      policy: compilePolicy(optOut.policy),
      decision: outcome.decision,
      gpc: false,
      location: { country: 'US' },
      now: NOW,
    });
    expect(state.categories).toEqual({ essential: true, functional: false, analytics: false, 'third-party': false });
    expect(
      applyAction({
        policy,
        action: 'withdraw',
        categories: [],
        prior: PRIOR,
        allowedBefore: [],
        gpc: false,
        now: NOW,
        newId: () => FRESH,
        regime: 'opt-in',
      }).decision,
    ).toBeNull();
  });

  it('contextual adds the requested category to what was allowed before', () => {
    const outcome = act('contextual', { categories: ['third-party'], allowedBefore: ['essential', 'functional'] });
    expect(outcome.decision?.categories).toEqual(['functional', 'third-party']);
    expect(outcome.refused).toEqual(['analytics']);
  });

  it('contextual does not grant what was allowed only by default when nothing else is asked', () => {
    expect(act('contextual', { categories: ['analytics'], allowedBefore: ['essential'] }).decision?.categories).toEqual(['analytics']);
  });

  it('keeps the consent id across decisions, even from an outdated decision, and makes one when there is none', () => {
    for (const action of ['accept-all', 'reject-all', 'save', 'contextual'] as const) {
      expect(act(action).decision?.id).toBe(PRIOR.id);
      expect(act(action, { prior: { ...PRIOR, revision: 0 } }).decision?.id).toBe(PRIOR.id);
      expect(act(action, { prior: null }).decision?.id).toBe(FRESH);
    }
  });

  it('records whether the decision was made under GPC', () => {
    expect(act('accept-all', { gpc: true }).decision?.gpc).toBe(true);
    expect(act('reject-all', { gpc: false }).decision?.gpc).toBe(false);
  });

  it('cannot refuse essential: it is never stored, never refused, and always allowed afterwards', () => {
    for (const action of ['accept-all', 'reject-all', 'save', 'withdraw', 'contextual'] as const) {
      const outcome = act(action, { categories: ['essential'] });
      expect(outcome.refused).not.toContain('essential');
      expect(outcome.decision?.categories ?? []).not.toContain('essential');
      const state = decideConsent({ policy, decision: outcome.decision, gpc: false, location: {}, now: NOW });
      expect(state.categories.essential).toBe(true);
    }
  });

  it('gives a decision the deployed worker honours right away', () => {
    const outcome = act('save', { categories: ['analytics'] });
    const state = decideConsent({ policy, decision: outcome.decision, gpc: false, location: { country: 'FR' }, now: NOW });
    expect(state).toMatchObject({
      decided: true,
      consentId: PRIOR.id,
      categories: { essential: true, functional: false, analytics: true, 'third-party': false },
    });
  });
});

describe('decision body schemas', () => {
  it('accepts a JSON decision and defaults categories to none', () => {
    expect(JsonDecision.parse({ action: 'reject-all' })).toEqual({ action: 'reject-all', categories: [] });
    expect(JsonDecision.parse({ action: 'save', categories: ['analytics'] }).categories).toEqual(['analytics']);
  });

  it('names the field at fault: unknown action, unknown category, unknown field', () => {
    const action = JsonDecision.safeParse({ action: 'accept-some' });
    expect(action.success || action.error.issues[0]?.path).toEqual(['action']);
    const category = JsonDecision.safeParse({ action: 'save', categories: ['marketing'] });
    expect(category.success || category.error.issues[0]?.path).toEqual(['categories', 0]);
    const field = JsonDecision.safeParse({ action: 'save', colour: 'blue' });
    expect(field.success || field.error.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['colour'] });
  });

  it('accepts a form with one or repeated category fields and refuses unknown ones', () => {
    expect(FormDecision.parse({ action: 'save', category: 'analytics' }).category).toBe('analytics');
    expect(FormDecision.parse({ action: 'save', category: ['analytics', 'functional'], return: '/x' }).category).toEqual([
      'analytics',
      'functional',
    ]);
    expect(FormDecision.safeParse({ action: 'save', category: 'marketing' }).success).toBe(false);
    expect(FormDecision.safeParse({ action: 'save', category: ['analytics', 'marketing'] }).success).toBe(false);
    expect(FormDecision.safeParse({ action: 'save', extra: '1' }).success).toBe(false);
    expect(FormDecision.safeParse({ category: 'analytics' }).success).toBe(false);
  });
});

describe('safeReturnPath', () => {
  it('keeps same-origin paths with their query and fragment', () => {
    expect(safeReturnPath('/')).toBe('/');
    expect(safeReturnPath('/reports?from=2026-01-01&x=%2F#top')).toBe('/reports?from=2026-01-01&x=%2F#top');
    expect(safeReturnPath('/%0d%0aSet-Cookie:x')).toBe('/%0d%0aSet-Cookie:x');
  });

  it('falls back to / for anything that could leave the site', () => {
    for (const value of [
      undefined,
      '',
      '//evil.com',
      '//evil.com/path',
      '/\\evil.com',
      '\\\\evil.com',
      '/x\\evil',
      'https://evil.com',
      'http:/evil.com',
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:text/html,x',
      'evil.com',
      ' /x',
      './/evil.com',
    ]) {
      expect(safeReturnPath(value), String(value)).toBe('/');
    }
  });

  it('falls back to / for raw control characters (header injection) and very long values', () => {
    for (const value of ['/x\r\nSet-Cookie: a=b', '/x\nLocation: //evil', '/\tx', '/x\u0000', '/x\u007f', `/${'a'.repeat(3000)}`]) {
      expect(safeReturnPath(value)).toBe('/');
    }
  });

  it('percent-encodes non-ASCII characters as a browser would, so the Location header is valid', () => {
    expect(safeReturnPath('/rapports/été?q=日本')).toBe(
      new URL('/rapports/été?q=日本', 'https://shop.test').href.slice('https://shop.test'.length),
    );
    expect(safeReturnPath('/x\u0085y')).toBe('/x%C2%85y');
    expect(safeReturnPath('/x\ud800')).toBe('/');
  });

  it('only ever returns a path that stays on this origin and is a valid header value', () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom('/', '\\', ':', '%', '.', '\r', '\n'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
        fc.string({ minLength: 1, maxLength: 1 }),
      ),
    });
    fc.assert(
      fc.property(
        fc.oneof(
          text,
          text.map((s) => `/${s}`),
          text.map((s) => `//${s}`),
        ),
        (value) => {
          const path = safeReturnPath(value);
          expect(new URL(path, 'https://shop.test').origin).toBe('https://shop.test');
          expect(() => new Headers({ location: path })).not.toThrow();
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('isSameOriginWrite', () => {
  const url = new URL('https://shop.test/__consent');
  const write = (headers: Record<string, string>) => isSameOriginWrite(new Headers(headers), url);

  it('trusts Sec-Fetch-Site when present, whatever Origin says', () => {
    expect(write({ 'sec-fetch-site': 'same-origin' })).toBe(true);
    expect(write({ 'sec-fetch-site': 'none' })).toBe(true);
    expect(write({ 'sec-fetch-site': 'same-site' })).toBe(false);
    expect(write({ 'sec-fetch-site': 'cross-site' })).toBe(false);
    expect(write({ 'sec-fetch-site': 'cross-site', origin: 'https://shop.test' })).toBe(false);
    expect(write({ 'sec-fetch-site': 'same-origin', origin: 'https://evil.com' })).toBe(true);
  });

  it('falls back to Origin: this origin or null (a same-origin form may send it)', () => {
    expect(write({ origin: 'https://shop.test' })).toBe(true);
    expect(write({ origin: 'null' })).toBe(true);
    expect(write({ origin: 'https://evil.com' })).toBe(false);
    expect(write({ origin: 'http://shop.test' })).toBe(false);
    expect(write({ origin: 'https://shop.test:8443' })).toBe(false);
    expect(write({ origin: 'https://sub.shop.test' })).toBe(false);
  });

  it('falls back to Referer when neither is sent: this origin only', () => {
    expect(write({ referer: 'https://shop.test/reports?x=1' })).toBe(true);
    expect(write({ referer: 'https://shop.test' })).toBe(true);
    expect(write({ referer: 'https://evil.example/page' })).toBe(false);
    expect(write({ referer: 'http://shop.test/' })).toBe(false);
    expect(write({ referer: 'https://sub.shop.test/' })).toBe(false);
    expect(write({ referer: 'not a url' })).toBe(false);
  });

  it('refuses Origin: null with a foreign Referer (a sandboxed frame on another site)', () => {
    expect(write({ origin: 'null', referer: 'https://evil.example/frame' })).toBe(false);
    expect(write({ origin: 'null', referer: 'https://shop.test/prefs' })).toBe(true);
  });

  it('ignores Referer when Sec-Fetch-Site or Origin decides', () => {
    expect(write({ 'sec-fetch-site': 'same-origin', referer: 'https://evil.example/' })).toBe(true);
    expect(write({ origin: 'https://shop.test', referer: 'https://evil.example/' })).toBe(true);
  });

  it('accepts a request with none of the three (not a browser, so no visitor cookies to ride on)', () => {
    expect(write({})).toBe(true);
  });
});
