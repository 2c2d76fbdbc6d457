import { describe, expect, it } from 'vitest';
import { cookieAllowed, cookieCategory, isDeletion, sourceCategory } from '../../src/banner/client/classify';
import { clientClassifier } from '../../src/banner/markup';
import { policy } from './banner-fixtures';

const c = clientClassifier(policy);
const now = Date.parse('2026-06-01T00:00:00Z');
const refuseAll = { essential: true, functional: false, analytics: false, 'third-party': false };

describe('client classifier (banner.js)', () => {
  it('classifies cookie names as the server does, prefixes and chunks included', () => {
    for (const name of [
      '_ga',
      '_ga_DEMO123',
      'sidebar-collapsed',
      '__Secure-next-auth.session-token.1',
      '__Host-next-auth.csrf-token',
      'rzp_x',
      'nope',
    ]) {
      expect(cookieCategory(c, name), name).toBe(policy.classifyCookie(name)?.category);
    }
    expect(cookieCategory(c, 'next-auth.csrf-token.0')).toBeUndefined();
  });

  it('classifies script and iframe sources, absolute and same-origin', () => {
    expect(sourceCategory(c, 'script', 'https://www.googletagmanager.com/gtag/js?id=G-1', 'http://127.0.0.1:8787')).toBe('analytics');
    expect(sourceCategory(c, 'script', 'https://checkout.razorpay.com/v1/checkout.js', 'http://127.0.0.1:8787')).toBe('third-party');
    expect(sourceCategory(c, 'script', '/static/app.js', 'http://127.0.0.1:8787')).toBeUndefined();
    expect(sourceCategory(c, 'iframe', 'https://www.googletagmanager.com/x', 'http://a')).toBeUndefined();
    expect(sourceCategory(c, 'script', 'http://[bad', 'http://a')).toBeUndefined();
    const local = { ...c, scripts: [['/static/late-*', 'analytics'] as [string, string]] };
    expect(sourceCategory(local, 'script', 'http://a/static/late-tag.js', 'http://a')).toBe('analytics');
    expect(sourceCategory(local, 'script', 'http://b/static/late-tag.js', 'http://a')).toBeUndefined();
  });

  it('drops writes of refused and undeclared cookies, keeps essential ones and every deletion', () => {
    expect(cookieAllowed(c, refuseAll, '_ga=GA1.1.1.1; path=/; max-age=63072000', now)).toBe(false);
    expect(cookieAllowed(c, { ...refuseAll, analytics: true }, '_ga=GA1.1.1.1; path=/', now)).toBe(true);
    expect(cookieAllowed(c, refuseAll, 'report-filters=%7B%7D; path=/', now)).toBe(false);
    expect(cookieAllowed(c, refuseAll, 'tracker=1', now)).toBe(false);
    expect(cookieAllowed({ ...c, undeclared: 'allow' }, refuseAll, 'tracker=1', now)).toBe(true);
    expect(cookieAllowed(c, refuseAll, 'ce_consent=v1', now)).toBe(true);
    expect(cookieAllowed(c, refuseAll, '_ga=; max-age=0', now)).toBe(true);
    expect(cookieAllowed(c, refuseAll, '_ga=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/', now)).toBe(true);
  });

  it('reads deletion from Max-Age before Expires, and never throws on garbage', () => {
    expect(isDeletion('a=b; Max-Age=-1', now)).toBe(true);
    expect(isDeletion('a=b; Max-Age=10; expires=Thu, 01 Jan 1970 00:00:00 GMT', now)).toBe(false);
    expect(isDeletion('a=b; expires=garbage', now)).toBe(false);
    expect(cookieAllowed(c, refuseAll, ';;==', now)).toBe(false);
  });

  it('does not take writes the browser stores for deletions (RFC 6265bis, as the server reads Set-Cookie)', () => {
    // Two-digit year 69 is 2069 for a browser (Date.parse says 1969).
    expect(isDeletion('_ga=1; expires=Thu, 01 Jan 69 00:00:00 GMT', now)).toBe(false);
    // The last Max-Age wins.
    expect(isDeletion('_ga=1; max-age=0; max-age=63072000', now)).toBe(false);
    expect(isDeletion('_ga=1; max-age=63072000; max-age=0', now)).toBe(true);
    // A Max-Age that is not "-"? DIGIT+ is ignored: a session cookie is stored.
    expect(isDeletion('_ga=1; max-age=0x', now)).toBe(false);
    expect(isDeletion('_ga=1; max-age=-0.5', now)).toBe(false);
    expect(isDeletion('_ga=1; max-age=0x; expires=Thu, 01 Jan 1970 00:00:00 GMT', now)).toBe(true);
    for (const write of [
      '_ga=1; expires=Thu, 01 Jan 69 00:00:00 GMT',
      '_ga=1; max-age=0; max-age=63072000',
      '_ga=1; max-age=0x',
      '_ga=1; max-age=-0.5',
    ]) {
      expect(cookieAllowed(c, refuseAll, write, now), write).toBe(false);
    }
  });

  it('reads the cookie name as a browser does: nameless writes are undeclared', () => {
    // `document.cookie = "_ga"` stores a cookie with an empty name and the value "_ga".
    expect(cookieAllowed(c, { ...refuseAll, analytics: true }, '_ga', now)).toBe(false);
    expect(cookieAllowed({ ...c, undeclared: 'allow' }, refuseAll, '_ga', now)).toBe(true);
    expect(cookieAllowed(c, { ...refuseAll, analytics: true }, ' _ga =1', now)).toBe(true);
  });
});
