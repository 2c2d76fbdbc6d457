/**
 * The cookie policy page as one document: header with dates and languages, the visitor's choices,
 * the legal text (marked with its own language when it differs from the interface), a footer.
 */
import type { ConsentState } from '../../consent/state';
import { uiTexts } from '../../policy/locale';
import type { Policy } from '../../policy/schema';
import { Choices } from './choices';
import { LanguageSwitcher } from '../shared/language-switcher';
import { LegalText } from './sections';
import { POLICY_CSS } from './style';

export interface PolicyPageProps {
  policy: Policy;
  consent: ConsentState;
  /** A key of `policy.locales`. */
  locale: string;
}

/** `2026-03-30` or Unix seconds as a long date in the given language; ISO when Intl cannot. */
export function formatDate(value: string | number, locale: string): string {
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return String(value);
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

/**
 * @example
 * const html = `<!doctype html>${<PolicyPage policy={policy} consent={state} locale="en" />}`;
 */
export function PolicyPage({ policy, consent, locale }: PolicyPageProps) {
  const texts = uiTexts(policy, locale);
  const legalLang = policy.content.locale;
  const translated = legalLang !== locale;
  const decidedOn = consent.issuedAt ? formatDate(consent.issuedAt, locale) : undefined;
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{texts.page.title}</title>
        <style dangerouslySetInnerHTML={{ __html: POLICY_CSS }} />
      </head>
      <body>
        <a class="skip" href="#policy">
          {texts.page.title}
        </a>
        <header>
          <LanguageSwitcher policy={policy} current={locale} label={texts.page.language} returnTo={policy.paths.policyPage} />
          <h1>{texts.page.title}</h1>
          <p class="meta">
            {texts.page.effective}: <time datetime={policy.effectiveDate}>{formatDate(policy.effectiveDate, locale)}</time>
            {' · '}
            {texts.page.revision}: {policy.revision}
          </p>
        </header>
        <main>
          {translated && texts.page.legalTextNotice ? (
            <p class="notice" role="note">
              {texts.page.legalTextNotice}
            </p>
          ) : null}
          <Choices policy={policy} consent={consent} texts={texts} uiLocale={locale} decidedOn={decidedOn} />
          <article id="policy" lang={translated ? legalLang : undefined} aria-label={policy.content.title}>
            {translated ? (
              <p class="meta">
                {uiTexts(policy, legalLang).page.effective}:{' '}
                <time datetime={policy.effectiveDate}>{formatDate(policy.effectiveDate, legalLang)}</time>
              </p>
            ) : null}
            <LegalText policy={policy} texts={texts} uiLocale={locale} />
          </article>
        </main>
        <footer>
          <p>
            {policy.content.controller} · <a href={`mailto:${policy.content.contactEmail}`}>{policy.content.contactEmail}</a>
          </p>
        </footer>
      </body>
    </html>
  );
}
