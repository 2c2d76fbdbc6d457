/**
 * What a visitor was shown when they decided, as the log kept it: the surface's own texts (the
 * banner, the settings, an in-context prompt), every category with its cookie table, and the
 * policy page's legal text, each in the language it was shown in.
 */
import type { RecordShown } from '../../log/evidence';
import type { DecisionRecord } from '../../log/record';
import type { ShownCategory, ShownLocale } from '../../log/shown';
import type { LegalBlock, LegalText } from '../../log/version';
import { CookieTable } from '../shared/cookie-table';

/**
 * A category's cookie table as the version listed it: the visitor's pages' table, as a record.
 * `uiLang` marks it in the visitor's language inside legal text written in another.
 */
function Cookies({ category, texts, uiLang }: { category: ShownCategory; texts: ShownLocale; uiLang?: string | undefined }) {
  return <CookieTable cookies={category.cookies} texts={texts.page} layout="record" caption={category.title} uiLang={uiLang} />;
}

/** Button labels as the visitor saw them: quoted, never live controls. */
function Buttons({ labels }: { labels: string[] }) {
  return (
    <p class="buttons">
      {labels.map((label) => (
        <span class="button">{label}</span>
      ))}
    </p>
  );
}

function Banner({ texts }: { texts: ShownLocale }) {
  const b = texts.banner;
  return (
    <div class="shown">
      <p class="shown-title">{b.title}</p>
      <p>
        {b.body} <u>{b.policyLink}</u>
      </p>
      <Buttons labels={[b.acceptAll, b.rejectAll, b.customize]} />
    </div>
  );
}

function Settings({ texts }: { texts: ShownLocale }) {
  const d = texts.dialog;
  return (
    <div class="shown">
      <p class="shown-title">{d.title}</p>
      <p>{d.intro}</p>
      <ul>
        {texts.categories.map((c) => (
          <li>
            <strong>{c.title}</strong>
            {c.required ? ` (${d.alwaysOn})` : ''}: {c.description}
          </li>
        ))}
      </ul>
      <Buttons labels={[d.save, d.acceptAll, d.rejectAll, d.withdraw]} />
    </div>
  );
}

function Prompt({ texts }: { texts: ShownLocale }) {
  const p = texts.placeholder;
  return (
    <div class="shown">
      <p>{p.prompt}</p>
      <Buttons labels={[p.allow, p.close]} />
      <p class="hint" lang="en">
        “{'{category}'}” stands for the title of the category asked for.
      </p>
    </div>
  );
}

function SurfaceTexts({ surface, texts }: { surface: DecisionRecord['surface']; texts: ShownLocale }) {
  switch (surface) {
    case 'banner':
      return <Banner texts={texts} />;
    case 'dialog':
    case 'page':
      return <Settings texts={texts} />;
    case 'placeholder':
      return <Prompt texts={texts} />;
    default:
      // A client of the endpoint, or a record from before the surface was kept: no one screen to
      // show, so both the banner and the settings of that version.
      return (
        <>
          <Banner texts={texts} />
          <Settings texts={texts} />
        </>
      );
  }
}

function Block({ block, texts, uiLang }: { block: LegalBlock; texts: ShownLocale; uiLang: string | undefined }) {
  if ('p' in block) return <p>{block.p}</p>;
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
    const category = texts.categories.find((c) => c.id === block.cookieTable);
    return category ? <Cookies category={category} texts={texts} uiLang={uiLang} /> : null;
  }
  return (
    <ul>
      {block.browserLinks.map((link) => (
        <li>
          {link.name}: <span class="url">{link.url}</span>
        </li>
      ))}
    </ul>
  );
}

function Legal({ legal, texts }: { legal: LegalText; texts: ShownLocale }) {
  const uiLang = legal.locale === texts.locale ? undefined : texts.locale;
  return (
    <div lang={legal.locale} class="legal">
      <p class="shown-title">{legal.title}</p>
      {legal.intro.map((p) => (
        <p>{p}</p>
      ))}
      {legal.sections.map((section) => (
        <>
          <p class="legal-h">{section.heading}</p>
          {section.blocks.map((block) => (
            <Block block={block} texts={texts} uiLang={uiLang} />
          ))}
          {section.subsections.map((sub) => (
            <>
              <p class="legal-h3">{sub.heading}</p>
              {sub.blocks.map((block) => (
                <Block block={block} texts={texts} uiLang={uiLang} />
              ))}
            </>
          ))}
        </>
      ))}
      <p>
        {legal.controller} · {legal.contactEmail}
      </p>
    </div>
  );
}

/**
 * @example
 * <ShownTexts record={record} shown={record.shown} />
 */
export function ShownTexts({ record, shown }: { record: DecisionRecord; shown: RecordShown | null }) {
  if (!shown) {
    return (
      <p class="note">
        The texts of this policy version (fingerprint <code>{record.policyHash}</code>) are not in the consent log, so they cannot be shown
        here.
      </p>
    );
  }
  const { texts, legal } = shown;
  return (
    <>
      {record.locale ? null : (
        <p class="note">
          The language was not recorded for this decision; below are the texts in the policy’s default language ({texts.languageName}).
        </p>
      )}
      {texts.draft ? <p class="note">This translation was marked as a draft awaiting legal review when it was shown.</p> : null}
      <div lang={shown.locale}>
        <SurfaceTexts surface={record.surface} texts={texts} />
      </div>
      <details>
        <summary>Categories and cookies, as listed then</summary>
        <div lang={shown.locale}>
          {texts.categories.map((category) => (
            <section class="category">
              <p class="shown-title">
                {category.title}
                {category.required ? ` (${texts.dialog.alwaysOn})` : ''}
              </p>
              <p>{category.description}</p>
              <Cookies category={category} texts={texts} />
            </section>
          ))}
        </div>
      </details>
      <details>
        <summary>The cookie policy page, as published then</summary>
        {legal.locale !== shown.locale && texts.page.legalTextNotice ? (
          <p class="note" lang={shown.locale}>
            {texts.page.legalTextNotice}
          </p>
        ) : null}
        <Legal legal={legal} texts={texts} />
      </details>
    </>
  );
}
