/**
 * pickLocale: Accept-Language weights, base-language matching, the `?lang=` override, and
 * garbage that must fall back instead of throwing; the language a switcher chose; cookie texts
 * in the visitor's language with the default locale's as fallback; the GPC notice's phrase.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consentState } from '../support/fixtures';
import { gpcRefusedPhrase } from '../../src/pages/shared/gpc-notice';
import { deployedPolicy } from '../../src/policy/load';
import { CookieTable } from '../../src/pages/shared/cookie-table';
import { chosenLocale, cookieRows, localText, parseAcceptLanguage, pickLocale, requestLocale, uiTexts } from '../../src/policy/locale';

const available = ['en', 'hi'];

describe('pickLocale', () => {
  it('chooses Hindi for a browser that prefers hi-IN', () => {
    expect(pickLocale('hi-IN,hi;q=0.9,en-US;q=0.8,en;q=0.7', available, 'en')).toBe('hi');
  });

  it('follows q-values rather than header order', () => {
    expect(pickLocale('en;q=0.5, hi;q=0.8', available, 'en')).toBe('hi');
    expect(pickLocale('hi;q=0.5, en-GB;q=0.8', available, 'en')).toBe('en');
  });

  it('keeps header order between equal weights', () => {
    expect(pickLocale('hi, en', available, 'en')).toBe('hi');
    expect(pickLocale('en, hi', available, 'hi')).toBe('en');
  });

  it('skips languages the policy does not offer', () => {
    expect(pickLocale('fr-FR, de;q=0.9, hi;q=0.1', available, 'en')).toBe('hi');
  });

  it('never picks a language refused with q=0', () => {
    expect(pickLocale('hi;q=0, fr', available, 'en')).toBe('en');
  });

  it('matches case-insensitively and a base tag to a regional locale', () => {
    expect(pickLocale('HI-in', available, 'en')).toBe('hi');
    expect(pickLocale('pt', ['en', 'pt-BR'], 'en')).toBe('pt-BR');
  });

  it('falls back on a missing header or a wildcard', () => {
    expect(pickLocale(null, available, 'en')).toBe('en');
    expect(pickLocale(undefined, available, 'en')).toBe('en');
    expect(pickLocale('', available, 'en')).toBe('en');
    expect(pickLocale('*', available, 'hi')).toBe('hi');
  });

  it('lets an available ?lang= override win over the header', () => {
    expect(pickLocale('en', available, 'en', 'hi')).toBe('hi');
    expect(pickLocale('en', available, 'en', 'hi-IN')).toBe('hi');
  });

  it('ignores an override that is not offered or not a tag', () => {
    expect(pickLocale('hi', available, 'en', 'fr')).toBe('hi');
    expect(pickLocale('hi', available, 'en', '<script>')).toBe('hi');
    expect(pickLocale('hi', available, 'en', '*')).toBe('hi');
  });

  it.each([';;;', 'q=1', 'hi;q=2', 'hi;q=abc', 'en;q=0.5;q', ',,,,', '\u0000\uffff', 'hi-'.repeat(2000)])(
    'falls back without throwing on %j',
    (header) => {
      expect(() => pickLocale(header, available, 'en')).not.toThrow();
      expect(available).toContain(pickLocale(header, available, 'en'));
    },
  );

  it('drops entries with a malformed weight but keeps the rest', () => {
    expect(parseAcceptLanguage('hi;q=abc, en;q=0.3').map((r) => r.tag)).toEqual(['en']);
  });

  it('never throws and always returns an available locale or the fallback', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), (header, override) => {
        const chosen = pickLocale(header, available, 'en', override);
        expect(available).toContain(chosen);
      }),
    );
  });
});

describe('the language a visitor chose', () => {
  const { policy } = deployedPolicy();

  it('wins over Accept-Language when it is a declared locale', () => {
    expect(requestLocale(policy, 'hi-IN,hi;q=0.9', 'en')).toBe('en');
    expect(requestLocale(policy, 'en', chosenLocale(policy, 'HI'))).toBe('hi');
    expect(requestLocale(policy, 'hi', chosenLocale(policy, 'fr'))).toBe('hi');
  });

  it('is only ever a declared locale, as the policy spells it', () => {
    expect(chosenLocale(policy, 'hi')).toBe('hi');
    for (const value of ['fr', '', '*', 'hi-IN', '../x', null, undefined]) expect(chosenLocale(policy, value)).toBeUndefined();
    fc.assert(fc.property(fc.string(), (value) => [undefined, 'en', 'hi'].includes(chosenLocale(policy, value))));
  });
});

describe('localText', () => {
  const { policy } = deployedPolicy();

  it('gives the translation, else the default locale, saying which it is', () => {
    expect(localText(policy, { en: '1 year', hi: '1 वर्ष' }, 'hi')).toEqual({ text: '1 वर्ष', lang: 'hi' });
    expect(localText(policy, { en: '1 year' }, 'hi')).toEqual({ text: '1 year', lang: 'en' });
    expect(localText(policy, '1 year', 'hi')).toEqual({ text: '1 year', lang: 'en' });
    expect(localText(policy, '1 year', 'en')).toEqual({ text: '1 year', lang: 'en' });
  });

  it('has Hindi for every purpose and duration of the default policy', () => {
    for (const category of policy.categories) {
      for (const cookie of category.cookies) {
        expect(localText(policy, cookie.purpose, 'hi').lang, cookie.name).toBe('hi');
        expect(localText(policy, cookie.duration, 'hi').lang, cookie.name).toBe('hi');
      }
    }
  });
});

describe('cookieRows', () => {
  const { policy } = deployedPolicy();
  const [essential] = policy.categories;
  const [cookie] = essential?.cookies ?? [];
  if (!essential || !cookie) throw new Error('the default policy declares essential cookies');
  const category = { ...essential, cookies: [{ ...cookie, purpose: { en: 'Signs you in', hi: 'साइन-इन' }, duration: { en: '1 year' } }] };

  it('gives rows in the locale, naming the language of a text that fell back', () => {
    const [row] = cookieRows(policy, category, 'hi');
    expect(row).toMatchObject({ purpose: 'साइन-इन', duration: '1 year', durationLang: 'en' });
    expect(row).not.toHaveProperty('purposeLang');
    expect(cookieRows(policy, category, 'en')[0]).not.toHaveProperty('durationLang');
  });

  it('marks a fallback cell up in its own language, in every layout', () => {
    const rows = cookieRows(policy, category, 'hi');
    const texts = uiTexts(policy, 'hi').page;
    for (const layout of ['page', 'compact', 'record'] as const) {
      const html = String(CookieTable({ cookies: rows, texts, layout, caption: 'x' }));
      expect(html, layout).toContain('<span lang="en">1 year</span>');
      expect(html, layout).toContain('>साइन-इन</td>');
    }
  });
});

describe('gpcRefusedPhrase', () => {
  const { policy } = deployedPolicy();

  it('names the categories a GPC signal keeps off, in the visitor language', () => {
    const gpc = consentState({ gpc: true });
    expect(gpcRefusedPhrase(policy, gpc, 'en')).toBe('Analytics cookies');
    expect(gpcRefusedPhrase(policy, gpc, 'hi')).toBe('एनालिटिक्स कुकीज़');
    expect(gpcRefusedPhrase(policy, consentState(), 'en')).toBeNull();
    const accepted = consentState({ gpc: true, categories: { essential: true, functional: false, analytics: true, 'third-party': false } });
    expect(gpcRefusedPhrase(policy, accepted, 'en')).toBeNull();
  });
});
