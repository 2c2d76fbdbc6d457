/**
 * The visitor's current choices and a plain HTML form to change them: it posts to the consent
 * endpoint (docs/enforcement.md) and comes back here with a 303, so it works without JavaScript.
 */
import type { ConsentState } from '../../consent/state';
import type { Policy, UiTexts } from '../../policy/schema';
import { ConsentForm } from '../shared/consent-form';

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
      {/* A settings form without JavaScript, like the preferences page: the log records it so. */}
      <ConsentForm policy={policy} consent={consent} texts={texts} locale={uiLocale} returnTo={policyPage} layout="page" surface="page" />
      {consent.consentId ? (
        <p>
          <a href={`${prefix}/receipt`}>{texts.preferences.receiptLink}</a>
        </p>
      ) : null}
    </section>
  );
}
