/**
 * What a visitor was shown, as the log keeps it: per locale, the banner, the preferences dialog,
 * the in-context prompt, the policy page's labels and every category with its cookie table, as
 * the worker renders them (locale fallbacks applied). Built by the same text lookups the banner
 * and the pages use, so the record says what the visitor read, not what policy.json holds today.
 */
import * as z from '../policy/zod';
import { cookieRows, localized, uiTexts } from '../policy/locale';
import type { CompiledPolicy } from '../policy/compile';
import { CategoryId, LocaleTag } from '../policy/schema';

/** One row of a cookie table, with every column the policy page and the dialog render. */
export const CookieRow = z.strictObject({
  name: z.string(),
  chunked: z.boolean(),
  purpose: z.string(),
  duration: z.string(),
  /** The language the purpose fell back to, when it is not the locale's own. */
  purposeLang: z.optional(LocaleTag),
  /** The language the duration fell back to, when it is not the locale's own. */
  durationLang: z.optional(LocaleTag),
  provider: z.nullable(z.string()),
  otherDomain: z.nullable(z.string()),
  policyUrl: z.nullable(z.string()),
});
export type CookieRow = z.infer<typeof CookieRow>;

export const ShownCategory = z.strictObject({
  id: CategoryId,
  required: z.boolean(),
  title: z.string(),
  description: z.string(),
  cookies: z.array(CookieRow),
});
export type ShownCategory = z.infer<typeof ShownCategory>;

const text = z.string();

/** Everything one locale's visitor could read on the banner, the dialog, a prompt and the page. */
export const ShownLocale = z.strictObject({
  locale: LocaleTag,
  languageName: text,
  /** A machine or draft translation awaiting legal review when it was shown. */
  draft: z.boolean(),
  banner: z.strictObject({
    title: text,
    body: text,
    acceptAll: text,
    rejectAll: text,
    customize: text,
    policyLink: text,
    privacyChoices: text,
    /** The skip link to the banner (versions stored before it existed lack it). */
    skip: z.optional(text),
    /** Said when a Global Privacy Control signal refused categories (absent in older versions). */
    gpcApplied: z.optional(text),
  }),
  dialog: z.strictObject({
    title: text,
    intro: text,
    save: text,
    acceptAll: text,
    rejectAll: text,
    withdraw: text,
    close: text,
    alwaysOn: text,
    cookiesHeading: text,
    policyLink: text,
    receiptLink: text,
  }),
  placeholder: z.strictObject({ prompt: text, allow: text, close: text }),
  categories: z.array(ShownCategory),
  page: z.strictObject({
    title: text,
    effective: text,
    revision: text,
    cookie: text,
    purpose: text,
    duration: text,
    provider: text,
    /** Shown above the legal text when it is in another language; null when it is not. */
    legalTextNotice: z.nullable(text),
  }),
});
export type ShownLocale = z.infer<typeof ShownLocale>;

/**
 * The texts a visitor of `locale` was shown under `policy`.
 * @example
 * shownTexts(policy, 'hi').banner.acceptAll // the Hindi "Accept all", as the banner renders it
 */
export function shownTexts(policy: CompiledPolicy, locale: string): ShownLocale {
  const t = uiTexts(policy.policy, locale);
  const legalElsewhere = policy.policy.content.locale !== locale;
  return {
    locale,
    languageName: t.languageName,
    draft: t.draft,
    banner: {
      title: t.banner.title,
      body: t.banner.body,
      acceptAll: t.banner.acceptAll,
      rejectAll: t.banner.rejectAll,
      customize: t.banner.customize,
      policyLink: t.preferences.policyLink,
      privacyChoices: t.banner.privacyChoices,
      skip: t.banner.skip,
      gpcApplied: t.banner.gpcApplied,
    },
    dialog: {
      title: t.preferences.title,
      intro: t.preferences.intro,
      save: t.preferences.save,
      acceptAll: t.preferences.acceptAll,
      rejectAll: t.preferences.rejectAll,
      withdraw: t.preferences.withdraw,
      close: t.preferences.close,
      alwaysOn: t.preferences.alwaysOn,
      cookiesHeading: t.preferences.cookiesHeading,
      policyLink: t.preferences.policyLink,
      receiptLink: t.preferences.receiptLink,
    },
    placeholder: { prompt: t.preferences.contextualPrompt, allow: t.preferences.allow, close: t.preferences.close },
    categories: policy.policy.categories.map((category) => ({
      id: category.id,
      required: category.required,
      title: localized(policy.policy, category, 'title', locale),
      description: localized(policy.policy, category, 'description', locale),
      cookies: cookieRows(policy.policy, category, locale),
    })),
    page: {
      title: t.page.title,
      effective: t.page.effective,
      revision: t.page.revision,
      cookie: t.page.cookie,
      purpose: t.page.purpose,
      duration: t.page.duration,
      provider: t.page.provider,
      legalTextNotice: legalElsewhere && t.page.legalTextNotice ? t.page.legalTextNotice : null,
    },
  };
}
