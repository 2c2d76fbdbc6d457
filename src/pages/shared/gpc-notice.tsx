/**
 * Tells a visitor whose browser sends Global Privacy Control which categories that signal turned
 * off, in their language: the banner, the dialog and the preferences page show it.
 */
import type { ConsentState } from '../../consent/state';
import { localized } from '../../policy/locale';
import type { Policy, UiTexts } from '../../policy/schema';

/** The titles of the categories the signal refused and that are still off, as one phrase. */
export function gpcRefusedPhrase(policy: Policy, consent: ConsentState, locale: string): string | null {
  if (!consent.gpc) return null;
  const off = policy.categories.filter((c) => policy.gpc.refuses.includes(c.id) && consent.categories[c.id] !== true);
  if (!off.length) return null;
  const titles = off.map((c) => localized(policy, c, 'title', locale));
  try {
    return new Intl.ListFormat(locale, { type: 'conjunction' }).format(titles);
  } catch {
    return titles.join(', ');
  }
}

/**
 * @example
 * <GpcNotice policy={policy} consent={state} texts={policy.locales.en} locale="en" />
 */
export function GpcNotice(props: { policy: Policy; consent: ConsentState; texts: UiTexts; locale: string; class?: string }) {
  const phrase = gpcRefusedPhrase(props.policy, props.consent, props.locale);
  if (!phrase) return null;
  return <p class={props.class ?? 'ce-gpc'}>{props.texts.banner.gpcApplied.replace('{categories}', phrase)}</p>;
}
