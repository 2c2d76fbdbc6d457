/**
 * The visitor's current choices and a plain HTML form to change them: it posts to the consent
 * endpoint (SPEC §4) and comes back here with a 303, so it works without JavaScript.
 */
import type { ConsentState } from '../../consent/state';
import type { Policy, UiTexts } from '../../policy/schema';

export interface ChoicesProps {
  policy: Policy;
  consent: ConsentState;
  texts: UiTexts;
  uiLocale: string;
  /** The issue date of the decision, already formatted for the interface language. */
  decidedOn: string | undefined;
}

/**
 * @example
 * <Choices policy={policy} consent={state} texts={policy.locales.en} uiLocale="en" decidedOn="March 30, 2026" />
 */
export function Choices({ policy, consent, texts, uiLocale, decidedOn }: ChoicesProps) {
  const { prefix, policyPage } = policy.paths;
  const status = consent.decided && decidedOn ? texts.page.decided.replace('{date}', decidedOn) : texts.page.undecided;
  return (
    <section class="choices" aria-labelledby="choices">
      <h2 id="choices">{texts.page.yourChoices}</h2>
      <p role="status">{status}</p>
      <form method="post" action={prefix}>
        <input type="hidden" name="return" value={policyPage} />
        {/* A settings form without JavaScript, like the preferences page: the log records it so. */}
        <input type="hidden" name="surface" value="page" />
        <input type="hidden" name="locale" value={uiLocale} />
        <fieldset>
          <legend>{texts.preferences.title}</legend>
          {policy.categories.map((category) => {
            const on = category.required || consent.categories[category.id] === true;
            const id = `category-${category.id}`;
            const title = category.title[uiLocale] ?? category.title[policy.defaultLocale] ?? category.id;
            const description = category.description[uiLocale] ?? category.description[policy.defaultLocale] ?? '';
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
                <label for={id}>{title}</label>
                {/* The saved state, for print (inputs are hidden there); the checkbox itself shows edits. */}
                <span class="state">{category.required ? texts.preferences.alwaysOn : on ? texts.page.on : texts.page.off}</span>
                <p id={`${id}-description`}>{description}</p>
              </div>
            );
          })}
        </fieldset>
        <div class="actions">
          <button type="submit" name="action" value="save" class="primary">
            {texts.preferences.save}
          </button>
          <button type="submit" name="action" value="accept-all">
            {texts.preferences.acceptAll}
          </button>
          <button type="submit" name="action" value="reject-all">
            {texts.preferences.rejectAll}
          </button>
          {consent.decided ? (
            <button type="submit" name="action" value="withdraw">
              {texts.preferences.withdraw}
            </button>
          ) : null}
        </div>
      </form>
      {consent.consentId ? (
        <p>
          <a href={`${prefix}/receipt`}>{texts.preferences.receiptLink}</a>
        </p>
      ) : null}
    </section>
  );
}
