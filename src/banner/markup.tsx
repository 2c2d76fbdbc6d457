/**
 * The markup the HTMLRewriter injects into every HTML page (docs/enforcement.md, docs/wire-formats.md): the head part (state
 * JSON, Consent Mode default, banner.js, banner.css) and the body part (the banner while the
 * visitor has not decided, or the opt-out "Your Privacy Choices" link).
 */
import type { ConsentState } from '../consent/state';
import type { ClientPolicy, PublicState } from '../core/state';
import type { CompiledPolicy } from '../policy/compile';
import { effectiveLocale, localized, uiTexts } from '../policy/locale';
import { CONSENT_MODE_SIGNALS, type Policy } from '../policy/schema';
import { GpcNotice, gpcRefusedPhrase } from '../pages/shared/gpc-notice';
import { LanguageSwitcher } from '../pages/shared/language-switcher';
import { asciiHtml, scriptJson } from './encode';

export interface MarkupInput {
  policy: CompiledPolicy;
  consent: ConsentState;
  /** A key of `policy.locales` (falls back to the default locale). */
  locale: string;
  /** The nonce of the origin's CSP, for the injected scripts (`scriptNonce`). */
  nonce?: string;
  /** The origin CSP's style nonce (`styleNonce` in src/html/csp.ts), for banner.css's `<link>`. */
  styleNonce?: string;
  /** The page's own path and query: where the banner's forms come back to. */
  returnTo?: string;
}

/** The visitor's part of the state JSON (docs/wire-formats.md fields), built for every page. */
function visitorState(input: MarkupInput): PublicState & { prefix: string; locale: string } {
  const { policy, consent } = input;
  const categories: Record<string, boolean> = {};
  for (const id of policy.ids) categories[id] = id === policy.required || consent.categories[id] === true;
  return {
    revision: consent.revision,
    decided: consent.decided,
    categories,
    gpc: consent.gpc,
    regime: consent.regime,
    consentId: consent.consentId,
    issuedAt: consent.issuedAt,
    expiresAt: consent.expiresAt,
    prefix: policy.policy.paths.prefix,
    locale: effectiveLocale(policy.policy, input.locale),
  };
}

/** The policy's part of the state JSON (classifier, Consent Mode map, prompt texts) per locale. */
function policyState(policy: CompiledPolicy, locale: string): ClientPolicy {
  const texts = uiTexts(policy.policy, locale);
  return {
    classifier: policy.client,
    consentMode: policy.policy.consentMode.enabled ? { ...policy.policy.consentMode.signals } : null,
    texts: {
      prompt: texts.preferences.contextualPrompt,
      allow: texts.preferences.allow,
      close: texts.preferences.close,
      saved: texts.preferences.saved,
      skip: texts.banner.skip,
      titles: Object.fromEntries(policy.policy.categories.map((c) => [c.id, localized(policy.policy, c, 'title', locale)])),
    },
  };
}

/** Markup that is the same on every page: rendered once per policy and key, kept with the policy. */
function once(policy: CompiledPolicy, key: string, build: () => string): string {
  let value = policy.rendered.get(key);
  if (value === undefined) {
    value = build();
    policy.rendered.set(key, value);
  }
  return value;
}

/**
 * The state JSON banner.js reads: the visitor's fields, then the policy's, serialised once per
 * locale (it is most of the bytes and the same on every page).
 */
function stateJson(input: MarkupInput, visitor: ReturnType<typeof visitorState>): string {
  const tail = once(input.policy, `state|${visitor.locale}`, () => scriptJson(policyState(input.policy, visitor.locale)).slice(1));
  return `${scriptJson(visitor).slice(0, -1)},${tail}`;
}

/** Consent Mode v2 signals for the allowed categories; an unmapped signal is denied. */
export function consentModeSignals(policy: Policy, categories: Record<string, boolean>): Record<string, 'granted' | 'denied'> {
  const out: Record<string, 'granted' | 'denied'> = {};
  for (const signal of CONSENT_MODE_SIGNALS) {
    const category = policy.consentMode.signals[signal];
    out[signal] = category && category !== 'denied' && categories[category] ? 'granted' : 'denied';
  }
  return out;
}

const attr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The first child of `<head>`: state JSON, Consent Mode default, banner.js, banner.css. The
 * scripts carry `nonce`, the stylesheet link `styleNonce`.
 * @example rewriter.on('head', { element: (e) => e.prepend(headMarkup(input), { html: true }) })
 */
export function headMarkup(input: MarkupInput): string {
  const nonce = input.nonce ? ` nonce="${attr(input.nonce)}"` : '';
  const styleNonce = input.styleNonce ? ` nonce="${attr(input.styleNonce)}"` : '';
  const [state, mode, script, style] = headParts(input);
  return `${state}${mode === null ? '' : `<script${nonce}>${mode}`}<script${script}${nonce}></script><link${style}${styleNonce}>`;
}

/**
 * The head part without its nonces: the state JSON, the Consent Mode default's code (null when
 * off), the rest of the banner.js and banner.css tags. A visitor with nothing of their own in the
 * state (no consent record: an undecided visitor) gets the same parts as every other such
 * visitor of the same regime and locale, built once per policy; nonces differ per response.
 */
function headParts(input: MarkupInput): HeadParts {
  const { policy, consent } = input;
  const shared = consent.consentId === null && consent.issuedAt === null && consent.expiresAt === null;
  if (!shared) return buildHeadParts(input);
  let cache = headCache.get(policy);
  if (!cache) {
    cache = new Map();
    headCache.set(policy, cache);
  }
  let bits = '';
  for (const id of policy.ids) bits += id === policy.required || consent.categories[id] === true ? '1' : '0';
  const key = `${consent.revision}|${consent.decided}|${consent.gpc}|${consent.regime}|${bits}|${input.locale}`;
  let parts = cache.get(key);
  if (!parts) {
    parts = buildHeadParts(input);
    if (cache.size >= 64) cache.clear();
    cache.set(key, parts);
  }
  return parts;
}

type HeadParts = readonly [state: string, mode: string | null, script: string, style: string];
const headCache = new WeakMap<CompiledPolicy, Map<string, HeadParts>>();

function buildHeadParts(input: MarkupInput): HeadParts {
  const { policy } = input;
  const visitor = visitorState(input);
  const prefix = attr(policy.policy.paths.prefix);
  const v = policy.assets.version;
  const state = `<script type="application/json" id="consent-state">${stateJson(input, visitor)}</script>`;
  let mode: string | null = null;
  if (policy.policy.consentMode.enabled) {
    const defaults = {
      ...consentModeSignals(policy.policy, visitor.categories),
      wait_for_update: policy.policy.consentMode.waitForUpdateMs,
    };
    mode = `window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('consent','default',${scriptJson(defaults)})</script>`;
  }
  return [state, mode, ` src="${prefix}/banner.js?v=${v}"`, ` rel="stylesheet" href="${prefix}/banner.css?v=${v}"`];
}

/** The preferences page URL that comes back to `returnTo`. */
export function preferencesHref(policy: CompiledPolicy, returnTo: string): string {
  return `${policy.policy.paths.prefix}/preferences?return=${encodeURIComponent(returnTo)}`;
}

function Banner(props: { input: MarkupInput; returnTo: string }) {
  const { policy } = props.input;
  const locale = effectiveLocale(policy.policy, props.input.locale);
  const t = uiTexts(policy.policy, locale);
  const { prefix, policyPage } = policy.policy.paths;
  return (
    <section id="consent-edge" aria-labelledby="ce-title" lang={locale} tabindex={-1}>
      <div class="ce-in">
        <div class="ce-top">
          <h2 id="ce-title" class="ce-h">
            {t.banner.title}
          </h2>
          <LanguageSwitcher policy={policy.policy} current={locale} label={t.page.language} returnTo={props.returnTo} class="ce-lang" />
        </div>
        <p>
          {t.banner.body} <a href={policyPage}>{t.preferences.policyLink}</a>
        </p>
        <GpcNotice policy={policy.policy} consent={props.input.consent} texts={t} locale={locale} />
        <div class="ce-actions">
          <form method="post" action={prefix}>
            <input type="hidden" name="return" value={props.returnTo} />
            <input type="hidden" name="surface" value="banner" />
            <input type="hidden" name="locale" value={locale} />
            <button type="submit" class="ce-btn" name="action" value="accept-all">
              {t.banner.acceptAll}
            </button>
            <button type="submit" class="ce-btn" name="action" value="reject-all">
              {t.banner.rejectAll}
            </button>
          </form>
          <a id="cookie-settings" class="ce-btn" href={preferencesHref(policy, props.returnTo)} data-consent-open="">
            {t.banner.customize}
          </a>
        </div>
      </div>
    </section>
  );
}

function PrivacyChoices(props: { input: MarkupInput; returnTo: string }) {
  const { policy } = props.input;
  const locale = effectiveLocale(policy.policy, props.input.locale);
  const label = uiTexts(policy.policy, locale).banner.privacyChoices;
  return (
    <section id="consent-edge" class="ce-link-only" aria-label={label} lang={locale}>
      <a id="cookie-settings" href={preferencesHref(policy, props.returnTo)} data-consent-open="">
        {label}
      </a>
    </section>
  );
}

/**
 * After a decision: a link to the preferences page, hidden until a `#cookie-settings` link makes
 * it the fragment target (CSS `:target`). So the footer link works without JavaScript while the
 * page's own markup stays untouched (React hydration compares it).
 */
function SettingsTarget(props: { input: MarkupInput; returnTo: string }) {
  const { policy } = props.input;
  const locale = effectiveLocale(policy.policy, props.input.locale);
  return (
    <div id="cookie-settings" class="ce-target" lang={locale}>
      <a href={preferencesHref(policy, props.returnTo)} data-consent-open="">
        {uiTexts(policy.policy, locale).preferences.title}
      </a>
    </div>
  );
}

/**
 * The last child of `<body>`: the banner while undecided (opt-in), the "Your Privacy Choices"
 * link in an opt-out region (docs/enforcement.md: others are allowed until refused, no banner), else the
 * `#cookie-settings` target that leads to the preferences page without JavaScript.
 * @example rewriter.on('body', { element: (e) => e.append(bodyMarkup(input), { html: true }) })
 */
export function bodyMarkup(input: MarkupInput): string {
  const returnTo = input.returnTo ?? '/';
  const kind = input.consent.regime === 'opt-out' ? 'choices' : input.consent.decided ? 'target' : 'banner';
  return withReturn(renderedOnce(input, kind), returnTo);
}

/** Stands for the page's path while a part is rendered once per policy, locale and kind. */
const RETURN = '__ce_return__';

/** The body part for a locale, rendered once (JSX and character references) with `RETURN` in it. */
function renderedOnce(input: MarkupInput, kind: 'choices' | 'target' | 'banner'): string {
  // The banner also says which categories a GPC signal refused: one more variant per locale.
  const gpc = kind === 'banner' && gpcRefusedPhrase(input.policy.policy, input.consent, input.locale) !== null ? '|gpc' : '';
  return once(input.policy, `${kind}|${input.locale}${gpc}`, () => {
    const element =
      kind === 'choices' ? (
        <PrivacyChoices input={input} returnTo={RETURN} />
      ) : kind === 'target' ? (
        <SettingsTarget input={input} returnTo={RETURN} />
      ) : (
        <Banner input={input} returnTo={RETURN} />
      );
    return asciiHtml(String(element));
  });
}

/** Puts the page's path in: URL-encoded in the preferences link, attribute-escaped elsewhere. */
function withReturn(html: string, returnTo: string): string {
  const encoded = encodeURIComponent(returnTo);
  const escaped = asciiHtml(attr(returnTo).replace(/>/g, '&gt;').replace(/'/g, '&#39;'));
  // The part split where the path goes once (it is one of a few strings per policy).
  let pieces = returnPieces.get(html);
  if (!pieces) {
    pieces = html.split(RETURN);
    if (returnPieces.size >= 64) returnPieces.clear();
    returnPieces.set(html, pieces);
  }
  let out = pieces[0] ?? '';
  for (let i = 1; i < pieces.length; i++) out += ((pieces[i - 1] ?? '').endsWith('return=') ? encoded : escaped) + (pieces[i] ?? '');
  return out;
}

const returnPieces = new Map<string, string[]>();
