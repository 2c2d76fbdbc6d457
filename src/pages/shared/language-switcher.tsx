/**
 * Links to every declared language, each named in its own language: the banner, the dialog, the
 * preferences page and the policy page carry it. Each link goes through the edge, which remembers
 * the choice for the whole site and comes back to `returnTo` (no JavaScript needed).
 */
import { languageHref } from '../language';
import type { Policy } from '../../policy/schema';

export interface LanguageSwitcherProps {
  policy: Policy;
  current: string;
  /** "Language" in the current interface language, the landmark's name. */
  label: string;
  /** Same-origin path to come back to. */
  returnTo: string;
  class?: string;
  /**
   * The banner's compact form, on every page: no list, no `hreflang`, and the current language
   * named (`aria-current`) rather than linked; the others keep their own `lang`.
   */
  bare?: boolean;
}

/**
 * @example
 * <LanguageSwitcher policy={policy} current="hi" label="भाषा" returnTo="/cookie-policy" />
 */
export function LanguageSwitcher({ policy, current, label, returnTo, class: className, bare }: LanguageSwitcherProps) {
  const locales = Object.entries(policy.locales);
  if (locales.length < 2) return null;
  const links = locales.map(([tag, texts]) =>
    bare && tag === current ? (
      // biome-ignore lint/a11y/useValidAnchor: a placeholder link (no href) names the current language, styled as the links
      <a aria-current="true">{texts.languageName}</a>
    ) : (
      <a
        href={languageHref(policy, tag, returnTo)}
        hreflang={bare ? undefined : tag}
        lang={tag}
        aria-current={tag === current ? 'true' : undefined}
      >
        {texts.languageName}
      </a>
    ),
  );
  return (
    <nav aria-label={label} class={className}>
      {bare ? (
        links
      ) : (
        <ul>
          {links.map((link) => (
            <li>{link}</li>
          ))}
        </ul>
      )}
    </nav>
  );
}
