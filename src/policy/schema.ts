/**
 * The shape of `policy.json`: the one zod schema that validates the policy at build time and at
 * worker start, and from which `policy.schema.json` (editor autocompletion) is generated.
 */
import * as z from 'zod';

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
export const LocaleTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 tag like "en" or "pt-BR"');

/** Text that is translated: one string per locale, keyed by locale tag. */
const Localized = z.record(LocaleTag, z.string().min(1));

/**
 * A cookie's purpose or duration: one string, written in the default locale, or one string per
 * locale. A locale without its own string is shown the default locale's (`policy:check` names it).
 */
export const LocalizedText = z.union([z.string().min(1), Localized]);
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
  .regex(new RegExp(`^${COOKIE_NAME}\\*?$`), 'must be an exact cookie name or "prefix*" (one trailing *)');

/**
 * A source: an absolute http(s) URL with a path, or a same-origin `/path`, optionally ending in
 * one `*`; the host may start with `*.` to match every subdomain. Nothing else, so classification
 * stays a host lookup then the longest path prefix.
 */
export const SourcePattern = z
  .string()
  .regex(
    /^(https?:\/\/(\*\.)?|\/)[^*\s]*\*?$/,
    'must be an absolute http(s) URL (the host may start with "*.") or a /path, optionally ending in one *',
  );

/** A first-party path that serves one category (`/api/track*`): a `/path`, optionally ending in one `*`. */
export const EndpointPattern = z
  .string()
  .regex(/^\/[^*\s#]*\*?$/, "must be a same-origin /path, optionally ending in one * (the Service's own paths only)");

/** Where a declared cookie lives, so the worker can expire it with the same Domain and Path. */
const CookieScope = z.strictObject({
  domain: z
    .string()
    .regex(/^(\$host|[a-z0-9.-]+)$/, 'must be a domain name or "$host" (the request host)')
    .optional()
    .describe('Domain attribute the cookie was set with; "$host" is the request host; absent means host-only'),
  path: z.string().startsWith('/').default('/'),
});

export const DeclaredCookie = z.strictObject({
  name: CookiePattern.describe('Exact name, or "prefix*"; __Secure-/__Host- prefixes are implied'),
  purpose: LocalizedText,
  duration: LocalizedText,
  provider: z.string().min(1).optional(),
  chunked: z.boolean().default(false).describe('Also matches chunks name.0, name.1, ...'),
  scopes: z
    .array(CookieScope)
    .min(1)
    .default([{ path: '/' }]),
  otherDomain: z.string().optional().describe('Set on another domain (e.g. razorpay.com): listed on the page, never deleted by the worker'),
  policyUrl: WebUrl.optional(),
});
export type DeclaredCookie = z.infer<typeof DeclaredCookie>;

export const Category = z.strictObject({
  id: CategoryId,
  required: z.boolean().default(false).describe('Strictly necessary: always on, cannot be refused'),
  title: Localized,
  description: Localized,
  cookies: z.array(DeclaredCookie).default([]),
  scripts: z.array(SourcePattern).default([]),
  iframes: z.array(SourcePattern).default([]),
  requests: z
    .array(SourcePattern)
    .default([])
    .describe('Endpoints page code only calls (beacons, collect URLs); the scripts patterns apply to requests too'),
  endpoints: z
    .array(EndpointPattern)
    .default([])
    .describe(
      'The Service\'s own paths that serve only this category ("/api/track*"): while it is refused the worker answers them with 204 and forwards nothing',
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
  draft: z.boolean().default(false).describe('Machine or draft translation awaiting legal review'),
  languageName: z.string().min(1),
  banner: z.strictObject({
    title: z.string().min(1),
    body: z.string().min(1),
    acceptAll: z.string().min(1),
    rejectAll: z.string().min(1),
    customize: z.string().min(1),
    privacyChoices: z.string().min(1),
    skip: z.string().min(1).describe('The skip link that leads keyboard users to the banner first'),
    gpcApplied: z.string().min(1).describe('Said when a Global Privacy Control signal refused categories; {categories} is their titles'),
  }),
  preferences: z.strictObject({
    title: z.string().min(1),
    intro: z.string().min(1),
    save: z.string().min(1),
    acceptAll: z.string().min(1),
    rejectAll: z.string().min(1),
    withdraw: z.string().min(1),
    close: z.string().min(1),
    alwaysOn: z.string().min(1),
    cookiesHeading: z.string().min(1),
    policyLink: z.string().min(1),
    receiptLink: z.string().min(1),
    saved: z.string().min(1),
    contextualPrompt: z.string().min(1),
    allow: z.string().min(1),
  }),
  placeholder: z
    .strictObject({
      body: z.string().min(1).describe('Shown in place of a held embed; {provider} and {category} are filled in'),
      allow: z.string().min(1).describe('The button that allows the category and loads the embed in place'),
      undeclared: z.string().min(1).describe('Shown in place of an embed the policy does not declare; {provider} is its host'),
    })
    // A policy written before placeholders existed still parses: English texts until translated.
    .default({
      body: 'This content from {provider} needs {category}. It stays off until you allow them.',
      allow: 'Allow and load',
      undeclared: 'This content from {provider} stays off: it is not listed in our cookie policy.',
    })
    .describe('The box shown where a held iframe (or a script marked data-consent-placeholder) would be'),
  page: z.strictObject({
    title: z.string().min(1),
    effective: z.string().min(1),
    revision: z.string().min(1),
    cookie: z.string().min(1),
    purpose: z.string().min(1),
    duration: z.string().min(1),
    provider: z.string().min(1),
    yourChoices: z.string().min(1),
    decided: z.string().min(1),
    undecided: z.string().min(1),
    legalTextNotice: z.string().describe('Shown when the legal text is not in this language; may be empty'),
    language: z.string().min(1),
    browserHelp: z.string().min(1),
    privacyPolicy: z.string().min(1).describe("Link text to a third-party provider's own policy"),
    on: z.string().min(1),
    off: z.string().min(1),
  }),
});
export type UiTexts = z.infer<typeof UiTexts>;

/** A block of the legal text: prose, a list, or a generated part (a cookie table, browser links). */
const Block = z.union([
  z.strictObject({ p: z.string().min(1) }),
  z.strictObject({ list: z.array(z.string().min(1)).min(1) }),
  z.strictObject({ cookieTable: CategoryId }),
  z.strictObject({ browserLinks: z.array(z.strictObject({ name: z.string(), url: WebUrl })).min(1) }),
]);

const Section = z.strictObject({
  heading: z.string().min(1),
  blocks: z.array(Block).default([]),
  subsections: z.array(z.strictObject({ heading: z.string().min(1), blocks: z.array(Block).min(1) })).default([]),
});

export const PolicySchema = z.strictObject({
  $schema: z.string().optional(),
  revision: z.int().positive().describe('Raising it asks every visitor again'),
  effectiveDate: z.iso.date(),
  paths: z
    .strictObject({
      prefix: z
        .string()
        .regex(/^\/[A-Za-z0-9_.-]+$/, 'must be a single path segment like "/__consent"')
        .default('/__consent'),
      policyPage: z
        .string()
        .regex(/^\/[^?#\s]*$/, 'must be a path like "/cookie-policy"')
        .default('/cookie-policy'),
      bypass: z.array(z.string().regex(/^\/[^*\s]*\*?$/, 'must be a path or "path-prefix*"')).default([]),
    })
    .prefault({}),
  languageCookie: z
    .strictObject({
      name: z
        .string()
        .regex(new RegExp(`^${COOKIE_NAME}$`), 'must be a valid cookie name')
        .default('ce_lang'),
      lifetimeDays: z.int().positive().max(400).default(365),
    })
    .prefault({})
    .describe('Remembers the language a visitor chose with a switcher; declare it under the required category'),
  consentCookie: z
    .strictObject({
      name: z
        .string()
        .regex(new RegExp(`^${COOKIE_NAME}$`), 'must be a valid cookie name')
        .default('ce_consent'),
      lifetimeDays: z.int().positive().default(182).describe('Consent lifetime; 6 months by default, 13 at most'),
      domain: z
        .string()
        .regex(/^[a-z0-9.-]+$/)
        .optional()
        .describe('Share consent across subdomains'),
    })
    .prefault({}),
  undeclared: z.enum(['block', 'allow']).default('block').describe('Set-Cookie of undeclared cookies'),
  undeclaredSources: z
    .enum(['block', 'allow'])
    .default('block')
    .describe(
      "A cross-origin <script> or <iframe> no category's patterns match: block holds it for good, allow lets it run; either way it is reported to the drift audit. The site's own origin always runs",
    ),
  retention: z
    .strictObject({
      claimsPeriodDays: z
        .int()
        .nonnegative()
        .max(3653)
        .default(1826)
        .describe(
          'Days a decision record is kept after the consent it proves has lapsed, to answer a complaint or a claim. A record is deleted consentCookie.lifetimeDays + claimsPeriodDays after it was made. Default 1826 (5 years, the longest usual EU limitation period)',
        ),
    })
    .prefault({})
    .describe('How long the consent log keeps decision records'),
  gpc: z.strictObject({ refuses: z.array(CategoryId).default([]) }).prefault({}),
  regimes: z
    .strictObject({
      default: Regime.default('opt-in'),
      regions: z.record(z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'must be "CC" or "CC-RR"'), Regime).default({}),
    })
    .prefault({}),
  consentMode: z
    .strictObject({
      enabled: z.boolean().default(false),
      waitForUpdateMs: z.int().nonnegative().default(500),
      signals: z.partialRecord(z.enum(CONSENT_MODE_SIGNALS), z.union([CategoryId, z.literal('denied')])).default({}),
    })
    .prefault({}),
  theme: z.record(z.string().regex(/^--ce-[a-z0-9-]+$/, 'must be a CSS variable "--ce-..."'), z.string()).default({}),
  defaultLocale: LocaleTag,
  locales: z.record(LocaleTag, UiTexts),
  content: z.strictObject({
    locale: LocaleTag.describe('Language of the legal text'),
    title: z.string().min(1),
    controller: z.string().min(1),
    contactEmail: z.email(),
    intro: z.array(z.string().min(1)).default([]),
    sections: z.array(Section).min(1),
  }),
  categories: z.array(Category).min(1),
});

export type PolicyInput = z.input<typeof PolicySchema>;
export type Policy = z.infer<typeof PolicySchema>;
