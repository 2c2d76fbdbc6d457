/**
 * The pure rules behind the HTML pass: which responses are rewritten, the CSP nonce, held
 * tags, and state-specific validators.
 */
import { describe, expect, it } from 'vitest';
import type { ConsentState } from '../../src/consent/state';
import { scriptNonce } from '../../src/html/csp';
import { htmlEligibility, isBypassed } from '../../src/html/eligibility';
import { isExecutableScriptType } from '../../src/core/script-types';
import { originConditionals, rewrittenHeaders, stateEtag, stateTag } from '../../src/html/validators';
import { compilePolicy } from '../../src/policy/compile';
import { UNDECLARED } from '../../src/core/client-table';
import { decodeAttribute } from '../../src/html/attribute';
import { consentState, defaultPolicy as policy } from '../support/fixtures';

const base = { method: 'GET', status: 200, hasBody: () => true, path: '/', bypass: [] as string[] };
const html = (extra: Record<string, string> = {}) => new Headers({ 'content-type': 'text/html; charset=utf-8', ...extra });

describe('htmlEligibility', () => {
  it('rewrites an HTML page with a body', () => {
    expect(htmlEligibility({ ...base, headers: html() })).toEqual({ rewrite: true });
  });
  it('rewrites despite Cache-Control: no-transform (the worker acts for the origin)', () => {
    expect(htmlEligibility({ ...base, headers: html({ 'cache-control': 'no-transform' }) })).toEqual({ rewrite: true });
  });
  it.each([
    ['HEAD', { method: 'HEAD' }, html()],
    ['204', { status: 204 }, html()],
    ['206', { status: 206 }, html()],
    ['304', { status: 304 }, html()],
    ['no body', { hasBody: () => false }, html()],
    ['Content-Length 0', {}, html({ 'content-length': '0' })],
    ['attachment', {}, html({ 'content-disposition': 'attachment; filename="a.html"' })],
    ['UTF-16', {}, new Headers({ 'content-type': 'text/html; charset=UTF-16LE' })],
    ['quoted utf-32', {}, new Headers({ 'content-type': 'text/html; charset="utf-32"' })],
    ['bypassed path', { path: '/api/raw', bypass: ['/api/*'] }, html()],
  ] as const)('skips %s and says why', (_name, override, headers) => {
    const result = htmlEligibility({ ...base, ...override, headers });
    expect(result.rewrite).toBe(false);
    if (!result.rewrite) {
      expect(result.reason.length).toBeGreaterThan(0);
      expect(result.html).toBe(true);
    }
  });
  it('leaves non-HTML alone without calling it an HTML skip', () => {
    const result = htmlEligibility({ ...base, headers: new Headers({ 'content-type': 'application/json' }) });
    expect(result).toEqual({ rewrite: false, reason: 'not text/html', html: false });
  });
  it('matches bypass entries exactly or by prefix', () => {
    expect(isBypassed('/health', ['/health'])).toBe(true);
    expect(isBypassed('/healthz', ['/health'])).toBe(false);
    expect(isBypassed('/static/a.html', ['/static/*'])).toBe(true);
  });
});

describe('scriptNonce', () => {
  it('reads the nonce from script-src', () => {
    expect(scriptNonce("script-src 'nonce-abc123' 'strict-dynamic'; object-src 'none'")).toBe('abc123');
  });
  it('prefers script-src-elem, falls back to default-src', () => {
    expect(scriptNonce("script-src 'nonce-a'; script-src-elem 'nonce-b'")).toBe('b');
    expect(scriptNonce("default-src 'self' 'nonce-c'")).toBe('c');
  });
  it('returns undefined without a nonce or CSP', () => {
    expect(scriptNonce("script-src 'self'")).toBeUndefined();
    expect(scriptNonce(null)).toBeUndefined();
    expect(scriptNonce('garbage;;; nonce-')).toBeUndefined();
  });
});

describe('classifyTag (what the stream holds)', () => {
  const page = new URL('https://trackncloak.com/reports');
  it('uses data-consent-category first', () => {
    expect(policy.classifyTag('script', { category: 'functional', src: null, type: null }, page)).toBe('functional');
  });
  it('matches source patterns on the absolute URL', () => {
    const src = 'https://www.googletagmanager.com/gtag/js?id=G-1';
    expect(policy.classifyTag('script', { category: null, src, type: null }, page)).toBe('analytics');
    expect(
      policy.classifyTag('script', { category: null, src: 'https://checkout.razorpay.com/v1/checkout.js', type: 'module' }, page),
    ).toBe('third-party');
  });
  it('leaves ungated and non-executable scripts alone', () => {
    expect(policy.classifyTag('script', { category: null, src: '/static/app.js', type: null }, page)).toBeUndefined();
    expect(policy.classifyTag('script', { category: 'analytics', src: null, type: 'application/json' }, page)).toBeUndefined();
  });
  it('never throws on a garbage src', () => {
    expect(policy.classifyTag('iframe', { category: null, src: 'http://[::1', type: null }, page)).toBeUndefined();
  });
  it('answers a repeated src the same way, and resolves a relative one against each page', () => {
    const ownTag = compilePolicy({
      ...policy.policy,
      categories: policy.policy.categories.map((c) => (c.id === 'analytics' ? { ...c, scripts: [...c.scripts, '/reports/stats.js'] } : c)),
    });
    const script = (src: string, at: URL) => ownTag.classifyTag('script', { category: null, src, type: null }, at);
    for (let i = 0; i < 3; i++) {
      expect(script('https://www.googletagmanager.com/gtag/js', page)).toBe('analytics');
      expect(script('/reports/stats.js', page)).toBe('analytics');
      expect(script('stats.js', new URL('https://trackncloak.com/reports/'))).toBe('analytics');
      expect(script('stats.js', new URL('https://trackncloak.com/billing/'))).toBeUndefined();
      expect(script('/reports/stats.js', new URL('https://other.example/'))).toBe('analytics');
      // Another origin's script that no pattern names: undeclared.
      expect(script('https://trackncloak.com/reports/stats.js', new URL('https://other.example/'))).toBe(UNDECLARED);
    }
  });
});

describe('undeclared sources and first-party endpoints', () => {
  const page = new URL('https://trackncloak.com/reports');
  const tag = (kind: 'script' | 'iframe', src: string | null, extra: { category?: string; type?: string } = {}) =>
    policy.classifyTag(kind, { category: extra.category ?? null, src, type: extra.type ?? null }, page);
  it('names a cross-origin source no category declares, and holds it for every visitor', () => {
    expect(tag('iframe', 'https://www.youtube-nocookie.com/embed/x')).toBe(UNDECLARED);
    expect(tag('script', '//cdn.example.net/widget.js')).toBe(UNDECLARED);
    expect(tag('script', 'https://sub.trackncloak.com/a.js')).toBe(UNDECLARED);
    const everything = new Set(policy.ids);
    expect(policy.refuses(UNDECLARED, everything)).toBe(true);
    expect(policy.refuses('analytics', everything)).toBe(false);
    expect(policy.refuses(undefined, new Set())).toBe(false);
  });
  it('leaves the site’s own sources, non-URL sources, data blocks and marked elements to their rules', () => {
    expect(tag('script', '/static/app.js')).toBeUndefined();
    expect(tag('script', 'https://trackncloak.com/static/app.js')).toBeUndefined();
    expect(tag('iframe', 'about:blank')).toBeUndefined();
    expect(tag('script', 'data:text/javascript,1')).toBeUndefined();
    expect(tag('iframe', null)).toBeUndefined();
    expect(tag('script', 'https://cdn.example.net/ld.json', { type: 'application/ld+json' })).toBeUndefined();
    expect(tag('iframe', 'https://www.youtube-nocookie.com/embed/x', { category: 'functional' })).toBe('functional');
  });
  it('lets them run under undeclaredSources: allow (still named, for the audit)', () => {
    const allow = compilePolicy({ ...policy.policy, undeclaredSources: 'allow' });
    expect(allow.classifyTag('iframe', { category: null, src: 'https://www.youtube-nocookie.com/embed/x', type: null }, page)).toBe(
      UNDECLARED,
    );
    expect(allow.refuses(UNDECLARED, new Set())).toBe(false);
    expect(
      allow.classifier.tag('iframe', { category: null, src: 'https://www.youtube-nocookie.com/embed/x', type: null }, page),
    ).toBeUndefined();
    expect(policy.classifier.tag('iframe', { category: null, src: 'https://www.youtube-nocookie.com/embed/x', type: null }, page)).toBe(
      UNDECLARED,
    );
  });
  it('names a placeholder’s provider from a declared cookie on that domain, else the host, never throwing', () => {
    expect(policy.providerOf('third-party', 'https://checkout.razorpay.com/v1/checkout.js', page)).toBe('Razorpay');
    expect(policy.providerOf('analytics', 'https://checkout.razorpay.com/v1/checkout.js', page)).toBe('checkout.razorpay.com');
    expect(policy.providerOf('functional', 'https://www.youtube.com:8443/embed/x', page)).toBe('www.youtube.com');
    expect(policy.providerOf('functional', 'http://[::1', page)).toBe('http://[::1');
  });
  it('finds the category of a first-party endpoint by its path and query, never another origin’s', () => {
    const withTrack = compilePolicy({
      ...policy.policy,
      categories: policy.policy.categories.map((c) => (c.id === 'analytics' ? { ...c, endpoints: ['/api/track*', '/api/events'] } : c)),
    });
    const at = (href: string) => withTrack.classifyEndpoint(new URL(href));
    expect(at('https://trackncloak.com/api/track')).toBe('analytics');
    expect(at('https://trackncloak.com/api/track/page?x=1')).toBe('analytics');
    expect(at('https://trackncloak.com/api/events')).toBe('analytics');
    expect(at('https://trackncloak.com/api/events/more')).toBeUndefined();
    expect(at('https://trackncloak.com/api/auth/session')).toBeUndefined();
    // However the path is spelled: case, escapes, `;` parameters, doubled or trailing slashes.
    for (const spelled of ['/API/Track', '/api/%74rack/x', '/api;v=1/track', '//api//track', '/api/events/', '/api%2Ftrack'])
      expect(at(`https://trackncloak.com${spelled}`), spelled).toBe('analytics');
    expect(policy.classifyEndpoint(new URL('https://trackncloak.com/api/track'))).toBeUndefined();
  });
});

describe('validators', () => {
  const state = (categories: ConsentState['categories'], decided = true) => consentState({ categories, decided });
  const a = stateTag(state({ essential: true, analytics: false }), 'en', 'v1');
  const b = stateTag(state({ essential: true, analytics: true }), 'en', 'v1');
  it('differs by consent, decision and language', () => {
    expect(a).not.toBe(b);
    expect(a).not.toBe(stateTag(state({ essential: true, analytics: false }, false), 'en', 'v1'));
    expect(a).not.toBe(stateTag(state({ essential: true, analytics: false }), 'hi', 'v1'));
  });
  it('differs by deployed policy or assets, and by any field of the injected state', () => {
    expect(a).not.toBe(stateTag(state({ essential: true, analytics: false }), 'en', 'v2'));
    const decided = consentState({ decided: true, consentId: 'aaaaaaaaaaaaaaaaaaaaaa', issuedAt: 1 });
    expect(stateTag(decided, 'en', 'v1')).not.toBe(stateTag({ ...decided, issuedAt: 2 }, 'en', 'v1'));
  });
  it('makes a weak ETag with the state suffix', () => {
    expect(stateEtag('"v1"', a)).toBe(`W/"v1~ce${a}"`);
    expect(stateEtag('W/"v1"', a)).toBe(`W/"v1~ce${a}"`);
    expect(stateEtag(null, a)).toBeNull();
  });
  const conditionals = (fields: Record<string, string>) => originConditionals(new Headers(fields), () => a);
  it('forwards our ETag for the current state and drops one for another state', () => {
    expect(conditionals({ 'if-none-match': `W/"v1~ce${a}"` })).toEqual({ ifNoneMatch: '"v1", W/"v1"', ifModifiedSince: null, ours: true });
    expect(conditionals({ 'if-none-match': `W/"v1~ce${b}"` })).toEqual({ ifNoneMatch: null, ifModifiedSince: null, ours: true });
  });
  it("keeps the origin's validators on sub-resources", () => {
    const since = 'Wed, 21 Oct 2015 07:28:00 GMT';
    const fetched = conditionals({ 'if-none-match': '"plain"', 'if-modified-since': since, 'sec-fetch-dest': 'script' });
    expect(fetched).toEqual({ ifNoneMatch: '"plain"', ifModifiedSince: since, ours: false });
  });
  it("drops the origin's validators on page requests, so a 304 never confirms an unrewritten page", () => {
    const pages: Record<string, string>[] = [{ 'sec-fetch-dest': 'document' }, { accept: 'text/html,*/*' }];
    for (const dest of pages) {
      const page = conditionals({ ...dest, 'if-none-match': '"plain", *', 'if-modified-since': 'Wed, 21 Oct 2015 07:28:00 GMT' });
      expect(page).toEqual({ ifNoneMatch: null, ifModifiedSince: null, ours: false });
    }
  });
  it('makes rewritten responses private, varying, without length or Last-Modified', () => {
    const headers = new Headers({
      'cache-control': 'public, max-age=60, s-maxage=600',
      vary: 'Accept-Encoding',
      'content-length': '123',
      'last-modified': 'Wed, 21 Oct 2015 07:28:00 GMT',
      etag: '"x"',
    });
    rewrittenHeaders(headers, () => a);
    expect(headers.get('cache-control')).toBe('private, max-age=60');
    expect(headers.get('vary')).toBe('Accept-Encoding, Cookie, Accept-Language');
    expect(headers.get('content-length')).toBeNull();
    expect(headers.get('last-modified')).toBeNull();
    expect(headers.get('etag')).toBe(`W/"x~ce${a}"`);
  });
});

describe('isExecutableScriptType', () => {
  it('runs exactly the empty type, module and the 16 JavaScript MIME type essences', () => {
    const essences = ['ecmascript', 'javascript', 'x-ecmascript', 'x-javascript'].flatMap((s) => [`application/${s}`, `text/${s}`]);
    const text = [
      'javascript1.0',
      'javascript1.1',
      'javascript1.2',
      'javascript1.3',
      'javascript1.4',
      'javascript1.5',
      'jscript',
      'livescript',
    ];
    const runs = ['', 'module', ...essences, ...text.map((t) => `text/${t}`)];
    expect(runs).toHaveLength(18);
    for (const type of runs) expect(isExecutableScriptType(type), type).toBe(true);
    for (const near of ['text/javascript1.6', 'application/jscript', 'text/x-livescript', 'modules', 'text/javascriptx', 'x-javascript']) {
      expect(isExecutableScriptType(near), near).toBe(false);
    }
  });
  it.each([null, '', 'module', ' text/javascript ', 'TEXT/JSCRIPT', 'text/livescript', 'application/x-javascript', 'text/javascript1.5'])(
    '%s runs, so it is gated',
    (type) => expect(isExecutableScriptType(type)).toBe(true),
  );
  it.each(['text/plain', 'application/json', 'application/ld+json', 'text/javascript; charset=utf-8', 'importmap', 'speculationrules'])(
    '%s does not run',
    (type) => expect(isExecutableScriptType(type)).toBe(false),
  );
});

describe('decodeAttribute (a src as the browser reads it)', () => {
  it('decodes numeric references and the named ones a URL uses', () => {
    expect(decodeAttribute('https&#x3a;&#x2f;&#x2F;tracker.example/t.js')).toBe('https://tracker.example/t.js');
    expect(decodeAttribute('https&#58;//a.com/?a=1&amp;b=2&colon;')).toBe('https://a.com/?a=1&b=2:');
    expect(decodeAttribute('/x?a=1&b=2')).toBe('/x?a=1&b=2');
    expect(decodeAttribute('&unknown;&amp')).toBe('&unknown;&amp');
    expect(decodeAttribute('&#0;&#xD800;&#x110000;')).toBe('\ufffd\ufffd\ufffd');
    // Leading zeros: the tokenizer reads every digit.
    expect(decodeAttribute('https&#x000003a;//t.example/&#0000047;x.js')).toBe('https://t.example//x.js');
    expect(decodeAttribute('&#x0000000000110000;&#99999999999999;')).toBe('\ufffd\ufffd');
    expect(decodeAttribute('https:&bsol;&bsol;t.example&sol;x')).toBe('https:\\\\t.example/x');
    expect(decodeAttribute(null)).toBeNull();
  });
  it('lets the classifier see the decoded source', () => {
    const page = new URL('https://trackncloak.com/');
    const src = decodeAttribute('https&#x3a;//www.googletagmanager.com/gtag/js') ?? '';
    expect(policy.classifyTag('script', { category: null, src, type: null }, page)).toBe('analytics');
    const foreign = decodeAttribute('https&#x3a;&#x2f;&#x2f;tracker.example/t.js') ?? '';
    expect(policy.classifyTag('script', { category: null, src: foreign, type: null }, page)).toBe(UNDECLARED);
  });
});
