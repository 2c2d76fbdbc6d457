/**
 * The preferences page for visitors without JavaScript and the dialog fragment banner.js inserts:
 * the visitor's consent form (one checkbox per category, its description and cookie table).
 */
import type { Surface } from '../../consent/actions';
import type { ConsentState } from '../../consent/state';
import type { CompiledPolicy } from '../../policy/compile';
import { uiTexts } from '../../policy/locale';
import { ConsentForm } from '../shared/consent-form';
import { GpcNotice } from '../shared/gpc-notice';
import { LanguageSwitcher } from '../shared/language-switcher';

export interface PreferencesProps {
  policy: CompiledPolicy;
  consent: ConsentState;
  /** A key of `policy.locales`. */
  locale: string;
  /** Same-origin path the form comes back to. */
  returnTo: string;
}

/**
 * The form and the links under it. `surface` names it in the decision record: the dialog, or the
 * page visitors without JavaScript use.
 */
export function PreferencesForm(props: PreferencesProps & { surface: Extract<Surface, 'dialog' | 'page'> }) {
  const { policy, returnTo, consent, locale, surface } = props;
  const t = uiTexts(policy.policy, locale);
  const { prefix, policyPage } = policy.policy.paths;
  return (
    <>
      <ConsentForm
        policy={policy.policy}
        consent={consent}
        texts={t}
        locale={locale}
        returnTo={returnTo}
        layout="dialog"
        surface={surface}
      />
      <p class="ce-links">
        <a href={policyPage}>{t.preferences.policyLink}</a> · <a href={`${prefix}/receipt`}>{t.preferences.receiptLink}</a>
      </p>
    </>
  );
}

/** The dialog banner.js opens (`?fragment=1`): labelled, with a visible close button. */
export function PreferencesDialog(props: PreferencesProps) {
  const t = uiTexts(props.policy.policy, props.locale);
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
      <LanguageSwitcher
        policy={props.policy.policy}
        current={props.locale}
        label={t.page.language}
        returnTo={props.returnTo}
        class="ce-lang"
      />
      <p>{t.preferences.intro}</p>
      <GpcNotice policy={props.policy.policy} consent={props.consent} texts={t} locale={props.locale} />
      <PreferencesForm {...props} surface="dialog" />
    </dialog>
  );
}

/** The full page for visitors without JavaScript; styled by banner.css (its theme) and dialog.css. */
export function PreferencesPage(props: PreferencesProps) {
  const t = uiTexts(props.policy.policy, props.locale);
  const prefix = props.policy.policy.paths.prefix;
  return (
    <html lang={props.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{t.preferences.title}</title>
        <link rel="stylesheet" href={`${prefix}/banner.css?v=${props.policy.assets.cssVersion}`} />
        <link rel="stylesheet" href={`${prefix}/dialog.css?v=${props.policy.assets.cssVersion}`} />
      </head>
      <body class="ce-page">
        <main>
          <LanguageSwitcher
            policy={props.policy.policy}
            current={props.locale}
            label={t.page.language}
            returnTo={`${prefix}/preferences?return=${encodeURIComponent(props.returnTo)}`}
            class="ce-lang"
          />
          <h1 class="ce-h">{t.preferences.title}</h1>
          <p>{t.preferences.intro}</p>
          <GpcNotice policy={props.policy.policy} consent={props.consent} texts={t} locale={props.locale} />
          <PreferencesForm {...props} surface="page" />
        </main>
      </body>
    </html>
  );
}
