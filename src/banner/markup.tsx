/**
 * The markup the HTMLRewriter injects into every HTML page (docs/enforcement.md, docs/wire-formats.md): the head part (the
 * visitor's state JSON, banner.js, banner.css) and the body part (the banner while the
 * visitor has not decided, or the opt-out "Your Privacy Choices" link).
 */
import type { ConsentState } from '../consent/state';
import { pageState } from '../core/state';
import type { CompiledPolicy } from '../policy/compile';
import { effectiveLocale, uiTexts } from '../policy/locale';
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

/** Markup that is the same on every page: rendered once per policy and key, kept with the policy. */
export function once(policy: CompiledPolicy, key: string, build: () => string): string {
  let value = policy.rendered.get(key);
  if (value === undefined) {
    value = build();
    policy.rendered.set(key, value);
  }
  return value;
}

const attr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The first child of `<head>`: the visitor's state JSON, banner.js (with the policy, the Consent
 * Mode default and the locale's texts inside, so a page carries only what is per visitor) and
 * banner.css. The script carries `nonce`, the stylesheet link `styleNonce`.
 * @example rewriter.on('head', { element: (e) => e.prepend(headMarkup(input), { html: true }) })
 */
export function headMarkup(input: MarkupInput): string {
  const { policy, consent } = input;
  const prefix = attr(policy.policy.paths.prefix);
  const locale = effectiveLocale(policy.policy, input.locale);
  const state = pageState(consent, policy.ids, policy.required);
  const nonce = input.nonce ? ` nonce="${attr(input.nonce)}"` : '';
  const styleNonce = input.styleNonce ? ` nonce="${attr(input.styleNonce)}"` : '';
  return (
    `<script type="application/json" id="consent-state">${scriptJson(state)}</script>` +
    `<script src="${prefix}/banner.js?v=${attr(policy.assets.jsQuery(locale))}"${nonce}></script>` +
    `<link rel="stylesheet" href="${prefix}/banner.css?v=${policy.assets.cssVersion}"${styleNonce}>`
  );
}

/** The preferences page URL that comes back to `returnTo`. */
export function preferencesHref(policy: CompiledPolicy, returnTo: string): string {
  return `${policy.policy.paths.prefix}/preferences?return=${encodeURIComponent(returnTo)}`;
}

/**
 * The banner, as small as it can be while it works without JavaScript: the title, the language
 * links, the text, and one form (Accept all, Reject all, and Customize, a link to the preferences
 * page) laid out by banner.css, which styles the form's three as equal buttons.
 */
function Banner(props: { input: MarkupInput; returnTo: string }) {
  const { policy } = props.input;
  const locale = effectiveLocale(policy.policy, props.input.locale);
  const t = uiTexts(policy.policy, locale);
  const { prefix, policyPage } = policy.policy.paths;
  return (
    <section id="consent-edge" aria-labelledby="ce-title" lang={locale}>
      <h2 id="ce-title">{t.banner.title}</h2>
      <LanguageSwitcher policy={policy.policy} current={locale} label={t.page.language} returnTo={props.returnTo} bare />
      <p>
        {t.banner.body} <a href={policyPage}>{t.preferences.policyLink}</a>
      </p>
      <GpcNotice policy={policy.policy} consent={props.input.consent} texts={t} locale={locale} />
      <form method="post" action={prefix}>
        <input type="hidden" name="return" value={props.returnTo} />
        <input type="hidden" name="surface" value="banner" />
        <input type="hidden" name="locale" value={locale} />
        <button type="submit" name="action" value="accept-all">
          {t.banner.acceptAll}
        </button>
        <button type="submit" name="action" value="reject-all">
          {t.banner.rejectAll}
        </button>
        <a id="cookie-settings" href={preferencesHref(policy, props.returnTo)}>
          {t.banner.customize}
        </a>
      </form>
    </section>
  );
}

function PrivacyChoices(props: { input: MarkupInput; returnTo: string }) {
  const { policy } = props.input;
  const locale = effectiveLocale(policy.policy, props.input.locale);
  const label = uiTexts(policy.policy, locale).banner.privacyChoices;
  return (
    <section id="consent-edge" class="ce-link-only" aria-label={label} lang={locale}>
      <a id="cookie-settings" href={preferencesHref(policy, props.returnTo)}>
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
      <a href={preferencesHref(policy, props.returnTo)}>{uiTexts(policy.policy, locale).preferences.title}</a>
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
export const RETURN = '__ce_return__';

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
    return compactHtml(asciiHtml(String(element)));
  });
}

/**
 * The rendered markup in fewer bytes, parsed the same: no `/` closing a void element, no `=""`,
 * no `type=submit` on a button (its default),
 * no quotes around a value that needs none (letters, digits, `-_.:/`; never the page's path,
 * nor the ids page code and styles look for as written), and `&return=` in URLs unescaped (no
 * character reference starts with `return`, so the parser reads it as written).
 */
export function compactHtml(html: string): string {
  return html
    .replace(/\s*\/>/g, '>')
    .replace(/(<[^>]*?) ([\w-]+)=""/g, '$1 $2')
    .replaceAll('&amp;return=', '&return=')
    .replace(/ ([\w-]+)="([\w.:/-]+)"/g, (all, name: string, value: string) =>
      value === 'consent-edge' || value === 'cookie-settings' || value.includes(RETURN) ? all : ` ${name}=${value}`,
    )
    .replaceAll('<button type=submit ', '<button ');
}

/** Puts the page's path in: URL-encoded in the preferences link, attribute-escaped elsewhere. */
export function withReturn(html: string, returnTo: string): string {
  const encoded = encodeURIComponent(returnTo);
  const escaped = asciiHtml(attr(returnTo).replace(/>/g, '&gt;').replace(/'/g, '&#39;'));
  return html.replaceAll(`return=${RETURN}`, () => `return=${encoded}`).replaceAll(RETURN, () => escaped);
}
