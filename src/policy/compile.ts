/**
 * Compiles a validated policy once, at start-up, into everything the request path reads: the
 * worker's lookup tables (cookie names, script and iframe sources, from src/core), the table the
 * page gets for banner.js, the banner assets as served for this policy with their version, and the
 * policy's fingerprint. Nothing derived from the policy is computed again per request.
 */
import { BANNER_CSS, BANNER_JS, BANNER_VERSION, DIALOG_CSS, DIALOG_JS } from '../banner/assets.gen';
import {
  type Classifier,
  type ClientTable,
  classifierOf,
  clientTable,
  isForeign,
  type PatternEntry,
  UNDECLARED,
} from '../core/client-table';
import { sha256Hex } from '../core/sha256';
import { buildPatternTable, lookupPattern } from '../core/patterns';
import type { PageUrl } from '../core/sources';
import { foldPath } from '../http/path';
import type { ClientPolicy, PromptTexts } from '../core/state';
import { type GatedKind, type TagAttributes, tagCategory } from '../core/tags';
import { resolveUrl } from '../core/url';
import { policyHash } from './digest';
import { localized, uiTexts } from './locale';
import { CONSENT_MODE_SIGNALS, type Category, type CategoryId, type DeclaredCookie, isCategoryId, type Policy } from './schema';

export interface CookieMatch {
  category: CategoryId;
  cookie: DeclaredCookie;
}

/**
 * banner.js and banner.css as served for one policy: the theme is part of the CSS, the policy's
 * client part (classifier, Consent Mode map, prefix, a locale's texts) part of each locale's JS.
 */
export interface BannerAssets {
  css: string;
  /**
   * dialog.css: the preferences dialog's and page's and the contextual prompt's styles, fetched
   * when one is shown. Its `?v=` is `cssVersion`; it takes the theme from banner.css, which is
   * always loaded with it.
   */
  dialogCss: string;
  /** The `?v=` of banner.css and dialog.css: the build's hash, plus the theme's when the policy sets one. */
  cssVersion: string;
  /** The `?v=` of banner.js without its locale: the build's hash and the policy's fingerprint. */
  jsVersion: string;
  /** banner.js for a locale of the policy, built on first use. */
  js(locale: string): string;
  /**
   * dialog.js for a locale: what only the preferences dialog and the contextual prompt need, with
   * the prompt's texts, fetched by banner.js at its own `?v=` (`jsQuery`) when one is first shown.
   */
  dialogJs(locale: string): string;
  /** The `?v=` of a locale's banner.js and dialog.js: `<jsVersion>.<locale>`, the default locale's `<jsVersion>` alone. */
  jsQuery(locale: string): string;
  /** Both versions: what the injected markup depends on besides the policy. */
  version: string;
}

/** The policy, validated and indexed for the request path. */
export interface CompiledPolicy {
  policy: Policy;
  /**
   * SHA-256 hex of the policy's canonical JSON: what decision records name as the texts shown,
   * and part of every validator of a page rendered from the policy.
   */
  fingerprint: string;
  /** Everything the injected markup depends on besides the visitor: the policy and the assets. */
  markupVersion: string;
  /** Category ids in policy order. */
  ids: CategoryId[];
  /** The required category (always `essential` in a valid policy). */
  required: CategoryId;
  /** Categories a visitor can accept or refuse. */
  optional: CategoryId[];
  categories: Map<CategoryId, Category>;
  /** Whether the regime depends on where the visitor is (else `request.cf` need not be read). */
  placeMatters: boolean;
  /** The classifier banner.js is built with (serialisable). */
  client: ClientTable;
  /** The lookups read from `client`: the very code and tables banner.js builds in the page. */
  classifier: Classifier;
  assets: BannerAssets;
  /**
   * Markup rendered from this policy once per locale and kind (the banner, the settings target),
   * filled on first use by the markup module.
   */
  rendered: Map<string, string>;
  /** Whether `id` is a category of this policy. */
  isCategory(id: string): id is CategoryId;
  /** Classifies a cookie name as a browser would send it (`__Host-x`, `x.0` included). */
  classifyCookie(name: string): CookieMatch | undefined;
  /** Classifies a script or iframe `src` as written on `page`, by the categories' source patterns. */
  classifySource(kind: GatedKind, src: string, page: PageUrl): CategoryId | undefined;
  /**
   * The category to hold a script or iframe under on `page`; `UNDECLARED` for a cross-origin
   * source no category declares (held only when `holdsUndeclared`, reported either way);
   * undefined when it is not gated.
   */
  classifyTag(kind: GatedKind, attrs: TagAttributes, page: PageUrl): CategoryId | typeof UNDECLARED | undefined;
  /** Whether undeclared cross-origin sources are held (`undeclaredSources: block`). */
  holdsUndeclared: boolean;
  /** Whether a `classifyTag` or `classifyHint` verdict holds the element for a visitor who allows `allowed`. */
  refuses(verdict: CategoryId | typeof UNDECLARED | undefined, allowed: ReadonlySet<CategoryId>): boolean;
  /** The category whose first-party `endpoints` serve this request path (however spelled), if any. */
  classifyEndpoint(url: { pathname: string }): CategoryId | undefined;
  /** Who a held source belongs to, for its placeholder: a declared cookie's provider on its domain, else its host. */
  providerOf(category: CategoryId | typeof UNDECLARED, src: string, page: PageUrl): string;
  /** The category to hold a `<link>` resource hint under on `page`, or undefined when it is not gated. */
  /** `UNDECLARED` for a hint to another origin no pattern covers, while the policy blocks those. */
  classifyHint(rel: string | null, href: string | null, page: PageUrl): CategoryId | typeof UNDECLARED | undefined;
}

/** A CSS value from the policy, unable to leave its declaration. */
const cssValue = (value: string) => value.replace(/[;{}<>\\\n\r]/g, '');

/** Where the built banner.js takes its policy (scripts/build-banner.ts checks it occurs once). */
const POLICY_SLOT = '__CE_POLICY__';
/** Where the built dialog.js takes the prompt's texts (checked likewise). */
const TEXTS_SLOT = '__CE_TEXTS__';

function bannerAssets(
  policy: Policy,
  fingerprint: string,
  client: (locale: string) => ClientPolicy,
  prompt: (locale: string) => PromptTexts,
): BannerAssets {
  const entries = Object.entries(policy.theme);
  const theme = entries.length ? `:root{${entries.map(([k, v]) => `${k}:${cssValue(v)}`).join(';')}}` : '';
  const cssVersion = theme ? `${BANNER_VERSION}-${sha256Hex(theme).slice(0, 8)}` : BANNER_VERSION;
  const jsVersion = sha256Hex(`${BANNER_VERSION}.${fingerprint}`).slice(0, 8);
  const known = (locale: string) => (Object.hasOwn(policy.locales, locale) ? locale : policy.defaultLocale);
  /** A built script with a locale's data in its slot, made on first use. */
  const perLocale = (built: string, slot: string, data: (locale: string) => unknown) => {
    const scripts = new Map<string, string>();
    return (wanted: string) => {
      const locale = known(wanted);
      let js = scripts.get(locale);
      if (js === undefined) {
        const json = JSON.stringify(data(locale));
        js = built.replace(slot, () => json);
        scripts.set(locale, js);
      }
      return js;
    };
  };
  return {
    css: BANNER_CSS + theme,
    dialogCss: DIALOG_CSS,
    cssVersion,
    jsVersion,
    js: perLocale(BANNER_JS, POLICY_SLOT, client),
    dialogJs: perLocale(DIALOG_JS, TEXTS_SLOT, prompt),
    jsQuery: (wanted) => {
      const locale = known(wanted);
      return locale === policy.defaultLocale ? jsVersion : `${jsVersion}.${locale}`;
    },
    version: `${cssVersion}.${jsVersion}`,
  };
}

/** The policy's part of what banner.js knows, for one locale (src/core/state.ts). */
function clientPolicy(policy: Policy, client: ClientTable, locale: string): ClientPolicy {
  const texts = uiTexts(policy, locale);
  const { consentMode } = policy;
  return {
    prefix: policy.paths.prefix,
    locale,
    revision: policy.revision,
    lifetime: policy.consentCookie.lifetimeDays * 86_400,
    ids: policy.categories.map((c) => c.id),
    required: policy.categories.find((c) => c.required)?.id ?? 'essential',
    classifier: client,
    consentMode: consentMode.enabled ? Object.fromEntries(CONSENT_MODE_SIGNALS.map((s) => [s, consentMode.signals[s] ?? 'denied'])) : null,
    waitForUpdate: consentMode.waitForUpdateMs,
    texts: { saved: texts.preferences.saved, skip: texts.banner.skip },
  };
}

/** The contextual prompt's texts for one locale, built into dialog.js (src/core/state.ts). */
function promptTexts(policy: Policy, locale: string): PromptTexts {
  const { preferences } = uiTexts(policy, locale);
  return {
    prompt: preferences.contextualPrompt,
    allow: preferences.allow,
    close: preferences.close,
    titles: Object.fromEntries(policy.categories.map((c) => [c.id, localized(policy, c, 'title', locale)])),
  };
}

/**
 * Remembers recent source answers: a site's pages carry the same tags on every request, and
 * resolving a `src` was about 8% of the CPU of a small page. Bounded, oldest out first.
 */
const SOURCE_CACHE_SIZE = 1024;
/** A `src` that resolves the same on every page of an origin: rooted, or with a scheme. */
const ORIGIN_RELATIVE = /^\s*(\/|[a-z][a-z0-9+.-]*:)/i;

/**
 * Indexes a validated policy once, at start-up.
 * @example
 * const compiled = compilePolicy(policy);
 * compiled.classifyCookie('__Secure-next-auth.session-token.1')?.category // 'essential'
 */
export function compilePolicy(policy: Policy): CompiledPolicy {
  const declared = new Map(
    policy.categories.flatMap((c) => c.cookies.map((cookie): [string, CookieMatch] => [cookie.name, { category: c.id, cookie }])),
  );
  const sourceEntries = (kind: 'scripts' | 'iframes' | 'requests') =>
    policy.categories.flatMap((c) => c[kind].map((s): PatternEntry => [s, c.id]));
  const client = clientTable({
    cookies: [...declared].map(([pattern, match]) => [pattern, match.category, match.cookie.chunked]),
    scripts: sourceEntries('scripts'),
    iframes: sourceEntries('iframes'),
    requests: sourceEntries('requests'),
    undeclared: policy.undeclared,
    undeclaredSources: policy.undeclaredSources,
    gpc: policy.gpc.refuses,
  });
  // Matched by path alone, folded as lenient origin routers fold it (case, escapes, `;`, `//`,
  // a trailing slash), so no spelling of a refused endpoint slips past to the origin.
  const endpoints = buildPatternTable(
    policy.categories.flatMap((c) => c.endpoints.map((e): [string, CategoryId] => [e.toLowerCase(), c.id])),
  );
  const hasEndpoints = policy.categories.some((c) => c.endpoints.length > 0);
  // A provider named on a cookie the category declares on another domain (Razorpay on razorpay.com).
  const providers = policy.categories.flatMap((c) =>
    c.cookies.flatMap((k) => (k.otherDomain && k.provider ? [[c.id, k.otherDomain.replace(/^\./, ''), k.provider] as const] : [])),
  );
  const categories = new Map(policy.categories.map((c) => [c.id, c]));
  const isCategory = (id: string): id is CategoryId => isCategoryId(id) && categories.has(id);
  // The worker classifies with the lookups banner.js builds from the same table.
  const classifier = classifierOf(client, [...categories.keys()]);
  const resolve = (kind: GatedKind, src: string, page: PageUrl) => {
    const category = classifier.source(kind, src, page);
    return category !== undefined && isCategory(category) ? category : undefined;
  };
  const resolveHint = (rel: string | null, href: string | null, page: PageUrl): CategoryId | typeof UNDECLARED | undefined => {
    const category = classifier.hint(rel, href, page);
    if (category === UNDECLARED) return UNDECLARED;
    return category !== undefined && isCategory(category) ? category : undefined;
  };
  // The same tags are on every page: answers are remembered by what they depend on, the origin,
  // or for a path-relative URL the whole page URL (bounded; the oldest answer goes first).
  const cache = new Map<string, CategoryId | typeof UNDECLARED | null>();
  const remember = (key: string, url: string, page: PageUrl, answer: () => CategoryId | typeof UNDECLARED | undefined) => {
    if (url.length > 2048) return answer();
    const full = `${key} ${ORIGIN_RELATIVE.test(url) ? page.origin : page.href} ${url}`;
    const known = cache.get(full);
    if (known !== undefined) return known ?? undefined;
    const value = answer();
    if (cache.size >= SOURCE_CACHE_SIZE) cache.delete(cache.keys().next().value ?? '');
    cache.set(full, value ?? null);
    return value;
  };
  const classifySource = (kind: GatedKind, src: string, page: PageUrl): CategoryId | undefined => {
    const category = remember(kind, src, page, () => resolve(kind, src, page));
    return category === UNDECLARED ? undefined : category;
  };
  // A tag's source: its category, else UNDECLARED when it is on another origin (the URL parse
  // that tells that costs as much as the lookup).
  const tagSource = (kind: GatedKind, src: string, page: PageUrl) =>
    remember(`tag ${kind}`, src, page, () => classifySource(kind, src, page) ?? (isForeign(src, page) ? UNDECLARED : undefined));
  const holdsUndeclared = policy.undeclaredSources === 'block';
  const fingerprint = policyHash(policy);
  const assets = bannerAssets(
    policy,
    fingerprint,
    (locale) => clientPolicy(policy, client, locale),
    (locale) => promptTexts(policy, locale),
  );
  return {
    policy,
    fingerprint,
    markupVersion: `${fingerprint.slice(0, 16)}.${assets.version}`,
    ids: policy.categories.map((c) => c.id),
    required: policy.categories.find((c) => c.required)?.id ?? 'essential',
    optional: policy.categories.filter((c) => !c.required).map((c) => c.id),
    categories,
    // Unknown places are always opt-in, so only an opt-out regime anywhere makes place matter.
    placeMatters: policy.regimes.default === 'opt-out' || Object.values(policy.regimes.regions).includes('opt-out'),
    client,
    classifier,
    assets,
    rendered: new Map(),
    isCategory,
    classifyCookie: (name) => {
      const entry = classifier.cookie(name);
      return entry && declared.get(entry[0]);
    },
    classifySource,
    classifyTag: (kind, attrs, page) =>
      tagCategory<CategoryId | typeof UNDECLARED>(kind, attrs, isCategory, (src) => tagSource(kind, src, page)),
    holdsUndeclared,
    refuses: (verdict, allowed) => (verdict === UNDECLARED ? holdsUndeclared : verdict !== undefined && !allowed.has(verdict)),
    classifyEndpoint: (url) => {
      if (!hasEndpoints) return undefined;
      const path = foldPath(url.pathname);
      return lookupPattern(endpoints, path) ?? lookupPattern(endpoints, `${path}/`);
    },
    providerOf: (category, src, page) => {
      const host = resolveUrl(src, page.href)?.host.replace(/:\d+$/, '') ?? src;
      const named = providers.find(([c, domain]) => c === category && (host === domain || host.endsWith(`.${domain}`)));
      return named?.[2] ?? host;
    },
    classifyHint: (rel, href, page) =>
      href ? remember(`hint ${rel?.length ?? -1}:${rel}`, href, page, () => resolveHint(rel, href, page)) : resolveHint(rel, href, page),
  };
}
