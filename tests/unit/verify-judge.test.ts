import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/policy/compile';
import { deployedPolicy } from '../../src/policy/load';
import { crawlable, initiatorOf } from '../../tools/verify/crawl';
import { describeViolation, judge, leavesSite, summariseHosts } from '../../tools/verify/judge';
import { visitorStates } from '../../tools/verify/states';

const policy = deployedPolicy();
const site = new URL('https://trackncloak.com/');
const essential = new Set(['essential'] as const);

describe('verify: judging what a crawl saw', () => {
  it('flags a refused category cookie and an undeclared cookie, not an essential one', () => {
    const cookies = [
      { name: 'ce_consent', domain: 'trackncloak.com', httpOnly: false, page: site.href },
      { name: '__Secure-next-auth.session-token.12', domain: 'trackncloak.com', httpOnly: true, page: site.href },
      { name: '_ga_DEMO123', domain: '.trackncloak.com', httpOnly: false, page: site.href },
      { name: 'tnc_experiment', domain: 'trackncloak.com', httpOnly: true, page: `${site.href}reports` },
    ];
    const violations = judge(policy, site, essential, cookies, []);
    expect(violations.map((v) => (v.kind === 'cookie' ? [v.name, v.category] : null))).toEqual([
      ['_ga_DEMO123', 'analytics'],
      ['tnc_experiment', null],
    ]);
    const [, undeclared] = violations;
    expect(undeclared && describeViolation(undeclared)).toBe(
      'cookie tnc_experiment on trackncloak.com (HttpOnly): undeclared, after https://trackncloak.com/reports',
    );
  });

  it('flags requests that leave the site for a refused or undeclared host, never same-origin ones', () => {
    const requests = [
      { url: 'https://trackncloak.com/_next/static/chunks/main.js', page: site.href, initiator: 'parser' as const },
      { url: 'https://www.googletagmanager.com/gtag/js?id=G-1', page: site.href, initiator: 'preload' as const, cause: site.href },
      { url: 'https://www.googletagmanager.com/gtag/js?id=G-1', page: site.href, initiator: 'preload' as const },
      { url: 'https://cdn.example.net/widget.js', page: site.href, initiator: 'script' as const },
    ];
    const violations = judge(policy, site, essential, [], requests);
    expect(violations).toEqual([
      {
        kind: 'request',
        url: 'https://www.googletagmanager.com/gtag/js?id=G-1',
        host: 'www.googletagmanager.com',
        category: 'analytics',
        page: site.href,
        initiator: 'preload',
        cause: site.href,
      },
      {
        kind: 'request',
        url: 'https://cdn.example.net/widget.js',
        host: 'cdn.example.net',
        category: null,
        page: site.href,
        initiator: 'script',
      },
    ]);
    expect(judge(policy, site, new Set(policy.ids), [], requests.slice(0, 3))).toEqual([]);
    expect(summariseHosts(policy, site, requests).map((h) => [h.host, h.category, h.requests, h.initiators])).toEqual([
      ['cdn.example.net', null, 1, ['script']],
      ['www.googletagmanager.com', 'analytics', 2, ['preload']],
    ]);
  });

  it('treats another port or scheme as leaving the site, and data: or blob: URLs as not', () => {
    expect(leavesSite(new URL('http://127.0.0.1:8787/'), 'http://127.0.0.1:8788/x')).toBe(true);
    expect(leavesSite(site, 'wss://trackncloak.com/socket')).toBe(false);
    expect(leavesSite(site, 'data:image/gif;base64,R0lGOD')).toBe(false);
    expect(leavesSite(site, 'not a url')).toBe(false);
  });

  it('plays undecided, reject all, accept all and each optional category alone', () => {
    const states = visitorStates(policy);
    expect(states.map((s) => [s.id, [...s.allowed]])).toEqual([
      ['undecided', ['essential']],
      ['reject-all', ['essential']],
      ['accept-all', ['essential', 'functional', 'analytics', 'third-party']],
      ['only-functional', ['essential', 'functional']],
      ['only-analytics', ['essential', 'analytics']],
      ['only-third-party', ['essential', 'third-party']],
    ]);
    const optOut = compilePolicy({ ...policy.policy, regimes: { ...policy.policy.regimes, default: 'opt-out' } });
    expect([...(visitorStates(optOut)[0]?.allowed ?? [])]).toEqual(optOut.ids);
  });
});

describe('verify: what the crawl follows', () => {
  it('crawls same-origin pages only, without fragments, never the consent paths or files', () => {
    expect(crawlable(site, '/reports?x=1#top', '/__consent')).toBe('https://trackncloak.com/reports?x=1');
    expect(crawlable(site, 'https://evil.example/', '/__consent')).toBeNull();
    expect(crawlable(site, '/__consent/preferences?return=/', '/__consent')).toBeNull();
    expect(crawlable(site, '/__consent', '/__consent')).toBeNull();
    expect(crawlable(site, '/brochure.pdf', '/__consent')).toBeNull();
    expect(crawlable(site, 'mailto:privacy@trackncloak.com', '/__consent')).toBeNull();
    expect(crawlable(site, 'http://[bad', '/__consent')).toBeNull();
  });

  it('names initiators as the report does', () => {
    expect(initiatorOf('Script', true, 'parser', false)).toBe('preload');
    expect(initiatorOf('Ping', false, 'script', false)).toBe('beacon');
    expect(initiatorOf('Document', false, 'parser', true)).toBe('iframe');
    expect(initiatorOf('Image', false, 'script', false)).toBe('image');
    expect(initiatorOf('XHR', false, 'script', false)).toBe('fetch');
    expect(initiatorOf('Script', false, 'parser', false)).toBe('parser');
    expect(initiatorOf('Script', false, 'script', false)).toBe('script');
  });
});

describe('verify: request endpoints', () => {
  it('judges a collect endpoint declared only under requests by its category, as banner.js does', () => {
    const requests = [{ url: 'https://region1.google-analytics.com/g/collect?v=2', page: site.href, initiator: 'beacon' as const }];
    expect(judge(policy, site, new Set(policy.ids), [], requests)).toEqual([]);
    expect(judge(policy, site, essential, [], requests)).toEqual([
      {
        kind: 'request',
        url: requests[0]?.url,
        host: 'region1.google-analytics.com',
        category: 'analytics',
        page: site.href,
        initiator: 'beacon',
      },
    ]);
  });
});
