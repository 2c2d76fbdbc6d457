/**
 * The classifier banner.js builds from the table in the page (src/core/client-table.ts): the same
 * answers as the worker's, for cookie names, sources and cookie writes.
 */
import { describe, expect, it } from 'vitest';
import { type ClientTable, classifierOf } from '../../src/core/client-table';
import { policy } from './banner-fixtures';

const ids = policy.ids;
const table = policy.client;
const c = classifierOf(table, ids);
const now = Date.parse('2026-06-01T00:00:00Z');
const refuseAll: Record<string, boolean> = { essential: true, functional: false, analytics: false, 'third-party': false };
const by = (categories: Record<string, boolean>) => (category: string) => categories[category] === true;
const write = (cookie: string, categories = refuseAll, t: ClientTable = table) =>
  classifierOf(t, ids).cookieWrite(cookie, by(categories), now).pass;
const page = { href: 'http://127.0.0.1:8787/settings', origin: 'http://127.0.0.1:8787' };

describe('client classifier (banner.js)', () => {
  it('classifies cookie names as the worker does, prefixes and chunks included', () => {
    for (const name of [
      '_ga',
      '_ga_DEMO123',
      'sidebar-collapsed',
      '__Secure-next-auth.session-token.1',
      'next-auth.session-token.1234',
      'next-auth.session-token.1x',
      '__Host-next-auth.csrf-token',
      'rzp_x',
      'nope',
    ]) {
      expect(c.cookie(name)?.[1], name).toBe(policy.classifyCookie(name)?.category);
    }
    expect(c.cookie('next-auth.csrf-token.0')).toBeUndefined();
  });

  it('classifies script and iframe sources, absolute and same-origin', () => {
    expect(c.source('script', 'https://www.googletagmanager.com/gtag/js?id=G-1', page)).toBe('analytics');
    expect(c.source('script', 'https://checkout.razorpay.com/v1/checkout.js', page)).toBe('third-party');
    expect(c.source('script', '/static/app.js', page)).toBeUndefined();
    expect(c.source('iframe', 'https://www.googletagmanager.com/x', page)).toBeUndefined();
    expect(c.source('script', 'http://[bad', page)).toBeUndefined();
    const local = classifierOf({ ...table, scripts: [['/static/late-*', 'analytics']] }, ids);
    expect(local.source('script', 'http://a/static/late-tag.js', { href: 'http://a/', origin: 'http://a' })).toBe('analytics');
    expect(local.source('script', 'http://b/static/late-tag.js', { href: 'http://a/', origin: 'http://a' })).toBeUndefined();
  });

  it('resolves a relative source against the page, as the worker does', () => {
    const local = classifierOf({ ...table, scripts: [['/reports/*', 'analytics']] }, ids);
    expect(local.source('script', 'stats.js', { href: 'http://a/reports/x', origin: 'http://a' })).toBe('analytics');
    expect(local.source('script', 'stats.js', { href: 'http://a/billing/x', origin: 'http://a' })).toBeUndefined();
  });

  it('drops writes of refused and undeclared cookies, keeps essential ones and every deletion', () => {
    expect(write('_ga=GA1.1.1.1; path=/; max-age=63072000')).toBe(false);
    expect(write('_ga=GA1.1.1.1; path=/', { ...refuseAll, analytics: true })).toBe(true);
    expect(write('report-filters=%7B%7D; path=/')).toBe(false);
    expect(write('tracker=1')).toBe(false);
    expect(write('tracker=1', refuseAll, { ...table, undeclared: 'allow' })).toBe(true);
    expect(write('ce_consent=v1')).toBe(true);
    expect(write('_ga=; max-age=0')).toBe(true);
    expect(write('_ga=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/')).toBe(true);
  });

  it('reads deletion from Max-Age before Expires, and never throws on garbage', () => {
    const kind = (cookie: string) => c.cookieWrite(cookie, by(refuseAll), now).kind;
    expect(kind('a=b; Max-Age=-1')).toBe('deletion');
    expect(kind('a=b; Max-Age=10; expires=Thu, 01 Jan 1970 00:00:00 GMT')).not.toBe('deletion');
    expect(kind('a=b; expires=garbage')).not.toBe('deletion');
    expect(write(';;==')).toBe(false);
  });

  it('does not take writes the browser stores for deletions (RFC 6265bis, as the worker reads Set-Cookie)', () => {
    for (const cookie of [
      // Two-digit year 69 is 2069 for a browser (Date.parse says 1969).
      '_ga=1; expires=Thu, 01 Jan 69 00:00:00 GMT',
      // The last Max-Age wins.
      '_ga=1; max-age=0; max-age=63072000',
      // A Max-Age that is not "-"? DIGIT+ is ignored: a session cookie is stored.
      '_ga=1; max-age=0x',
      '_ga=1; max-age=-0.5',
    ]) {
      expect(write(cookie), cookie).toBe(false);
    }
    expect(write('_ga=1; max-age=63072000; max-age=0')).toBe(true);
    expect(write('_ga=1; max-age=0x; expires=Thu, 01 Jan 1970 00:00:00 GMT')).toBe(true);
  });

  it('reads the cookie name as a browser does: nameless writes are undeclared', () => {
    // `document.cookie = "_ga"` stores a cookie with an empty name and the value "_ga".
    expect(write('_ga', { ...refuseAll, analytics: true })).toBe(false);
    expect(write('_ga', refuseAll, { ...table, undeclared: 'allow' })).toBe(true);
    expect(write(' _ga =1', { ...refuseAll, analytics: true })).toBe(true);
  });
});
