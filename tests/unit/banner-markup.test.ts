import { describe, expect, it } from 'vitest';
import type { ClientState } from '../../src/core/state';
import { bodyMarkup, headMarkup } from '../../src/banner/markup';
import { scriptNonce, styleNonce } from '../../src/html/csp';
import { policy, state, variant } from './banner-fixtures';

const stateJson = (html: string): ClientState => {
  const m = /<script type="application\/json" id="consent-state">(.*?)<\/script>/.exec(html);
  if (!m?.[1]) throw new Error('no state JSON');
  return JSON.parse(m[1]);
};

describe('headMarkup', () => {
  it('puts the state JSON first, then Consent Mode, banner.js and the versioned banner.css', () => {
    const html = headMarkup({ policy, consent: state(), locale: 'en' });
    const v = policy.assets.version;
    expect(html.startsWith('<script type="application/json" id="consent-state">')).toBe(true);
    const order = ["gtag('consent','default'", `<script src="/__consent/banner.js?v=${v}">`, `href="/__consent/banner.css?v=${v}"`];
    const at = order.map((s) => html.indexOf(s));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('carries the docs/wire-formats.md state fields, the prefix, the locale and the classifier', () => {
    const s = stateJson(
      headMarkup({ policy, consent: state({ decided: true, consentId: 'abc', issuedAt: 5, expiresAt: 9 }), locale: 'hi' }),
    );
    expect(s).toMatchObject({ revision: 1, decided: true, gpc: false, regime: 'opt-in', consentId: 'abc', issuedAt: 5, expiresAt: 9 });
    expect(s.categories).toEqual({ essential: true, functional: false, analytics: false, 'third-party': false });
    expect(s.prefix).toBe('/__consent');
    expect(s.locale).toBe('hi');
    expect(s.classifier.cookies['next-auth.session-token']).toBe('essential');
    expect(s.classifier.cookiePrefixes).toContainEqual(['_ga_', 'analytics']);
    expect(s.classifier.chunked).toContain('next-auth.session-token');
    expect(s.classifier.scripts).toContainEqual(['https://checkout.razorpay.com/*', 'third-party']);
    expect(s.classifier.gpc).toEqual(['analytics']);
  });

  it('escapes the JSON so it can never close its script, and writes non-ASCII as \\u escapes', () => {
    const en = policy.policy.locales.en;
    if (!en) throw new Error('no en locale');
    const hostile = variant({
      locales: { ...policy.policy.locales, en: { ...en, preferences: { ...en.preferences, allow: '</script><b>&\u2028₹' } } },
    });
    const html = headMarkup({ policy: hostile, consent: state(), locale: 'en' });
    expect(html.match(/<\/script>/g)?.length).toBe(3); // state, consent mode, banner.js
    expect(/[\u0080-\uffff]/.test(html)).toBe(false);
    expect(html).toContain('\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028\\u20b9');
    expect(stateJson(html).texts.allow).toBe('</script><b>&\u2028₹');
    expect(stateJson(headMarkup({ policy, consent: state(), locale: 'hi' })).texts.titles.essential).toBe('आवश्यक कुकीज़');
  });

  it('maps the seven Consent Mode signals from the allowed categories, with wait_for_update', () => {
    const html = headMarkup({ policy, consent: state({ categories: { essential: true, analytics: true } }), locale: 'en' });
    const m = /gtag\('consent','default',(\{.*?\})\)/.exec(html);
    expect(JSON.parse(m?.[1] ?? '{}')).toEqual({
      ad_storage: 'denied',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
      analytics_storage: 'granted',
      functionality_storage: 'denied',
      personalization_storage: 'denied',
      security_storage: 'granted',
      wait_for_update: 500,
    });
  });

  it('puts the nonce on every injected script and leaves Consent Mode out when disabled', () => {
    const html = headMarkup({ policy, consent: state(), locale: 'en', nonce: 'n0"nce' });
    expect(html.match(/<script[^>]*nonce="n0&quot;nce"/g)?.length).toBe(2);
    const off = variant({ consentMode: { ...policy.policy.consentMode, enabled: false } });
    const plain = headMarkup({ policy: off, consent: state(), locale: 'en' });
    expect(plain).not.toContain('gtag(');
    expect(stateJson(plain).consentMode).toBeNull();
  });

  it("puts the style nonce on banner.css's link, and no script nonce there", () => {
    const html = headMarkup({ policy, consent: state(), locale: 'en', nonce: 'js', styleNonce: 'c"ss' });
    expect(html).toMatch(/<link rel="stylesheet" href="[^"]+" nonce="c&quot;ss">$/);
    expect(html.match(/<script[^>]*nonce="js"/g)?.length).toBe(2);
    expect(headMarkup({ policy, consent: state(), locale: 'en', nonce: 'js' })).toMatch(/<link rel="stylesheet" href="[^"]+">$/);
  });
});

describe('styleNonce (origin CSP)', () => {
  it('reads style-src-elem, then style-src, then default-src, like scriptNonce for scripts', () => {
    expect(styleNonce("default-src 'self'; style-src 'nonce-abc'")).toBe('abc');
    expect(styleNonce("style-src 'nonce-no'; style-src-elem 'nonce-elem'")).toBe('elem');
    expect(styleNonce("default-src 'nonce-d'")).toBe('d');
    // A style-src without a nonce does not fall back to default-src's.
    expect(styleNonce("default-src 'nonce-d'; style-src 'self'")).toBeUndefined();
    expect(styleNonce("script-src 'nonce-js'")).toBeUndefined();
    expect(styleNonce("script-src 'nonce-js', style-src 'nonce-two'")).toBe('two');
    expect(styleNonce(null)).toBeUndefined();
    expect(styleNonce(';;, ,garbage')).toBeUndefined();
    const both = "script-src 'nonce-js' 'strict-dynamic'; style-src 'nonce-css'";
    expect([scriptNonce(both), styleNonce(both)]).toEqual(['js', 'css']);
  });
});

describe('bodyMarkup', () => {
  const banner = (locale = 'en', returnTo = '/reports?period=weekly') => bodyMarkup({ policy, consent: state(), locale, returnTo });

  it('shows one container with accept all, reject all and customize as equal choices', () => {
    const html = banner();
    expect(html.match(/id="consent-edge"/g)?.length).toBe(1);
    expect(html.startsWith('<section id="consent-edge"')).toBe(true);
    const choices = html.match(/class="ce-btn"[^>]*>[^<]*</g) ?? [];
    expect(choices.map((c) => c.replace(/.*>/, '').slice(0, -1))).toEqual(['Accept all', 'Reject all', 'Customize']);
    expect(html).toContain('<form method="post" action="/__consent">');
    expect(html).toContain('name="action" value="accept-all"');
    expect(html).toContain('name="action" value="reject-all"');
    expect(html).toContain('<input type="hidden" name="return" value="/reports?period=weekly"');
    expect(html).toContain('href="/__consent/preferences?return=%2Freports%3Fperiod%3Dweekly" data-consent-open=""');
    expect(html).toContain('href="/cookie-policy"');
    expect(html).not.toMatch(/style=|checked|type="checkbox"/);
  });

  it('is localized and ASCII-only, with Hindi as character references', () => {
    const html = banner('hi');
    expect(/[\u0080-\uffff]/.test(html)).toBe(false);
    expect(html).toContain('lang="hi"');
    expect(html).toContain('&#x938;&#x92d;&#x940; &#x938;&#x94d;&#x935;&#x940;&#x915;&#x93e;&#x930; &#x915;&#x930;&#x947;&#x902;'); // सभी स्वीकार करें
    expect(banner('fr')).toContain('lang="en"');
  });

  it('escapes the return path', () => {
    const html = banner('en', '/x?a="><script>');
    expect(html).not.toContain('"><script>');
    expect(html).toContain('value="/x?a=&quot;&gt;&lt;script&gt;"');
  });

  it('is only the hidden #cookie-settings target once decided, and only the privacy choices link in an opt-out region', () => {
    const decided = bodyMarkup({ policy, consent: state({ decided: true }), locale: 'en', returnTo: '/reports' });
    expect(decided).toBe(
      '<div id="cookie-settings" class="ce-target" lang="en"><a href="/__consent/preferences?return=%2Freports" data-consent-open="">Cookie settings</a></div>',
    );
    const optOut = bodyMarkup({ policy, consent: state({ regime: 'opt-out' }), locale: 'en', returnTo: '/' });
    expect(optOut).toContain('Your Privacy Choices');
    expect(optOut).toContain('data-consent-open');
    expect(optOut).not.toContain('accept-all');
  });

  it('stays small: under 1.5 KB in English and 4 KB in Hindi', () => {
    const en = new TextEncoder().encode(banner('en')).length;
    const hi = new TextEncoder().encode(banner('hi')).length;
    const head = new TextEncoder().encode(headMarkup({ policy, consent: state(), locale: 'en' })).length;
    console.log(`banner markup: en ${en} B, hi ${hi} B; head markup: ${head} B`);
    expect(en).toBeLessThan(1500);
    expect(hi).toBeLessThan(4096);
    expect(head).toBeLessThan(2750); // the classifier's table: cookies, scripts, iframes and request endpoints
  });
});

describe('bodyMarkup rendered once per locale', () => {
  it('puts each page its own return path, escaped in attributes and URL-encoded in links', () => {
    const returnTo = `/reports?a=1&b="x"<y>'z`;
    const html = bodyMarkup({ policy, consent: state(), locale: 'en', returnTo });
    expect(html).toContain('value="/reports?a=1&amp;b=&quot;x&quot;&lt;y&gt;&#39;z"');
    expect(html).toContain(`/__consent/preferences?return=${encodeURIComponent(returnTo)}`);
    expect(html).not.toContain('__ce_return__');
    const other = bodyMarkup({ policy, consent: state(), locale: 'en', returnTo: '/settings' });
    expect(other).toContain('value="/settings"');
    expect(other).not.toContain('/reports');
    const hindi = bodyMarkup({ policy, consent: state(), locale: 'hi', returnTo: '/settings' });
    expect(hindi).not.toBe(other);
    expect(hindi).toContain('lang="hi"');
  });
});
