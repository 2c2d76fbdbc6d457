/**
 * Localized texts and escaping shared by the banner markup and the preferences page: the
 * interface strings for a locale (falling back to the policy's default), and the ASCII-only
 * encodings the injected markup uses (SPEC §6: non-ASCII as character references).
 */
import type { CompiledPolicy } from '../policy/compile';
import type { Category, UiTexts } from '../policy/schema';

/**
 * Interface strings for `locale`, or the default locale's when it has none.
 * @example uiTexts(policy, 'hi').banner.acceptAll
 */
export function uiTexts(policy: CompiledPolicy, locale: string): UiTexts {
  const { locales, defaultLocale } = policy.policy;
  const texts = locales[locale] ?? locales[defaultLocale] ?? Object.values(locales)[0];
  if (!texts) throw new Error('policy has no locales'); // parsePolicy refuses such a policy
  return texts;
}

/** The locale whose texts `uiTexts` returns (the one to put in `lang`). */
export function effectiveLocale(policy: CompiledPolicy, locale: string): string {
  return policy.policy.locales[locale] ? locale : policy.policy.defaultLocale;
}

/** A category's title or description in `locale`, falling back to the default locale. */
export function localized(policy: CompiledPolicy, category: Category, field: 'title' | 'description', locale: string): string {
  return category[field][locale] ?? category[field][policy.policy.defaultLocale] ?? category.id;
}

/**
 * Writes every non-ASCII character of HTML as a character reference, so the injected markup
 * is right whatever charset the origin's page declares.
 * @example asciiHtml('<p>₹499</p>') // '<p>&#x20b9;499</p>'
 */
export function asciiHtml(html: string): string {
  return html.replace(/[\u0080-\u{10ffff}]/gu, (c) => `&#x${(c.codePointAt(0) ?? 0).toString(16)};`);
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>`, `&`, U+2028/9 and every
 * other non-ASCII character as `\uXXXX`, so the text can never close the element.
 * @example scriptJson({ a: '</script>' }) // '{"a":"\\u003c/script\\u003e"}'
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
