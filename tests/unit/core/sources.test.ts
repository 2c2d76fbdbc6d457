/**
 * Source patterns (src/core/sources.ts): a host lookup, then the longest path prefix, the same in
 * the worker and the page.
 */
import { describe, expect, it } from 'vitest';
import { buildSourceTable, lookupSource, sourceValue } from '../../../src/core/sources';

const table = buildSourceTable([
  ['https://www.googletagmanager.com/*', 'analytics'],
  ['https://cdn.example.com/*', 'analytics'],
  ['https://cdn.example.com/pay/*', 'third-party'],
  ['https://cdn.example.com/widgets/menu.js', 'functional'],
  ['HTTPS://Static.Example.COM/*', 'functional'],
  ['http://plain.example.com/*', 'analytics'],
  ['/shop/track*', 'functional'],
  ['https://broken*', 'analytics'],
]);
const page = { href: 'https://shop.example/shop/page', origin: 'https://shop.example' };
const at = (src: string) => sourceValue(table, src, page);

describe('source patterns', () => {
  it('match by host, then the longest path prefix on that host', () => {
    expect(at('https://www.googletagmanager.com/gtag/js?id=G-1')).toBe('analytics');
    expect(at('https://cdn.example.com/lib.js')).toBe('analytics');
    expect(at('https://cdn.example.com/pay/sdk.js')).toBe('third-party');
    expect(at('https://cdn.example.com/widgets/menu.js')).toBe('functional');
    expect(at('https://cdn.example.com/widgets/menu.js?v=2')).toBe('analytics');
  });

  it('compare the host as the URL parser writes it, and the scheme too', () => {
    expect(at('https://static.example.com/a.js')).toBe('functional');
    expect(at('HTTPS://WWW.GOOGLETAGMANAGER.COM/gtm.js')).toBe('analytics');
    expect(at('http://www.googletagmanager.com/gtm.js')).toBeUndefined();
    expect(at('http://plain.example.com/x')).toBe('analytics');
    expect(at('https://plain.example.com/x')).toBeUndefined();
  });

  it('never take one host for another, nor miss a host written with credentials or a default port', () => {
    expect(at('https://www.googletagmanager.com.evil.test/x.js')).toBeUndefined();
    expect(at('https://evil.test/www.googletagmanager.com/x.js')).toBeUndefined();
    expect(at('https://user:pw@www.googletagmanager.com/x.js')).toBe('analytics');
    expect(at('https://www.googletagmanager.com:443/x.js')).toBe('analytics');
    expect(at('https://www.googletagmanager.com:8443/x.js')).toBeUndefined();
  });

  it('match /path patterns on same-origin sources only, resolving relative ones against the page', () => {
    expect(at('/shop/track.js')).toBe('functional');
    expect(at('track.js')).toBe('functional');
    expect(at('../shop/tracker.js')).toBe('functional');
    expect(at('https://shop.example/shop/track.js')).toBe('functional');
    expect(at('https://elsewhere.test/shop/track.js')).toBeUndefined();
    expect(sourceValue(table, 'track.js', { href: 'https://shop.example/billing/', origin: 'https://shop.example' })).toBeUndefined();
  });

  it('never match a pattern whose * stands for part of a host (the policy rules refuse it)', () => {
    expect(at('https://broken.example/x')).toBeUndefined();
    expect(at('https://broken/x')).toBeUndefined();
  });

  it('never throw on a src that does not parse', () => {
    expect(at('http://[bad')).toBeUndefined();
    expect(at('')).toBeUndefined();
    expect(lookupSource(table, new URL('data:text/javascript,1'), page.origin)).toBeUndefined();
  });
});
