import { describe, expect, it } from 'vitest';
import { classifierOf, clientTable } from '../../src/core/client-table';
import { buildSourceTable, lookupSource, originValue } from '../../src/core/sources';
import { hintOf } from '../../src/core/tags';
import { deployedPolicy } from '../../src/policy/load';
import { checkPolicyRules, sourcesOverlap } from '../../src/policy/rules';

const page = { href: 'https://trackncloak.com/reports', origin: 'https://trackncloak.com' };

describe('source patterns with a *. host', () => {
  const table = buildSourceTable([
    ['https://*.google-analytics.com/*', 'analytics'],
    ['https://www.google-analytics.com/special/*', 'functional'],
    ['https://*.analytics.google.com/g/*', 'analytics'],
  ]);
  const at = (url: string) => lookupSource(table, new URL(url), page.origin);

  it('matches every subdomain, however deep, but not the bare domain', () => {
    expect(at('https://region1.google-analytics.com/g/collect')).toBe('analytics');
    expect(at('https://a.b.google-analytics.com/x')).toBe('analytics');
    expect(at('https://google-analytics.com/x')).toBeUndefined();
    expect(at('https://evilgoogle-analytics.com/x')).toBeUndefined();
    expect(at('http://region1.google-analytics.com/x')).toBeUndefined();
  });

  it('prefers an exact host, then the nearest wildcard, each by its longest path', () => {
    expect(at('https://www.google-analytics.com/special/a')).toBe('functional');
    expect(at('https://www.google-analytics.com/other')).toBe('analytics');
    expect(at('https://region1.analytics.google.com/g/collect')).toBe('analytics');
    expect(at('https://region1.analytics.google.com/other')).toBeUndefined();
  });

  it('gives a whole origin the category of its root, else of the first pattern on its host', () => {
    expect(originValue(table, new URL('https://region1.google-analytics.com'))).toBe('analytics');
    expect(originValue(table, new URL('https://x.analytics.google.com'))).toBe('analytics');
    expect(originValue(table, new URL('https://example.com'))).toBeUndefined();
  });
});

describe('requests and resource hints, as the worker and banner.js classify them', () => {
  const policy = deployedPolicy();
  const c = policy.classifier;

  it('classifies collect endpoints, scripts hosts and WebSockets of another origin, never same-origin ones', () => {
    expect(c.request('https://region1.google-analytics.com/g/collect?v=2', page)).toBe('analytics');
    expect(c.request('https://www.googletagmanager.com/gtag/js?id=G-1', page)).toBe('analytics');
    expect(c.request('wss://region1.google-analytics.com/socket', page)).toBe('analytics');
    expect(c.request('https://lumberjack.razorpay.com/v1/track', page)).toBe('third-party');
    expect(c.request('/api/echo', page)).toBeUndefined();
    expect(c.request('https://trackncloak.com/api/track', page)).toBeUndefined();
    expect(c.request('https://cdn.example.net/x', page)).toBeUndefined();
    expect(c.request('http://[::1', page)).toBeUndefined();
  });

  it('names the hints that contact a host', () => {
    expect(['preload', 'modulepreload', 'prefetch', 'PRELOAD'].map(hintOf)).toEqual(['fetch', 'fetch', 'fetch', 'fetch']);
    expect(['preconnect', 'dns-prefetch', 'dns-prefetch preconnect'].map(hintOf)).toEqual(['connect', 'connect', 'connect']);
    expect(hintOf('preconnect preload')).toBe('fetch');
    expect(['stylesheet', 'icon', '', null].map(hintOf)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('classifies a hint by what it would fetch or connect to', () => {
    expect(c.hint('preload', 'https://www.googletagmanager.com/gtm.js?id=GTM-1', page)).toBe('analytics');
    expect(c.hint('prefetch', 'https://region1.google-analytics.com/g/collect', page)).toBe('analytics');
    expect(c.hint('preconnect', 'https://www.googletagmanager.com', page)).toBe('analytics');
    expect(c.hint('dns-prefetch', '//checkout.razorpay.com', page)).toBe('third-party');
    expect(c.hint('preconnect', 'https://trackncloak.com', page)).toBeUndefined();
    expect(c.hint('stylesheet', 'https://www.googletagmanager.com/x.css', page)).toBeUndefined();
    expect(c.hint('preload', null, page)).toBeUndefined();
  });

  it('reads the same verdicts from the serialised table the page gets', () => {
    const again = classifierOf(JSON.parse(JSON.stringify(policy.client)), policy.ids);
    for (const url of ['https://region1.google-analytics.com/g/collect', 'https://api.razorpay.com/v1/payments', '/x']) {
      expect(again.request(url, page)).toBe(c.request(url, page));
    }
    expect(
      clientTable({
        cookies: [],
        scripts: [],
        iframes: [],
        requests: [['https://*.a.com/*', 'x']],
        undeclared: 'block',
        undeclaredSources: 'block',
        gpc: [],
      }).requests,
    ).toEqual([['https://*.a.com/*', 'x']]);
  });
});

describe('source overlaps in the policy', () => {
  it('finds overlapping hosts and paths, wildcards included', () => {
    expect(sourcesOverlap('https://*.google-analytics.com/*', 'https://region1.google-analytics.com/g/*')).toBe(true);
    expect(sourcesOverlap('https://*.a.com/*', 'https://*.b.a.com/x')).toBe(true);
    expect(sourcesOverlap('https://*.a.com/*', 'https://a.com/*')).toBe(false);
    expect(sourcesOverlap('https://x.com/a/*', 'https://x.com/b/*')).toBe(false);
    expect(sourcesOverlap('https://x.com/a*', 'http://x.com/a*')).toBe(false);
    expect(sourcesOverlap('/api/track*', '/api/*')).toBe(true);
    expect(sourcesOverlap('/api/track*', 'https://x.com/api/*')).toBe(false);
  });

  it('names both places when two categories claim one URL', () => {
    const policy = structuredClone(deployedPolicy().policy);
    const functional = policy.categories.find((cat) => cat.id === 'functional');
    functional?.requests.push('https://*.google-analytics.com/g/*');
    expect(checkPolicyRules(policy)).toContainEqual({
      path: 'categories[2].requests[0]',
      message:
        '"https://*.google-analytics.com/*" overlaps "https://*.google-analytics.com/g/*" (categories[1].requests[0]): "functional" and "analytics"',
    });
  });
});
