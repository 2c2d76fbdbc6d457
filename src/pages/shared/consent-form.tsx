/**
 * The consent form of the visitor's pages: one checkbox per category (the required one checked
 * and locked), and the decision buttons, posting to the consent endpoint so it works
 * without JavaScript. The policy page shows it under "Your choices"; the preferences page and
 * dialog show it with each category's cookies.
 */
import type { Action, Surface } from '../../consent/actions';
import type { ConsentState } from '../../consent/state';
import { cookieRows, localized } from '../../policy/locale';
import type { Category, Policy, UiTexts } from '../../policy/schema';
import { CookieTable } from './cookie-table';

export interface ConsentFormProps {
  policy: Policy;
  consent: ConsentState;
  texts: UiTexts;
  /** A key of `policy.locales`. */
  locale: string;
  /** Same-origin path the form comes back to. */
  returnTo: string;
  /** `page`: the policy page's fieldset; `dialog`: the preferences page and dialog, with cookie tables. */
  layout: 'page' | 'dialog';
  /** Where the decision is made, for its record: the dialog, or a page that works without JavaScript. */
  surface: Extract<Surface, 'dialog' | 'page'>;
}

/** The buttons, in order: each posts one decision action; withdrawing needs a decision to withdraw. */
const ACTIONS: ReadonlyArray<readonly [Action, keyof UiTexts['preferences']]> = [
  ['save', 'save'],
  ['accept-all', 'acceptAll'],
  ['reject-all', 'rejectAll'],
  ['withdraw', 'withdraw'],
];

function PageRow({ policy, consent, texts, locale, category }: ConsentFormProps & { category: Category }) {
  const on = category.required || consent.categories[category.id] === true;
  const id = `category-${category.id}`;
  return (
    <div class="category">
      <input
        type="checkbox"
        id={id}
        name="category"
        value={category.id}
        checked={on}
        disabled={category.required}
        aria-describedby={`${id}-description`}
      />
      <label for={id}>{localized(policy, category, 'title', locale)}</label>
      {/* The saved state, for print (inputs are hidden there); the checkbox itself shows edits. */}
      <span class="state">{category.required ? texts.preferences.alwaysOn : on ? texts.page.on : texts.page.off}</span>
      <p id={`${id}-description`}>{localized(policy, category, 'description', locale)}</p>
    </div>
  );
}

function DialogRow({ policy, consent, texts, locale, category }: ConsentFormProps & { category: Category }) {
  const id = `ce-d-${category.id}`;
  const on = category.required || consent.categories[category.id] === true;
  return (
    <div class="ce-cat">
      <label>
        <input type="checkbox" name="category" value={category.id} checked={on} disabled={category.required} aria-describedby={id} />
        {localized(policy, category, 'title', locale)}
        {category.required ? <span class="ce-on">({texts.preferences.alwaysOn})</span> : null}
      </label>
      <p id={id}>{localized(policy, category, 'description', locale)}</p>
      <CookieTable
        cookies={cookieRows(policy, category, locale)}
        texts={{ ...texts.page, cookiesHeading: texts.preferences.cookiesHeading }}
        layout="compact"
      />
    </div>
  );
}

/**
 * @example
 * <ConsentForm policy={policy} consent={state} texts={policy.locales.en} locale="en" returnTo="/cookie-policy" layout="page" surface="page" />
 */
export function ConsentForm(props: ConsentFormProps) {
  const { policy, consent, texts, layout } = props;
  const actions = layout === 'page' && !consent.decided ? ACTIONS.filter(([action]) => action !== 'withdraw') : ACTIONS;
  return (
    <form method="post" action={policy.paths.prefix}>
      <input type="hidden" name="return" value={props.returnTo} />
      <input type="hidden" name="surface" value={props.surface} />
      <input type="hidden" name="locale" value={props.locale} />
      {layout === 'page' ? (
        <>
          <fieldset>
            <legend>{texts.preferences.title}</legend>
            {policy.categories.map((category) => (
              <PageRow {...props} category={category} />
            ))}
          </fieldset>
          <div class="actions">
            {actions.map(([action, label]) => (
              <button type="submit" name="action" value={action} class={action === 'save' ? 'primary' : undefined}>
                {texts.preferences[label]}
              </button>
            ))}
          </div>
        </>
      ) : (
        <>
          {policy.categories.map((category) => (
            <DialogRow {...props} category={category} />
          ))}
          <div class="ce-actions">
            {actions.map(([action, label]) => (
              <button type="submit" class="ce-btn" name="action" value={action}>
                {texts.preferences[label]}
              </button>
            ))}
          </div>
        </>
      )}
    </form>
  );
}
