/**
 * One category's cookie table, generated from the declared cookies (never hand-written), with
 * the provider and its own policy for third parties and cookies that live on another domain.
 */
import type { Category, DeclaredCookie, UiTexts } from '../../policy/schema';

export interface CookieTableProps {
  category: Category;
  texts: UiTexts['page'];
  /** Interface language, set on the headers when the legal text around them is in another. */
  uiLang: string | undefined;
  /** Title of the category in the interface language. */
  caption: string;
}

function CookieName({ cookie }: { cookie: DeclaredCookie }) {
  // A pattern is shown as written (`_ga_*`); chunks are spelled out since that is what browsers show.
  return (
    <>
      <code>{cookie.name}</code>
      {cookie.chunked ? <code>{' (.0, .1, …)'}</code> : null}
    </>
  );
}

function Provider({ cookie, texts }: { cookie: DeclaredCookie; texts: UiTexts['page'] }) {
  return (
    <>
      {cookie.provider ?? '—'}
      {cookie.otherDomain ? <> ({cookie.otherDomain})</> : null}
      {cookie.policyUrl ? (
        <>
          <br />
          <a href={cookie.policyUrl} rel="noopener noreferrer" aria-label={`${cookie.provider ?? ''} ${texts.privacyPolicy}`.trim()}>
            {texts.privacyPolicy}
          </a>
        </>
      ) : null}
    </>
  );
}

/**
 * @example
 * <CookieTable category={policy.categories[0]} texts={locales.en.page} uiLang={undefined} caption="Essential cookies" />
 */
export function CookieTable({ category, texts, uiLang, caption }: CookieTableProps) {
  if (category.cookies.length === 0) return null;
  return (
    <div class="table-wrap">
      <table id={`cookies-${category.id}`}>
        <caption lang={uiLang}>{caption}</caption>
        <thead lang={uiLang}>
          <tr>
            <th scope="col">{texts.cookie}</th>
            <th scope="col">{texts.purpose}</th>
            <th scope="col">{texts.duration}</th>
            <th scope="col">{texts.provider}</th>
          </tr>
        </thead>
        <tbody>
          {category.cookies.map((cookie) => (
            <tr>
              <th scope="row">
                <CookieName cookie={cookie} />
              </th>
              <td data-label={texts.purpose}>{cookie.purpose}</td>
              <td data-label={texts.duration}>{cookie.duration}</td>
              <td data-label={texts.provider}>
                <Provider cookie={cookie} texts={texts} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
