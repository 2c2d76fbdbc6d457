/**
 * The interface language, in one place: chosen from `Accept-Language` (RFC 9110 §12.5.4) among
 * the locales the policy declares, and the fallback to the default locale of every text the
 * visitor is shown. Pure and total: garbage headers fall back, they never throw.
 */
import type { Category, LocalizedText, Policy, UiTexts } from './schema';

/** Headers longer than this are cut: nobody prefers 60 languages, and parsing stays bounded. */
const MAX_HEADER = 1024;
const MAX_RANGES = 32;
const RANGE = /^(\*|[a-z]{1,8}(-[a-z0-9]{1,8})*)$/i;
const QVALUE = /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/i;

interface LanguageRange {
  tag: string;
  q: number;
  order: number;
}

/** Parses `hi-IN,hi;q=0.9,*;q=0.1` into ranges sorted by preference; drops malformed entries. */
export function parseAcceptLanguage(header: string): LanguageRange[] {
  const ranges: LanguageRange[] = [];
  header
    .slice(0, MAX_HEADER)
    .split(',')
    .slice(0, MAX_RANGES)
    .forEach((part, order) => {
      const [rawTag = '', ...params] = part.split(';').map((s) => s.trim());
      if (!RANGE.test(rawTag)) return;
      let q = 1;
      for (const param of params) {
        if (!/^q=/i.test(param)) continue;
        if (!QVALUE.test(param)) return; // a malformed weight makes the whole entry unusable
        q = Number(param.slice(2));
      }
      if (q > 0) ranges.push({ tag: rawTag.toLowerCase(), q, order });
    });
  return ranges.sort((a, b) => b.q - a.q || a.order - b.order);
}

/** The available locale a tag names: exact, else the same base language (`hi-IN` → `hi`, `pt` → `pt-BR`). */
function matchTag(tag: string, available: readonly string[]): string | undefined {
  const lower = tag.toLowerCase();
  const exact = available.find((a) => a.toLowerCase() === lower);
  if (exact) return exact;
  const base = lower.split('-')[0];
  return available.find((a) => a.toLowerCase() === base) ?? available.find((a) => a.toLowerCase().split('-')[0] === base);
}

/**
 * Picks the locale to render: an explicit override (`?lang=`) when available, else the best
 * `Accept-Language` match, else `fallback`.
 * @example
 * pickLocale('hi-IN,hi;q=0.9,en;q=0.8', ['en', 'hi'], 'en') // => 'hi'
 * pickLocale('fr', ['en', 'hi'], 'en', 'hi') // => 'hi'
 * pickLocale(';;q=oops', ['en', 'hi'], 'en') // => 'en'
 */
export function pickLocale(acceptLanguage: string | null | undefined, available: string[], fallback: string, override?: string): string {
  if (override && RANGE.test(override) && override !== '*') {
    const chosen = matchTag(override, available);
    if (chosen) return chosen;
  }
  if (typeof acceptLanguage !== 'string') return fallback;
  for (const range of parseAcceptLanguage(acceptLanguage)) {
    if (range.tag === '*') return fallback;
    const chosen = matchTag(range.tag, available);
    if (chosen) return chosen;
  }
  return fallback;
}

/**
 * The locale to render for a request: `chosen` (the language cookie a switcher set) when the
 * policy has it, else the best `Accept-Language` match, else the policy's default. Always a key of
 * `locales`.
 * @example
 * requestLocale(policy, 'hi-IN,hi;q=0.9') // 'hi'
 * requestLocale(policy, 'hi-IN,hi;q=0.9', 'en') // 'en': the visitor chose English
 */
export function requestLocale(policy: Policy, acceptLanguage: string | null | undefined, chosen?: string): string {
  return pickLocale(acceptLanguage, Object.keys(policy.locales), policy.defaultLocale, chosen);
}

/**
 * The declared locale a switcher asked for (`?lang=hi`, the language cookie's value), exactly as
 * `locales` spells it; undefined for anything else, so no other value is ever stored.
 * @example
 * chosenLocale(policy, 'HI') // 'hi'
 * chosenLocale(policy, 'fr') // undefined
 */
export function chosenLocale(policy: Policy, value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const lower = value.toLowerCase();
  return Object.keys(policy.locales).find((tag) => tag.toLowerCase() === lower);
}

/**
 * `override` (a `?lang=`) when the policy has that locale, else `locale`.
 * @example
 * overrideLocale(policy, 'en', 'hi') // 'hi'
 */
export function overrideLocale(policy: Policy, locale: string, override: string | undefined): string {
  return pickLocale(null, Object.keys(policy.locales), locale, override);
}

/** The locale whose texts `uiTexts` returns (the one to put in `lang`). */
export function effectiveLocale(policy: Policy, locale: string): string {
  return policy.locales[locale] ? locale : policy.defaultLocale;
}

/**
 * Interface strings for `locale`, or the default locale's when it has none.
 * @example uiTexts(policy, 'hi').banner.acceptAll
 */
export function uiTexts(policy: Policy, locale: string): UiTexts {
  const texts = policy.locales[locale] ?? policy.locales[policy.defaultLocale] ?? Object.values(policy.locales)[0];
  if (!texts) throw new Error('policy has no locales'); // parsePolicy refuses such a policy
  return texts;
}

/** A category's title or description in `locale`, falling back to the default locale, then its id. */
export function localized(policy: Policy, category: Category, field: 'title' | 'description', locale: string): string {
  return category[field][locale] ?? category[field][policy.defaultLocale] ?? category.id;
}

/** A translated text as shown: the string, and the locale it is written in (for `lang`). */
export interface ShownText {
  text: string;
  lang: string;
}

/**
 * A cookie's purpose or duration in `locale`: its own translation, else the default locale's
 * (a plain string is written in the default locale), else any. `lang` says which one it is, so a
 * fallback is marked up in its own language.
 * @example
 * localText(policy, { en: '1 year', hi: '1 वर्ष' }, 'hi') // { text: '1 वर्ष', lang: 'hi' }
 * localText(policy, '1 year', 'hi') // { text: '1 year', lang: 'en' }
 */
export function localText(policy: Policy, value: LocalizedText, locale: string): ShownText {
  if (typeof value === 'string') return { text: value, lang: policy.defaultLocale };
  for (const lang of [locale, policy.defaultLocale]) {
    const text = value[lang];
    if (text) return { text, lang };
  }
  const [lang = policy.defaultLocale, text = ''] = Object.entries(value)[0] ?? [];
  return { text, lang };
}

/**
 * One declared cookie as a table row in `locale`: purpose and duration as shown, each with the
 * language it fell back to when that is not `locale` (so the cell is marked up in its own language).
 */
export interface LocalCookieRow {
  name: string;
  chunked: boolean;
  purpose: string;
  duration: string;
  purposeLang?: string;
  durationLang?: string;
  provider: string | null;
  otherDomain: string | null;
  policyUrl: string | null;
}

/**
 * A category's cookie table rows in `locale`, for the policy page, the preferences and the log.
 * @example
 * cookieRows(policy, category, 'hi')[0].purpose // the Hindi purpose, or the default locale's with purposeLang
 */
export function cookieRows(policy: Policy, category: Category, locale: string): LocalCookieRow[] {
  return category.cookies.map((cookie) => {
    const purpose = localText(policy, cookie.purpose, locale);
    const duration = localText(policy, cookie.duration, locale);
    return {
      name: cookie.name,
      chunked: cookie.chunked,
      purpose: purpose.text,
      duration: duration.text,
      ...(purpose.lang === locale ? {} : { purposeLang: purpose.lang }),
      ...(duration.lang === locale ? {} : { durationLang: duration.lang }),
      provider: cookie.provider ?? null,
      otherDomain: cookie.otherDomain ?? null,
      policyUrl: cookie.policyUrl ?? null,
    };
  });
}
