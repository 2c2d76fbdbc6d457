/**
 * The shape of `policy.json`: the one zod schema that validates the policy at build time and at
 * worker start, and from which `policy.schema.json` (editor autocompletion) is generated.
 */
import * as z from './zod';

/** Category ids are fixed by the wire format (docs/wire-formats.md). */
export const CATEGORY_IDS = ['essential', 'functional', 'analytics', 'third-party'] as const;
export const CategoryId = z.enum(CATEGORY_IDS);
export type CategoryId = z.infer<typeof CategoryId>;

const KNOWN_CATEGORY_IDS = new Set<string>(CATEGORY_IDS);

/**
 * Narrows a string (an object key, a cookie field) to a category id without a cast.
 * @example
 * isCategoryId('analytics') // true
 * isCategoryId('marketing') // false
 */
export function isCategoryId(id: string): id is CategoryId {
  return KNOWN_CATEGORY_IDS.has(id);
}

/** Locale tags such as `en`, `hi`, `pt-BR`. */
export const LocaleTag = z.string().check(z.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 tag like "en" or "pt-BR"'));

/** A string that says something: never empty. */
const Text = z.string().check(z.minLength(1));

/** Text that is translated: one string per locale, keyed by locale tag. */
const Localized = z.record(LocaleTag, Text);

/**
 * A cookie's purpose or duration: one string, written in the default locale, or one string per
 * locale. A locale without its own string is shown the default locale's (`policy:check` names it).
 */
export const LocalizedText = z.union([Text, Localized]);
export type LocalizedText = z.infer<typeof LocalizedText>;

/** RFC 6265 token characters, which is what a cookie name may contain. */
const COOKIE_NAME = "[!#$%&'+\\-.^_`|~0-9A-Za-z]+";

/** A link the pages render: http(s) only, never `javascript:` or `data:`. */
const WebUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/**
 * A cookie name pattern: an exact name, or a prefix followed by a single trailing `*`.
 * Nothing else, so classification stays a map lookup plus a longest-prefix lookup (docs/configuration.md).
 */
export const CookiePattern = z
  .string()
  .check(z.regex(new RegExp(`^${COOKIE_NAME}\\*?$`), 'must be an exact cookie name or "prefix*" (one trailing *)'));

/**
 * A source: an absolute http(s) URL with a path, or a same-origin `/path`, optionally ending in
 * one `*`; the host may start with `*.` to match every subdomain. Nothing else, so classification
 * stays a host lookup then the longest path prefix.
 */
export const SourcePattern = z
  .string()
  .check(
    z.regex(
      /^(https?:\/\/(\*\.)?|\/)[^*\s]*\*?$/,
      'must be an absolute http(s) URL (the host may start with "*.") or a /path, optionally ending in one *',
    ),
  );

/** A first-party path that serves one category (`/api/track*`): a `/path`, optionally ending in one `*`. */
export const EndpointPattern = z
  .string()
  .check(z.regex(/^\/[^*\s#]*\*?$/, "must be a same-origin /path, optionally ending in one * (the Service's own paths only)"));

/** Where a declared cookie lives, so the worker can expire it with the same Domain and Path. */
const CookieScope = z.strictObject({
  domain: z
    .optional(z.string().check(z.regex(/^(\$host|[a-z0-9.-]+)$/, 'must be a domain name or "$host" (the request host)')))
    .check(z.describe('Domain attribute the cookie was set with; "$host" is the request host; absent means host-only')),
  path: z._default(z.string().check(z.startsWith('/')), '/'),
});

export const DeclaredCookie = z.strictObject({
  name: CookiePattern.check(z.describe('Exact name, or "prefix*"; __Secure-/__Host- prefixes are implied')),
  purpose: LocalizedText,
  duration: LocalizedText,
  provider: z.optional(Text),
  chunked: z._default(z.boolean(), false).check(z.describe('Also matches chunks name.0, name.1, ...')),
  scopes: z._default(z.array(CookieScope).check(z.minLength(1)), [{ path: '/' }]),
  otherDomain: z
    .optional(z.string())
    .check(z.describe('Set on another domain (e.g. razorpay.com): listed on the page, never deleted by the worker')),
  policyUrl: z.optional(WebUrl),
});
export type DeclaredCookie = z.infer<typeof DeclaredCookie>;

/** A list that is empty when left out. */
const list = <T extends z.ZodMiniType>(item: T) => z._default(z.array(item), []);

export const Category = z.strictObject({
  id: CategoryId,
  required: z._default(z.boolean(), false).check(z.describe('Strictly necessary: always on, cannot be refused')),
  title: Localized,
  description: Localized,
  cookies: list(DeclaredCookie),
  scripts: list(SourcePattern),
  iframes: list(SourcePattern),
  requests: list(SourcePattern).check(
    z.describe('Endpoints page code only calls (beacons, collect URLs); the scripts patterns apply to requests too'),
  ),
  endpoints: list(EndpointPattern).check(
    z.describe(
      'The Service\'s own paths that serve only this category ("/api/track*"): while it is refused the worker answers them with 204 and forwards nothing',
    ),
  ),
});
export type Category = z.infer<typeof Category>;

const Regime = z.enum(['opt-in', 'opt-out']);
export type Regime = z.infer<typeof Regime>;

/** Google Consent Mode v2 signals a policy may map to categories (the banner emits each of them). */
export const CONSENT_MODE_SIGNALS = [
  'ad_storage',
  'ad_user_data',
  'ad_personalization',
  'analytics_storage',
  'functionality_storage',
  'personalization_storage',
  'security_storage',
] as const;

/** Interface strings; every locale must carry every key (zod names a missing one by path). */
export const UiTexts = z.strictObject({
  draft: z._default(z.boolean(), false).check(z.describe('Machine or draft translation awaiting legal review')),
  languageName: Text,
  banner: z.strictObject({
    title: Text,
    body: Text,
    acceptAll: Text,
    rejectAll: Text,
    customize: Text,
    privacyChoices: Text,
    skip: Text.check(z.describe('The skip link that leads keyboard users to the banner first')),
    gpcApplied: Text.check(z.describe('Said when a Global Privacy Control signal refused categories; {categories} is their titles')),
  }),
  preferences: z.strictObject({
    title: Text,
    intro: Text,
    save: Text,
    acceptAll: Text,
    rejectAll: Text,
    withdraw: Text,
    close: Text,
    alwaysOn: Text,
    cookiesHeading: Text,
    policyLink: Text,
    receiptLink: Text,
    saved: Text,
    contextualPrompt: Text,
    allow: Text,
  }),
  placeholder: z
    ._default(
      z.strictObject({
        body: Text.check(z.describe('Shown in place of a held embed; {provider} and {category} are filled in')),
        allow: Text.check(z.describe('The button that allows the category and loads the embed in place')),
        undeclared: Text.check(z.describe('Shown in place of an embed the policy does not declare; {provider} is its host')),
      }),
      // A policy written before placeholders existed still parses: English texts until translated.
      {
        body: 'This content from {provider} needs {category}. It stays off until you allow them.',
        allow: 'Allow and load',
        undeclared: 'This content from {provider} stays off: it is not listed in our cookie policy.',
      },
    )
    .check(z.describe('The box shown where a held iframe (or a script marked data-consent-placeholder) would be')),
  page: z.strictObject({
    title: Text,
    effective: Text,
    revision: Text,
    cookie: Text,
    purpose: Text,
    duration: Text,
    provider: Text,
    yourChoices: Text,
    decided: Text,
    undecided: Text,
    legalTextNotice: z.string().check(z.describe('Shown when the legal text is not in this language; may be empty')),
    language: Text,
    browserHelp: Text,
    privacyPolicy: Text.check(z.describe("Link text to a third-party provider's own policy")),
    on: Text,
    off: Text,
  }),
});
export type UiTexts = z.infer<typeof UiTexts>;

/** A block of the legal text: prose, a list, or a generated part (a cookie table, browser links). */
const Block = z.union([
  z.strictObject({ p: Text }),
  z.strictObject({ list: z.array(Text).check(z.minLength(1)) }),
  z.strictObject({ cookieTable: CategoryId }),
  z.strictObject({ browserLinks: z.array(z.strictObject({ name: z.string(), url: WebUrl })).check(z.minLength(1)) }),
]);

const Section = z.strictObject({
  heading: Text,
  blocks: list(Block),
  subsections: list(z.strictObject({ heading: Text, blocks: z.array(Block).check(z.minLength(1)) })),
});

/** A setting with a default: `pattern` names what a valid value looks like. */
const matching = (pattern: RegExp, message: string, fallback: string) => z._default(z.string().check(z.regex(pattern, message)), fallback);

/** A whole number of days (or milliseconds) with a default. */
const count = (fallback: number, ...checks: z.core.$ZodCheck<number>[]) => z._default(z.int().check(...checks), fallback);

/** An object whose keys all have defaults: left out, it is the defaults. */
const settings = <T extends z.ZodMiniType<object>>(schema: T) => z.prefault(schema, {} as z.input<T>);

export const PolicySchema = z.strictObject({
  $schema: z.optional(z.string()),
  revision: z.int().check(z.positive(), z.describe('Raising it asks every visitor again')),
  effectiveDate: z.iso.date(),
  paths: settings(
    z.strictObject({
      prefix: matching(/^\/[A-Za-z0-9_.-]+$/, 'must be a single path segment like "/__consent"', '/__consent'),
      policyPage: matching(/^\/[^?#\s]*$/, 'must be a path like "/cookie-policy"', '/cookie-policy'),
      bypass: list(z.string().check(z.regex(/^\/[^*\s]*\*?$/, 'must be a path or "path-prefix*"'))),
    }),
  ),
  languageCookie: settings(
    z.strictObject({
      name: matching(new RegExp(`^${COOKIE_NAME}$`), 'must be a valid cookie name', 'ce_lang'),
      lifetimeDays: count(365, z.positive(), z.maximum(400)),
    }),
  ).check(z.describe('Remembers the language a visitor chose with a switcher; declare it under the required category')),
  consentCookie: settings(
    z.strictObject({
      name: matching(new RegExp(`^${COOKIE_NAME}$`), 'must be a valid cookie name', 'ce_consent'),
      lifetimeDays: count(182, z.positive()).check(z.describe('Consent lifetime; 6 months by default, 13 at most')),
      domain: z.optional(z.string().check(z.regex(/^[a-z0-9.-]+$/))).check(z.describe('Share consent across subdomains')),
    }),
  ),
  undeclared: z._default(z.enum(['block', 'allow']), 'block').check(z.describe('Set-Cookie of undeclared cookies')),
  undeclaredSources: z
    ._default(z.enum(['block', 'allow']), 'block')
    .check(
      z.describe(
        "A cross-origin <script> or <iframe> no category's patterns match: block holds it for good, allow lets it run; either way it is reported to the drift audit. The site's own origin always runs",
      ),
    ),
  retention: settings(
    z.strictObject({
      claimsPeriodDays: count(1826, z.nonnegative(), z.maximum(3653)).check(
        z.describe(
          'Days a decision record is kept after the consent it proves has lapsed, to answer a complaint or a claim. A record is deleted consentCookie.lifetimeDays + claimsPeriodDays after it was made. Default 1826 (5 years, the longest usual EU limitation period)',
        ),
      ),
    }),
  ).check(z.describe('How long the consent log keeps decision records')),
  gpc: settings(z.strictObject({ refuses: list(CategoryId) })),
  regimes: settings(
    z.strictObject({
      default: z._default(Regime, 'opt-in'),
      regions: z._default(z.record(z.string().check(z.regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'must be "CC" or "CC-RR"')), Regime), {}),
    }),
  ),
  consentMode: settings(
    z.strictObject({
      enabled: z._default(z.boolean(), false),
      waitForUpdateMs: count(500, z.nonnegative()),
      signals: z._default(z.partialRecord(z.enum(CONSENT_MODE_SIGNALS), z.union([CategoryId, z.literal('denied')])), {}),
    }),
  ),
  theme: z._default(z.record(z.string().check(z.regex(/^--ce-[a-z0-9-]+$/, 'must be a CSS variable "--ce-..."')), z.string()), {}),
  defaultLocale: LocaleTag,
  locales: z.record(LocaleTag, UiTexts),
  content: z.strictObject({
    locale: LocaleTag.check(z.describe('Language of the legal text')),
    title: Text,
    controller: Text,
    contactEmail: z.email(),
    intro: list(Text),
    sections: z.array(Section).check(z.minLength(1)),
  }),
  categories: z.array(Category).check(z.minLength(1)),
});

export type PolicyInput = z.input<typeof PolicySchema>;
export type Policy = z.infer<typeof PolicySchema>;
