/**
 * Links to the page in every declared language (`?lang=xx`), each named in its own language.
 */
import type { Policy } from '../../policy/schema';

export interface LanguageSwitcherProps {
  policy: Policy;
  current: string;
  /** "Language" in the current interface language, the landmark's name. */
  label: string;
}

/**
 * @example
 * <LanguageSwitcher policy={policy} current="hi" label="भाषा" />
 */
export function LanguageSwitcher({ policy, current, label }: LanguageSwitcherProps) {
  const locales = Object.entries(policy.locales);
  if (locales.length < 2) return null;
  return (
    <nav aria-label={label}>
      <ul>
        {locales.map(([tag, texts]) => (
          <li>
            <a href={`?lang=${encodeURIComponent(tag)}`} hreflang={tag} lang={tag} aria-current={tag === current ? 'true' : undefined}>
              {texts.languageName}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
