/** One visit, read once (src/visit): what both lanes know about the visitor of a request. */
import { describe, expect, it, vi } from 'vitest';
import * as cookieHeader from '../../src/cookies/cookie-header';
import { visitOf } from '../../src/visit';
import { consentState, defaultPolicy as policy } from '../support/fixtures';

const request = (headers: Record<string, string>) => new Request('https://trackncloak.com/reports', { headers });

describe('visitOf', () => {
  it('carries the consent, the allowed categories with essential, the prior decision and the key rotation', () => {
    const state = consentState({
      decided: true,
      categories: { essential: true, functional: true, analytics: false, 'third-party': false },
    });
    const decision = { revision: 1, categories: ['functional' as const], issued: 1, gpc: false, id: 'aaaaaaaaaaaaaaaaaaaaaa' };
    const visit = visitOf(request({}), policy, '/reports', { state, verified: { decision, signedWith: 'previous' } });
    expect(visit.consent).toBe(state);
    expect([...visit.allowed].sort()).toEqual(['essential', 'functional']);
    expect(visit.prior).toEqual(decision);
    expect(visit.resign).toBe(true);
  });

  it('chooses the language from Accept-Language, among the policy locales', () => {
    const read = { state: consentState(), verified: null };
    expect(visitOf(request({ 'accept-language': 'hi-IN,hi;q=0.9' }), policy, '/', read).locale).toBe('hi');
    expect(visitOf(request({ 'accept-language': 'fr' }), policy, '/', read).locale).toBe('en');
    expect(visitOf(request({}), policy, '/', read).locale).toBe('en');
  });

  it('judges the Cookie header once, however often it is read', () => {
    const spy = vi.spyOn(cookieHeader, 'filterCookieHeader');
    const visit = visitOf(request({ cookie: '_ga=1; sidebar-collapsed=1; x=1' }), policy, '/', { state: consentState(), verified: null });
    expect(spy).not.toHaveBeenCalled();
    expect(visit.cookies.forward).toBe('x=1');
    expect(visit.cookies.refused.map((c) => c.name)).toEqual(['_ga', 'sidebar-collapsed']);
    expect(visit.cookies.declared).toHaveLength(2);
    expect(visit.cookies).toBe(visit.cookies);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });
});
