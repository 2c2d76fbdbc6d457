/**
 * One category's cookie table, generated from the declared cookies (never hand-written), with
 * the provider and its own policy for third parties and cookies that live on another domain.
 * The policy page shows it in full; the preferences form folds a compact one under each category.
 */
import type { Category, DeclaredCookie, UiTexts } from '../../policy/schema';

export interface CookieTableProps {
  category: Category;
  texts: UiTexts;
  /**
   * `page`: captioned, with row headers and cell labels for narrow screens (the policy page);
   * `compact`: inside a `<details>` (the preferences form).
   */
  layout: 'page' | 'compact';
  /** Title of the category in the interface language (`page` only). */
  caption?: string;
  /** Interface language, set on the headers when the legal text around them is in another. */
  uiLang?: string | undefined;
}

function CookieName({ cookie, layout }: { cookie: DeclaredCookie; layout: CookieTableProps['layout'] }) {
  if (layout === 'compact') return <code>{cookie.name}</code>;
  // A pattern is shown as written (`_ga_*`); chunks are spelled out since that is what browsers show.
  return (
    <>
      <code>{cookie.name}</code>
      {cookie.chunked ? <code>{' (.0, .1, …)'}</code> : null}
    </>
  );
}

function Provider({ cookie, texts, layout }: { cookie: DeclaredCookie; texts: UiTexts['page']; layout: CookieTableProps['layout'] }) {
  const domain = cookie.otherDomain ? ` (${cookie.otherDomain})` : '';
  if (layout === 'compact') {
    return (
      <>
        {cookie.provider ?? ''}
        {domain}
        {cookie.policyUrl ? (
          <>
            {' '}
            <a href={cookie.policyUrl} rel="noopener noreferrer">
              {texts.privacyPolicy}
            </a>
          </>
        ) : null}
      </>
    );
  }
  return (
    <>
      {cookie.provider ?? '—'}
      {domain || null}
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

function Head({ texts }: { texts: UiTexts['page'] }) {
  return (
    <tr>
      <th scope="col">{texts.cookie}</th>
      <th scope="col">{texts.purpose}</th>
      <th scope="col">{texts.duration}</th>
      <th scope="col">{texts.provider}</th>
    </tr>
  );
}

/**
 * @example
 * <CookieTable category={policy.categories[0]} texts={policy.locales.en} layout="page" caption="Essential cookies" />
 */
export function CookieTable({ category, texts, layout, caption, uiLang }: CookieTableProps) {
  if (category.cookies.length === 0) return null;
  const page = texts.page;
  if (layout === 'compact') {
    return (
      <details>
        <summary>{texts.preferences.cookiesHeading}</summary>
        <table>
          <thead>
            <Head texts={page} />
          </thead>
          <tbody>
            {category.cookies.map((cookie) => (
              <tr>
                <td>
                  <CookieName cookie={cookie} layout={layout} />
                </td>
                <td>{cookie.purpose}</td>
                <td>{cookie.duration}</td>
                <td>
                  <Provider cookie={cookie} texts={page} layout={layout} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    );
  }
  return (
    <div class="table-wrap">
      <table id={`cookies-${category.id}`}>
        <caption lang={uiLang}>{caption}</caption>
        <thead lang={uiLang}>
          <Head texts={page} />
        </thead>
        <tbody>
          {category.cookies.map((cookie) => (
            <tr>
              <th scope="row">
                <CookieName cookie={cookie} layout={layout} />
              </th>
              <td data-label={page.purpose}>{cookie.purpose}</td>
              <td data-label={page.duration}>{cookie.duration}</td>
              <td data-label={page.provider}>
                <Provider cookie={cookie} texts={page} layout={layout} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
