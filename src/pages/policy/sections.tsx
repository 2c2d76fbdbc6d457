/**
 * The legal text of the policy, block by block: prose, lists, generated cookie tables and the
 * browser help links. Every string is escaped by hono/jsx; nothing from policy.json is raw HTML.
 */
import { cookieRows, localized } from '../../policy/locale';
import type { Policy, UiTexts } from '../../policy/schema';
import { CookieTable } from '../shared/cookie-table';

type Section = Policy['content']['sections'][number];
type Block = Section['blocks'][number];

export interface LegalTextProps {
  policy: Policy;
  texts: UiTexts;
  uiLocale: string;
}

/** Turns the contact address inside a paragraph into a mailto link, leaving the words as written. */
function Prose({ text, email }: { text: string; email: string }) {
  const at = text.indexOf(email);
  if (at < 0) return <p>{text}</p>;
  return (
    <p>
      {text.slice(0, at)}
      <a href={`mailto:${email}`}>{email}</a>
      {text.slice(at + email.length)}
    </p>
  );
}

function BlockView({ block, policy, texts, uiLocale }: LegalTextProps & { block: Block }) {
  const uiLang = uiLocale === policy.content.locale ? undefined : uiLocale;
  if ('p' in block) return <Prose text={block.p} email={policy.content.contactEmail} />;
  if ('list' in block) {
    return (
      <ul>
        {block.list.map((item) => (
          <li>{item}</li>
        ))}
      </ul>
    );
  }
  if ('cookieTable' in block) {
    const category = policy.categories.find((c) => c.id === block.cookieTable);
    if (!category) return null;
    const caption = localized(policy, category, 'title', uiLocale);
    return (
      <CookieTable
        cookies={cookieRows(policy, category, uiLocale)}
        texts={texts.page}
        layout="page"
        id={`cookies-${category.id}`}
        uiLang={uiLang}
        caption={caption}
      />
    );
  }
  return (
    <ul aria-label={texts.page.browserHelp}>
      {block.browserLinks.map((link) => (
        <li>
          <a href={link.url} rel="noopener noreferrer">
            {link.name}
          </a>
        </li>
      ))}
    </ul>
  );
}

/**
 * The whole legal text: intro, numbered sections (h2) and their subsections (h3).
 * @example
 * <LegalText policy={policy} texts={policy.locales.en.page} uiLocale="en" />
 */
export function LegalText(props: LegalTextProps) {
  const { policy } = props;
  return (
    <>
      {policy.content.intro.map((text) => (
        <Prose text={text} email={policy.content.contactEmail} />
      ))}
      {policy.content.sections.map((section, i) => (
        <section aria-labelledby={`s${i + 1}`}>
          <h2 id={`s${i + 1}`}>{section.heading}</h2>
          {section.blocks.map((block) => (
            <BlockView {...props} block={block} />
          ))}
          {section.subsections.map((sub) => (
            <>
              <h3>{sub.heading}</h3>
              {sub.blocks.map((block) => (
                <BlockView {...props} block={block} />
              ))}
            </>
          ))}
        </section>
      ))}
    </>
  );
}
