/**
 * The interface language, in one place: chosen from `Accept-Language` (RFC 9110 §12.5.4) among
 * the locales the policy declares, and the fallback to the default locale of every text the
 * visitor is shown. Pure and total: garbage headers fall back, they never throw.
 */
import type { Category, Policy, UiTexts } from './schema';

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
 * The locale to render for a request: `?lang=` (the policy page's switcher) when the policy has
 * it, else the best `Accept-Language` match, else the policy's default. Always a key of `locales`.
 * @example
 * requestLocale(policy, 'hi-IN,hi;q=0.9') // 'hi'
 */
export function requestLocale(policy: Policy, acceptLanguage: string | null | undefined, override?: string): string {
  return pickLocale(acceptLanguage, Object.keys(policy.locales), policy.defaultLocale, override);
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
