/**
 * The preferences form (one checkbox per optional category, its description and cookie list),
 * shared by the full no-JS page and the dialog fragment banner.js inserts. Posts to the prefix.
 */
import { assetVersion } from '../../banner/assets';
import { localized, uiTexts } from '../../banner/texts';
import type { Action, Surface } from '../../consent/actions';
import type { ConsentState } from '../../consent/state';
import type { CompiledPolicy } from '../../policy/compile';
import type { Category, UiTexts } from '../../policy/schema';

export interface PreferencesProps {
  policy: CompiledPolicy;
  consent: ConsentState;
  /** A key of `policy.locales`. */
  locale: string;
  /** Same-origin path the form comes back to. */
  returnTo: string;
}

function CookieTable(props: { category: Category; t: UiTexts }) {
  const { category, t } = props;
  if (!category.cookies.length) return null;
  return (
    <details>
      <summary>{t.preferences.cookiesHeading}</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">{t.page.cookie}</th>
            <th scope="col">{t.page.purpose}</th>
            <th scope="col">{t.page.duration}</th>
            <th scope="col">{t.page.provider}</th>
          </tr>
        </thead>
        <tbody>
          {category.cookies.map((cookie) => (
            <tr>
              <td>
                <code>{cookie.name}</code>
              </td>
              <td>{cookie.purpose}</td>
              <td>{cookie.duration}</td>
              <td>
                {cookie.provider ?? ''}
                {cookie.otherDomain ? ` (${cookie.otherDomain})` : ''}
                {cookie.policyUrl ? (
                  <>
                    {' '}
                    <a href={cookie.policyUrl} rel="noopener noreferrer">
                      {t.page.privacyPolicy}
                    </a>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function CategoryRow(props: PreferencesProps & { category: Category; t: UiTexts }) {
  const { policy, consent, locale, category, t } = props;
  const id = `ce-d-${category.id}`;
  const on = category.required || consent.categories[category.id] === true;
  return (
    <div class="ce-cat">
      <label>
        <input type="checkbox" name="category" value={category.id} checked={on} disabled={category.required} aria-describedby={id} />
        {localized(policy, category, 'title', locale)}
        {category.required ? <span class="ce-on">({t.preferences.alwaysOn})</span> : null}
      </label>
      <p id={id}>{localized(policy, category, 'description', locale)}</p>
      <CookieTable category={category} t={t} />
    </div>
  );
}

/** The form's buttons, in order: each posts one decision action (consent/actions.ts). */
const FORM_ACTIONS: ReadonlyArray<readonly [Action, keyof UiTexts['preferences']]> = [
  ['save', 'save'],
  ['accept-all', 'acceptAll'],
  ['reject-all', 'rejectAll'],
  ['withdraw', 'withdraw'],
];

/**
 * The form and the links under it. `surface` names it in the decision record: the dialog, or the
 * page visitors without JavaScript use.
 */
export function PreferencesForm(props: PreferencesProps & { surface: Extract<Surface, 'dialog' | 'page'> }) {
  const { policy, returnTo } = props;
  const t = uiTexts(policy, props.locale);
  const { prefix, policyPage } = policy.policy.paths;
  return (
    <>
      <form method="post" action={prefix}>
        <input type="hidden" name="return" value={returnTo} />
        <input type="hidden" name="surface" value={props.surface} />
        <input type="hidden" name="locale" value={props.locale} />
        {policy.policy.categories.map((category) => (
          <CategoryRow {...props} category={category} t={t} />
        ))}
        <div class="ce-actions">
          {FORM_ACTIONS.map(([action, label]) => (
            <button type="submit" class="ce-btn" name="action" value={action}>
              {t.preferences[label]}
            </button>
          ))}
        </div>
      </form>
      <p class="ce-links">
        <a href={policyPage}>{t.preferences.policyLink}</a> · <a href={`${prefix}/receipt`}>{t.preferences.receiptLink}</a>
      </p>
    </>
  );
}

/** The dialog banner.js opens (`?fragment=1`): labelled, with a visible close button. */
export function PreferencesDialog(props: PreferencesProps) {
  const t = uiTexts(props.policy, props.locale);
  return (
    <dialog class="ce-dialog" aria-labelledby="ce-pref-title" lang={props.locale}>
      <div class="ce-top">
        <h2 id="ce-pref-title" class="ce-h">
          {t.preferences.title}
        </h2>
        <button type="button" class="ce-x" data-consent-close="">
          {t.preferences.close}
        </button>
      </div>
      <p>{t.preferences.intro}</p>
      <PreferencesForm {...props} surface="dialog" />
    </dialog>
  );
}

/** The full page for visitors without JavaScript; styled by banner.css only. */
export function PreferencesPage(props: PreferencesProps) {
  const t = uiTexts(props.policy, props.locale);
  const prefix = props.policy.policy.paths.prefix;
  return (
    <html lang={props.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{t.preferences.title}</title>
        <link rel="stylesheet" href={`${prefix}/banner.css?v=${assetVersion(props.policy)}`} />
      </head>
      <body class="ce-page">
        <main>
          <h1 class="ce-h">{t.preferences.title}</h1>
          <p>{t.preferences.intro}</p>
          <PreferencesForm {...props} surface="page" />
        </main>
      </body>
    </html>
  );
}
