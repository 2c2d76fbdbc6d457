/**
 * The cookie policy page and the public policy JSON, rendered in workerd. The routes are mounted
 * on a small app whose middleware sets `policy`, `consent` and `locale` as the worker's does.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import policyJson from '../../policy.json';
import type { ConsentState } from '../../src/consent/state';
import type { AppEnv } from '../../src/env';
import { type CompiledPolicy, compilePolicy } from '../../src/policy/compile';
import { parsePolicy } from '../../src/policy/index';
import { localText, requestLocale } from '../../src/policy/locale';
import { policyPageRoutes } from '../../src/pages/policy/index';
import { consentState, visitWith } from '../support/fixtures';
import { send } from './helpers';

const UNDECIDED: ConsentState = consentState();

const DECIDED: ConsentState = {
  ...UNDECIDED,
  decided: true,
  categories: { essential: true, functional: true, analytics: false, 'third-party': false },
  consentId: 'abc123',
  issuedAt: 1_775_000_000,
  expiresAt: 1_775_000_000 + 182 * 86400,
};

function compile(json: unknown): CompiledPolicy {
  const result = parsePolicy(json);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return compilePolicy(result.policy);
}

const defaultPolicy = compile(policyJson);

/** A test app: the consent state comes from an `x-test-consent` header instead of a signed cookie. */
function app(compiled = defaultPolicy) {
  const hono = new Hono<AppEnv>();
  hono.use('*', async (c, next) => {
    c.set('policy', compiled);
    const consent = c.req.header('x-test-consent') === 'decided' ? DECIDED : UNDECIDED;
    c.set('visit', visitWith(consent, { locale: requestLocale(compiled.policy, c.req.header('accept-language')) }));
    await next();
  });
  hono.route('/', policyPageRoutes(compiled.policy.paths));
  hono.all('*', (c) => c.text('fell through', 404));
  return hono;
}

const get = (path: string, headers: Record<string, string> = {}, compiled?: CompiledPolicy) =>
  app(compiled).request(`https://trackncloak.com${path}`, { headers });

const decode = (html: string) => html.replaceAll('&amp;', '&').replaceAll('&#39;', "'").replaceAll('&quot;', '"');

describe('the cookie policy page', () => {
  it('lists every declared cookie with its purpose and duration', async () => {
    const res = await get('/cookie-policy');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = decode(await res.text());
    for (const category of defaultPolicy.policy.categories) {
      for (const cookie of category.cookies) {
        expect(html, cookie.name).toContain(`<code>${cookie.name}</code>`);
        expect(html).toContain(localText(defaultPolicy.policy, cookie.purpose, 'en').text);
      }
    }
    expect(html).toContain('<td data-label="Duration">Session / 30 days</td>');
    expect(html).not.toContain('tnc_experiment');
  });

  it('carries every section of the published policy, the date, revision, contact and help links', async () => {
    const html = decode(await (await get('/cookie-policy')).text());
    for (const heading of [
      '1. What Are Cookies?',
      '2. Types of Cookies We Use',
      '2.4 Third-Party Cookies',
      '3. Tracking Cookies (Your Campaigns)',
      '4. How to Manage Cookies',
      'Browser-specific instructions:',
      '5. Cookie Consent',
      '6. Changes to This Policy',
      '7. Contact',
    ]) {
      expect(html).toContain(heading);
    }
    expect(html).toContain('N&P Soft, operating as TrackNCloak ("Company", "we", "us", "our")');
    expect(html).toContain('<time datetime="2026-03-30">March 30, 2026</time>');
    expect(html).toContain('Policy revision: 1');
    expect(html).toContain('<a href="mailto:help@trackncloak.com">help@trackncloak.com</a>');
    for (const host of ['support.google.com', 'support.mozilla.org', 'support.apple.com', 'support.microsoft.com']) {
      expect(html).toMatch(new RegExp(`<a href="https://${host.replace('.', '\\.')}/[^"]+"`));
    }
    expect(html).toContain('href="https://razorpay.com/privacy/"');
    expect(html).toContain('Razorpay (razorpay.com)');
  });

  it('uses table headers with scope for the cookie tables', async () => {
    const html = await (await get('/cookie-policy')).text();
    expect(html.match(/<table /g)).toHaveLength(4);
    expect(html).toContain('<th scope="col">Cookie</th>');
    expect(html).toContain('<th scope="row"><code>_ga</code></th>');
  });

  it('renders policy text containing <script> as text', async () => {
    const crafted = structuredClone(policyJson);
    const [section] = crafted.content.sections;
    const cookie = crafted.categories[1]?.cookies[0];
    if (!section?.blocks || !cookie) throw new Error('the default policy has a first section and a functional cookie');
    section.blocks[0] = { p: '<script>alert("p")</script> & more' };
    cookie.purpose = { en: '<img src=x onerror=alert(1)>', hi: '<img src=x onerror=alert(1)>' };
    crafted.content.title = '</style><script>alert(2)</script>';
    const html = await (await get('/cookie-policy', {}, compile(crafted))).text();
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;p&quot;)&lt;/script&gt; &amp; more');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('speaks Hindi to a browser that prefers hi-IN and keeps the legal text English', async () => {
    const res = await get('/cookie-policy', { 'accept-language': 'hi-IN,hi;q=0.9' });
    const html = await res.text();
    expect(res.headers.get('content-language')).toBe('hi');
    expect(html).toContain('<html lang="hi">');
    expect(html).toContain('<title>कुकी नीति</title>');
    expect(html).toContain('<article id="policy" lang="en"');
    expect(html).toContain('1. What Are Cookies?');
    expect(html).toContain(defaultPolicy.policy.locales.hi?.page.legalTextNotice ?? 'missing hi locale');
    expect(html).toContain('<th scope="col">उद्देश्य</th>');
  });

  it('shows purposes and durations in Hindi, and marks a missing translation with its own language', async () => {
    const html = await (await get('/cookie-policy', { 'accept-language': 'hi' })).text();
    expect(html).toContain('<table id="cookies-essential" lang="hi">');
    expect(html).toContain('<td data-label="उद्देश्य">प्रमाणीकरण सत्र</td>');
    expect(html).toContain('<td data-label="अवधि">सत्र / 30 दिन</td>');
    const partial = structuredClone(policyJson);
    const cookie = partial.categories[1]?.cookies[0];
    if (!cookie) throw new Error('the default policy has a functional cookie');
    cookie.duration = { en: '1 year' } as typeof cookie.duration;
    const fallback = await (await get('/cookie-policy', { 'accept-language': 'hi' }, compile(partial))).text();
    expect(fallback).toContain('<td data-label="अवधि"><span lang="en">1 year</span></td>');
  });

  it('lets ?lang= override Accept-Language, and the switcher links every language', async () => {
    const html = await (await get('/cookie-policy?lang=hi', { 'accept-language': 'en' })).text();
    expect(html).toContain('<html lang="hi">');
    expect(html).toContain('<a href="/__consent/language?lang=en&amp;return=%2Fcookie-policy" hreflang="en" lang="en">English</a>');
    expect(html).toContain(
      '<a href="/__consent/language?lang=hi&amp;return=%2Fcookie-policy" hreflang="hi" lang="hi" aria-current="true">हिन्दी</a>',
    );
    const english = await (await get('/cookie-policy?lang=xx', { 'accept-language': 'en' })).text();
    expect(english).toContain('<html lang="en">');
    expect(english).not.toContain('<article id="policy" lang=');
  });

  it('shows the visitor choices in a form that posts to the edge without JavaScript', async () => {
    const undecided = await (await get('/cookie-policy')).text();
    expect(undecided).toContain('<form method="post" action="/__consent">');
    expect(undecided).toContain('<input type="hidden" name="return" value="/cookie-policy"/>');
    // The consent log records a choice made here as one made on a settings page without JavaScript.
    expect(undecided).toContain('<input type="hidden" name="surface" value="page"/><input type="hidden" name="locale" value="en"/>');
    expect(undecided).toMatch(/<input type="checkbox" id="category-essential" name="category" value="essential" checked="" disabled=""/);
    expect(undecided).toMatch(/<input type="checkbox" id="category-functional" name="category" value="functional" aria-describedby/);
    for (const action of ['save', 'accept-all', 'reject-all']) expect(undecided).toContain(`name="action" value="${action}"`);
    expect(undecided).toContain('You have not made a choice yet');
    expect(undecided).not.toContain('value="withdraw"');

    const decided = await (await get('/cookie-policy', { 'x-test-consent': 'decided' })).text();
    expect(decided).toMatch(/value="functional" checked=""/);
    expect(decided).not.toMatch(/value="analytics" checked=""/);
    expect(decided).toContain('You made your choice on');
    expect(decided).toContain('name="action" value="withdraw"');
    expect(decided).toContain('href="/__consent/receipt"');
  });

  it('is served with strict security headers whose style hash matches the inline stylesheet', async () => {
    const res = await get('/cookie-policy');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    const style = html.match(/<style>([\s\S]*?)<\/style>/)?.[1] ?? '';
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(style));
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
    expect(html).toContain('@media print');
    expect(html).toContain('prefers-color-scheme:dark');
  });

  it('is cacheable per visitor and answers 304 to a matching If-None-Match', async () => {
    const first = await get('/cookie-policy');
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\/"/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    expect(first.headers.get('vary')).toBe('Cookie, Accept-Language');
    const again = await get('/cookie-policy', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    const listed = await get('/cookie-policy', { 'if-none-match': `"other", ${etag.slice(2)}` });
    expect(listed.status).toBe(304);
  });

  it('changes the ETag with the consent state, the language and the policy', async () => {
    const etagOf = async (headers: Record<string, string>, compiled?: CompiledPolicy) =>
      (await get('/cookie-policy', headers, compiled)).headers.get('etag');
    const base = await etagOf({});
    expect(await etagOf({})).toBe(base);
    expect(await etagOf({ 'x-test-consent': 'decided' })).not.toBe(base);
    expect(await etagOf({ 'accept-language': 'hi' })).not.toBe(base);
    const revised = compile({ ...structuredClone(policyJson), revision: 2 });
    expect(await etagOf({}, revised)).not.toBe(base);
    const stale = await get('/cookie-policy', { 'x-test-consent': 'decided', 'if-none-match': base ?? '' });
    expect(stale.status).toBe(200);
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await app().request('https://trackncloak.com/cookie-policy', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^W\//);
    expect(await res.text()).toBe('');
  });

  it('follows a policy that moves the page', async () => {
    const moved = compile({ ...structuredClone(policyJson), paths: { prefix: '/__edge', policyPage: '/legal/cookies' } });
    expect((await get('/legal/cookies', {}, moved)).status).toBe(200);
    expect((await get('/cookie-policy', {}, moved)).status).toBe(404);
    const html = await (await get('/legal/cookies', {}, moved)).text();
    expect(html).toContain('<form method="post" action="/__edge">');
  });

  it('lets every other path fall through to the next handler', async () => {
    expect(await (await get('/cookie-policy/extra')).text()).toBe('fell through');
    expect(await (await get('/')).text()).toBe('fell through');
  });
});

describe('GET /__consent/policy.json', () => {
  it('serves the validated policy publicly with an ETag', async () => {
    const res = await get('/__consent/policy.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.$schema).toBeUndefined();
    expect(body.revision).toBe(1);
    expect(body.categories).toEqual(JSON.parse(JSON.stringify(defaultPolicy.policy.categories)));
    const etag = res.headers.get('etag') ?? '';
    expect((await get('/__consent/policy.json', { 'if-none-match': etag })).status).toBe(304);
  });
});

describe('through the deployed worker', () => {
  // Port 9 (discard) on loopback refuses connections: the origin is down.
  const down = { ORIGIN: 'http://127.0.0.1:9' };

  it('serves the policy page and the public policy with the origin down', async () => {
    const page = await send('/cookie-policy', { headers: { 'accept-language': 'hi-IN,hi;q=0.9' } }, down);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="hi">');
    expect(html).toContain('<code>next-auth.session-token</code>');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const json = await send('/__consent/policy.json', {}, down);
    expect(json.status).toBe(200);
    expect(((await json.json()) as { effectiveDate: string }).effectiveDate).toBe('2026-03-30');
  });

  it('answers 304 to a revalidation with the same cookies', async () => {
    const first = await send('/cookie-policy', {}, down);
    const etag = first.headers.get('etag') ?? '';
    const again = await send('/cookie-policy', { headers: { 'if-none-match': etag } }, down);
    expect(again.status).toBe(304);
  });
});
