import { describe, expect, it } from 'vitest';
import { BANNER_JS, DIALOG_JS } from '../../src/banner/assets.gen';
import { type ClientPolicy, clientState, type PageState, type PromptTexts } from '../../src/core/state';
import type { CompiledPolicy } from '../../src/policy/compile';
import { bodyMarkup, headMarkup } from '../../src/banner/markup';
import { scriptNonce, styleNonce } from '../../src/html/csp';
import { policy, state, variant } from './banner-fixtures';

const stateJson = (html: string): PageState => {
  const m = /<script type="application\/json" id="consent-state">(.*?)<\/script>/.exec(html);
  if (!m?.[1]) throw new Error('no state JSON');
  return JSON.parse(m[1]);
};

/** The policy's part the worker built into a locale's banner.js. */
const builtIn = (p: CompiledPolicy, locale: string): ClientPolicy => {
  const [before = '', after = ''] = BANNER_JS.split('__CE_POLICY__');
  const js = p.assets.js(locale);
  return JSON.parse(js.slice(before.length, js.length - after.length));
};

/** The prompt's texts the worker built into a locale's dialog.js. */
const promptIn = (p: CompiledPolicy, locale: string): PromptTexts => {
  const [before = '', after = ''] = DIALOG_JS.split('__CE_TEXTS__');
  const js = p.assets.dialogJs(locale);
  return JSON.parse(js.slice(before.length, js.length - after.length));
};

describe('headMarkup', () => {
  it('puts the state JSON first, then banner.js (versioned, per locale) and the versioned banner.css', () => {
    const html = headMarkup({ policy, consent: state(), locale: 'en' });
    const { jsVersion, cssVersion } = policy.assets;
    expect(html).toBe(
      `<script type="application/json" id="consent-state">{}</script><script src="/__consent/banner.js?v=${jsVersion}"></script><link rel="stylesheet" href="/__consent/banner.css?v=${cssVersion}">`,
    );
    expect(headMarkup({ policy, consent: state(), locale: 'hi' })).toContain(`<script src="/__consent/banner.js?v=${jsVersion}.hi">`);
    expect(headMarkup({ policy, consent: state(), locale: 'fr' })).toContain(`<script src="/__consent/banner.js?v=${jsVersion}">`);
  });

  it('carries only what is per visitor; banner.js makes the docs/wire-formats.md state of it and its policy', () => {
    const consent = state({
      decided: true,
      categories: { essential: true, functional: true, analytics: false, 'third-party': false },
      consentId: 'abc',
      issuedAt: 5,
      expiresAt: 5 + 182 * 86_400,
    });
    const page = stateJson(headMarkup({ policy, consent, locale: 'hi' }));
    expect(page).toEqual({ a: 2, d: 1, i: 'abc', t: 5 }); // functional: bit 1 of essential, functional, analytics, third-party
    const client = clientState(builtIn(policy, 'hi'), page);
    const { revision, decided, categories, gpc, regime, consentId, issuedAt, expiresAt } = client;
    expect({ revision, decided, categories, gpc, regime, consentId, issuedAt, expiresAt }).toEqual(consent);
    expect(client.prefix).toBe('/__consent');
    expect(client.locale).toBe('hi');
    const gpcOptOut = state({
      gpc: true,
      regime: 'opt-out',
      categories: { essential: true, functional: true, analytics: false, 'third-party': true },
    });
    const back = clientState(builtIn(policy, 'en'), stateJson(headMarkup({ policy, consent: gpcOptOut, locale: 'en' })));
    expect({ ...back, categories: back.categories, gpc: back.gpc, regime: back.regime }).toMatchObject(gpcOptOut);
  });

  it("builds the policy's part into banner.js: classifier, Consent Mode map, the locale's texts (the prompt's in dialog.js)", () => {
    const en = builtIn(policy, 'en');
    expect(en.classifier).toEqual(policy.client);
    expect(en.classifier.cookies['next-auth.session-token']).toBe('essential');
    expect(en.classifier.cookiePrefixes).toContainEqual(['_ga_', 'analytics']);
    expect(en.classifier.gpc).toEqual(['analytics']);
    expect(en.consentMode).toEqual({
      ad_storage: 'denied',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
      analytics_storage: 'analytics',
      functionality_storage: 'functional',
      personalization_storage: 'functional',
      security_storage: 'essential',
    });
    expect(en.waitForUpdate).toBe(500);
    expect(en.texts).toEqual({ saved: 'Your choices have been saved.', skip: 'Skip to cookie choices' });
    // The prompt's texts are in dialog.js, which shows it.
    expect(promptIn(policy, 'en').allow).toBe('Allow');
    expect(promptIn(policy, 'hi').titles.essential).toBe('आवश्यक कुकीज़');
    expect(builtIn(variant({ consentMode: { ...policy.policy.consentMode, enabled: false } }), 'en').consentMode).toBeNull();
  });

  it('changes the version of banner.js with the policy, and a text cannot break out of it', () => {
    const en = policy.policy.locales.en;
    if (!en) throw new Error('no en locale');
    const hostile = variant({
      locales: { ...policy.policy.locales, en: { ...en, preferences: { ...en.preferences, allow: '</script>"\u2028`\\' } } },
    });
    expect(hostile.assets.jsVersion).not.toBe(policy.assets.jsVersion);
    expect(hostile.assets.cssVersion).toBe(policy.assets.cssVersion);
    expect(promptIn(hostile, 'en').allow).toBe('</script>"\u2028`\\');
  });

  it('escapes the state JSON so it can never close its script, and writes non-ASCII as \\u escapes', () => {
    const html = headMarkup({ policy, consent: state({ decided: true, consentId: '</script><b>&\u2028₹', issuedAt: 1 }), locale: 'en' });
    expect(html.match(/<\/script>/g)?.length).toBe(2); // state, banner.js
    expect(/[\u0080-\uffff]/.test(html)).toBe(false);
    expect(html).toContain('\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028\\u20b9');
    expect(stateJson(html).i).toBe('</script><b>&\u2028₹');
  });

  it('puts the nonce on banner.js; no inline script (Consent Mode is set by banner.js)', () => {
    const html = headMarkup({ policy, consent: state(), locale: 'en', nonce: 'n0"nce' });
    expect(html.match(/<script[^>]*nonce="n0&quot;nce"/g)?.length).toBe(1);
    expect(html).toMatch(/<script src="[^"]+" nonce="n0&quot;nce"><\/script>/);
    expect(html).not.toContain('gtag(');
  });

  it("puts the style nonce on banner.css's link, and no script nonce there", () => {
    const html = headMarkup({ policy, consent: state(), locale: 'en', nonce: 'js', styleNonce: 'c"ss' });
    expect(html).toMatch(/<link rel="stylesheet" href="[^"]+" nonce="c&quot;ss">$/);
    expect(html.match(/<script[^>]*nonce="js"/g)?.length).toBe(1);
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
    const choices = html.match(/<(button|a id="cookie-settings")[^>]*>[^<]*</g) ?? [];
    expect(choices.map((c) => c.replace(/.*>/, '').slice(0, -1))).toEqual(['Accept all', 'Reject all', 'Customize']);
    expect(html).toContain('<form method=post action=/__consent>');
    expect(html).toContain('<button name=action value=accept-all>');
    expect(html).toContain('<button name=action value=reject-all>');
    expect(html).toContain('<input type=hidden name=return value="/reports?period=weekly">');
    expect(html).toContain('<input type=hidden name=surface value=banner><input type=hidden name=locale value=en>');
    expect(html).toContain(
      '<a id="cookie-settings" href="/__consent/preferences?return=%2Freports%3Fperiod%3Dweekly">Customize</a></form>',
    );
    expect(html).toContain('href=/cookie-policy');
    // The current language named, the others linked in their own language.
    expect(html).toContain(
      '<nav aria-label=Language><a aria-current=true>English</a><a href="/__consent/language?lang=hi&return=%2Freports%3Fperiod%3Dweekly" lang=hi>',
    );
    expect(html).not.toMatch(/style=|checked|type="checkbox"/);
  });

  it('is localized and ASCII-only, with Hindi as character references', () => {
    const html = banner('hi');
    expect(/[\u0080-\uffff]/.test(html)).toBe(false);
    expect(html).toContain('lang=hi');
    expect(html).toContain('&#x938;&#x92d;&#x940; &#x938;&#x94d;&#x935;&#x940;&#x915;&#x93e;&#x930; &#x915;&#x930;&#x947;&#x902;'); // सभी स्वीकार करें
    expect(banner('fr')).toContain('lang=en');
  });

  it('escapes the return path', () => {
    const html = banner('en', '/x?a="><script>');
    expect(html).not.toContain('"><script>');
    expect(html).toContain('value="/x?a=&quot;&gt;&lt;script&gt;"');
  });

  it('is only the hidden #cookie-settings target once decided, and only the privacy choices link in an opt-out region', () => {
    const decided = bodyMarkup({ policy, consent: state({ decided: true }), locale: 'en', returnTo: '/reports' });
    expect(decided).toBe(
      '<div id="cookie-settings" class=ce-target lang=en><a href="/__consent/preferences?return=%2Freports">Cookie settings</a></div>',
    );
    const optOut = bodyMarkup({ policy, consent: state({ regime: 'opt-out' }), locale: 'en', returnTo: '/' });
    expect(optOut).toContain('Your Privacy Choices');
    expect(optOut).toContain('<a id="cookie-settings" href="/__consent/preferences?return=%2F">');
    expect(optOut).not.toContain('accept-all');
  });

  it('stays small: the whole injection within 1,200 bytes undecided and 400 decided (English)', () => {
    const bytes = (html: string) => new TextEncoder().encode(html).length;
    const returnTo = '/html?size=1048576';
    const undecided = { policy, consent: state(), locale: 'en', returnTo };
    const decided = { ...undecided, consent: state({ decided: true, consentId: 'x'.repeat(22), issuedAt: 1_790_000_000 }) };
    const sizes = {
      undecided: bytes(headMarkup(undecided)) + bytes(bodyMarkup(undecided)),
      decided: bytes(headMarkup(decided)) + bytes(bodyMarkup(decided)),
      hindi: bytes(headMarkup({ ...undecided, locale: 'hi' })) + bytes(bodyMarkup({ ...undecided, locale: 'hi' })),
    };
    console.log(`injected markup: undecided ${sizes.undecided} B, decided ${sizes.decided} B, undecided Hindi ${sizes.hindi} B`);
    expect(sizes.undecided).toBeLessThanOrEqual(1200);
    expect(sizes.decided).toBeLessThanOrEqual(400);
    expect(sizes.hindi).toBeLessThan(3072); // character references: 7 or 8 bytes a letter
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
    expect(hindi).toContain('lang=hi');
  });
});
