/**
 * One category's cookie table, generated from the declared cookies (never hand-written), with
 * the provider and its own policy for third parties and cookies that live on another domain.
 * The policy page shows it in full; the preferences form folds a compact one under each category;
 * the receipt shows the table of a past policy version as a record (no live links).
 */

/** One declared cookie as a row: from the policy, or from a policy version the log kept. */
export interface CookieTableRow {
  name: string;
  chunked: boolean;
  purpose: string;
  duration: string;
  /** The language of `purpose` when it is not the table's (a fallback to another locale). */
  purposeLang?: string | null | undefined;
  /** The language of `duration` when it is not the table's. */
  durationLang?: string | null | undefined;
  provider?: string | null;
  otherDomain?: string | null;
  policyUrl?: string | null;
}

/** Column headers, and the link and summary texts the layouts need. */
export interface CookieTableTexts {
  cookie: string;
  purpose: string;
  duration: string;
  provider: string;
  /** The link to a provider's own policy (`page` and `compact`). */
  privacyPolicy?: string;
  /** The summary of the folded table (`compact`). */
  cookiesHeading?: string;
}

export interface CookieTableProps {
  cookies: readonly CookieTableRow[];
  texts: CookieTableTexts;
  /**
   * `page`: captioned, with row headers and cell labels for narrow screens (the policy page);
   * `compact`: inside a `<details>` (the preferences form); `record`: captioned, the policy links
   * written out (the receipt).
   */
  layout: 'page' | 'compact' | 'record';
  /** The table's id (`page`). */
  id?: string;
  /** Title of the category (`page`, `record`). */
  caption?: string;
  /** Interface language, set on the table when the legal text around it is in another. */
  uiLang?: string | undefined;
}

type Layout = CookieTableProps['layout'];

/** A purpose or duration; one that fell back to another locale says its own language. */
function cell(text: string, lang: string | null | undefined) {
  return lang ? <span lang={lang}>{text}</span> : text;
}

function CookieName({ cookie, layout }: { cookie: CookieTableRow; layout: Layout }) {
  if (layout === 'compact') return <code>{cookie.name}</code>;
  // A pattern is shown as written (`_ga_*`); chunks are spelled out since that is what browsers show.
  return (
    <>
      <code>{cookie.name}</code>
      {cookie.chunked ? <code>{' (.0, .1, …)'}</code> : null}
    </>
  );
}

function Provider({ cookie, texts, layout }: { cookie: CookieTableRow; texts: CookieTableTexts; layout: Layout }) {
  const domain = cookie.otherDomain ? ` (${cookie.otherDomain})` : '';
  if (layout !== 'page') {
    return (
      <>
        {cookie.provider ?? (layout === 'record' ? '—' : '')}
        {domain}
        {cookie.policyUrl ? (
          <>
            {' '}
            {layout === 'record' ? (
              <span class="url">{cookie.policyUrl}</span>
            ) : (
              <a href={cookie.policyUrl} rel="noopener noreferrer">
                {texts.privacyPolicy}
              </a>
            )}
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
          <a href={cookie.policyUrl} rel="noopener noreferrer" aria-label={`${cookie.provider ?? ''} ${texts.privacyPolicy ?? ''}`.trim()}>
            {texts.privacyPolicy}
          </a>
        </>
      ) : null}
    </>
  );
}

function Head({ texts }: { texts: CookieTableTexts }) {
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
 * <CookieTable cookies={cookieRows(policy, category, 'en')} texts={policy.locales.en.page} layout="page" id="cookies-essential" caption="Essential cookies" />
 */
export function CookieTable({ cookies, texts, layout, id, caption, uiLang }: CookieTableProps) {
  if (cookies.length === 0) return null;
  if (layout === 'compact') {
    return (
      <details>
        <summary>{texts.cookiesHeading}</summary>
        <table>
          <thead>
            <Head texts={texts} />
          </thead>
          <tbody>
            {cookies.map((cookie) => (
              <tr>
                <td>
                  <CookieName cookie={cookie} layout={layout} />
                </td>
                <td>{cell(cookie.purpose, cookie.purposeLang)}</td>
                <td>{cell(cookie.duration, cookie.durationLang)}</td>
                <td>
                  <Provider cookie={cookie} texts={texts} layout={layout} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    );
  }
  // The policy page labels each cell for narrow screens; a record keeps to the table.
  const label = (text: string) => (layout === 'page' ? text : undefined);
  return (
    <div class="table-wrap">
      <table id={id} lang={uiLang}>
        <caption>{caption}</caption>
        <thead>
          <Head texts={texts} />
        </thead>
        <tbody>
          {cookies.map((cookie) => (
            <tr>
              <th scope="row">
                <CookieName cookie={cookie} layout={layout} />
              </th>
              <td data-label={label(texts.purpose)}>{cell(cookie.purpose, cookie.purposeLang)}</td>
              <td data-label={label(texts.duration)}>{cell(cookie.duration, cookie.durationLang)}</td>
              <td data-label={label(texts.provider)}>
                <Provider cookie={cookie} texts={texts} layout={layout} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
