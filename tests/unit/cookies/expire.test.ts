/** Expiring refused cookies in every declared variant, and when to do it. */
import { describe, expect, it } from 'vitest';
import { filterCookieHeader, type SentCookie } from '../../../src/cookies/cookie-header';
import { expireCategories, expireRefusedCookies, shouldExpireOnRequest } from '../../../src/cookies/expire';
import type { CompiledPolicy } from '../../../src/policy/compile';
import { compiled, defaultPolicy } from './fixtures';

const policy = compiled();
const HTTPS = { hostname: 'app.trackncloak.com', https: true };
const GONE = 'Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT';

describe('expireRefusedCookies', () => {
  it('expires a cookie host-only and on each declared Domain the host belongs to', () => {
    expect(expireRefusedCookies([{ name: '_ga' }], policy, HTTPS)).toEqual([
      `_ga=; ${GONE}; Path=/`,
      `_ga=; ${GONE}; Path=/; Domain=trackncloak.com`,
    ]);
  });

  it('matches a literal Domain exactly or as a parent, never by mere suffix', () => {
    expect(expireRefusedCookies([{ name: '_ga' }], policy, { hostname: 'trackncloak.com', https: true })).toContain(
      `_ga=; ${GONE}; Path=/; Domain=trackncloak.com`,
    );
    expect(expireRefusedCookies([{ name: '_ga' }], policy, { hostname: 'eviltrackncloak.com', https: true })).toEqual([
      `_ga=; ${GONE}; Path=/`,
    ]);
    expect(expireRefusedCookies([{ name: '_ga_X' }], policy, { hostname: 'localhost', https: false })).toEqual([]);
  });

  it('uses the request host for Domain "$host"', () => {
    expect(expireRefusedCookies([{ name: '__cf_bm' }], policy, { hostname: 'App.Example.org', https: true })).toEqual([
      `__cf_bm=; ${GONE}; Path=/; Domain=app.example.org`,
    ]);
  });

  it('expires each declared Path', () => {
    expect(expireRefusedCookies([{ name: 'report-filters' }], policy, HTTPS)).toEqual([
      `report-filters=; ${GONE}; Path=/reports`,
      `report-filters=; ${GONE}; Path=/`,
    ]);
  });

  it('expires a __Host- cookie with Secure and Path=/ and no Domain', () => {
    expect(expireRefusedCookies([{ name: '__Host-_ga' }], policy, HTTPS)).toEqual([`__Host-_ga=; ${GONE}; Path=/; Secure`]);
  });

  it('expires a __Secure- cookie with Secure in every variant', () => {
    expect(expireRefusedCookies([{ name: '__Secure-_ga' }], policy, HTTPS)).toEqual([
      `__Secure-_ga=; ${GONE}; Path=/; Secure`,
      `__Secure-_ga=; ${GONE}; Path=/; Domain=trackncloak.com; Secure`,
    ]);
  });

  it('never expires a cookie declared on another domain, nor an undeclared one', () => {
    expect(expireRefusedCookies([{ name: 'rzp_device_id' }, { name: 'mystery' }, { name: '' }], policy, HTTPS)).toEqual([]);
  });

  it('deduplicates repeated names and expires each chunk by its own name', () => {
    expect(expireRefusedCookies([{ name: 'big.0' }, { name: 'big.1' }, { name: 'big.0' }], policy, HTTPS)).toEqual([
      `big.0=; ${GONE}; Path=/`,
      `big.1=; ${GONE}; Path=/`,
    ]);
  });
});

describe('expireCategories', () => {
  /** What the request's Cookie verdict lists as sent: its declared cookies, classified. */
  const declared = (names: string[], on: CompiledPolicy = policy): SentCookie[] =>
    filterCookieHeader(names.map((n) => `${n}=1`).join('; '), new Set(['essential']), on).declared;
  const sent = declared(['_ga', '__Secure-next-auth.session-token.0', 'sidebar-collapsed', 'big.2', 'x', '', 'rzp_device_id']);

  it('expires every sent cookie of the withdrawn categories, chunks and prefixes included', () => {
    expect(expireCategories(['analytics', 'functional', 'third-party'], sent, policy, HTTPS)).toEqual([
      `_ga=; ${GONE}; Path=/`,
      `_ga=; ${GONE}; Path=/; Domain=trackncloak.com`,
      `sidebar-collapsed=; ${GONE}; Path=/`,
      `big.2=; ${GONE}; Path=/`,
    ]);
  });

  it('never expires the required category', () => {
    expect(expireCategories(['essential'], sent, policy, HTTPS)).toEqual([]);
  });

  const real = defaultPolicy();
  it.skipIf(!real)('with the default policy: withdrawal on trackncloak.com expires the Domain-scoped _ga', () => {
    if (!real) return;
    const headers = expireCategories(['analytics'], declared(['_ga', '_ga_ABC', '__Secure-next-auth.session-token'], real), real, {
      hostname: 'trackncloak.com',
      https: true,
    });
    expect(headers).toContain(`_ga=; ${GONE}; Path=/; Domain=trackncloak.com`);
    expect(headers).toContain(`_ga_ABC=; ${GONE}; Path=/; Domain=trackncloak.com`);
    expect(headers.some((h) => h.includes('next-auth'))).toBe(false);
  });
});

describe('shouldExpireOnRequest', () => {
  it('is true for document navigations and for clients that send no Sec-Fetch headers', () => {
    expect(shouldExpireOnRequest(new Headers({ 'Sec-Fetch-Dest': 'document', 'Sec-Fetch-Mode': 'navigate' }))).toBe(true);
    expect(shouldExpireOnRequest(new Headers({ accept: 'text/html' }))).toBe(true);
  });

  it('is false for sub-resources and for nested frames', () => {
    for (const dest of ['image', 'script', 'empty', 'style', 'iframe']) {
      expect(shouldExpireOnRequest(new Headers({ 'Sec-Fetch-Dest': dest }))).toBe(false);
    }
    expect(shouldExpireOnRequest(new Headers({ 'Sec-Fetch-Mode': 'cors' }))).toBe(false);
  });
});
