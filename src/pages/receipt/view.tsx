/**
 * The proof-of-consent receipt as a readable, accessible page (hono/jsx escapes every value): one
 * entry per decision with who, when, how and where, and what the visitor was shown. Rendered by
 * index.tsx; styles carry the CSP nonce, nothing else is loaded.
 */
import type { Evidence } from '../../log/evidence';
import type { DecisionRecord } from '../../log/record';
import { ShownTexts } from './shown';

export interface ReceiptPageProps {
  consentId: string | null;
  records: readonly Evidence[];
  /** The log could not be read just now (D1 down); the page says so instead of "no records". */
  unavailable: boolean;
  /** CSP nonce for the inline style. */
  nonce: string | undefined;
}

const ACTION_LABELS: Record<DecisionRecord['action'], string> = {
  'accept-all': 'Accepted all',
  'reject-all': 'Rejected all',
  save: 'Saved a choice',
  withdraw: 'Withdrew consent',
  contextual: 'Allowed in context',
};

const SURFACE_LABELS: Record<NonNullable<DecisionRecord['surface']>, string> = {
  banner: 'the cookie banner',
  dialog: 'the cookie settings dialog',
  page: 'a cookie settings page without JavaScript (the preferences page, or the form on the cookie policy)',
  placeholder: 'an in-context prompt (such as a placeholder’s “Allow”)',
  api: 'a direct request to the consent endpoint, not the banner or the settings',
};

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}
main{max-width:60rem;margin:0 auto;padding:1.5rem}
h1{line-height:1.2}
article{border:1px solid #888;border-radius:6px;padding:0 1rem 1rem;margin:1.25rem 0}
article h2{font-size:1.15rem;margin:1rem 0 .5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1rem}
dt{font-weight:600}dd{margin:0;min-width:0;overflow-wrap:anywhere}
details{margin:.75rem 0}summary{cursor:pointer;font-weight:600}
.shown{border-left:4px solid #1a73e8;background:#f4f8fe;padding:.5rem 1rem;margin:.5rem 0}
.shown-title,.legal-h{font-weight:600;margin:.75rem 0 .25rem}.legal-h3{font-style:italic;margin:.5rem 0 .25rem}
.buttons{display:flex;flex-wrap:wrap;gap:.5rem}.button{border:1px solid #555;border-radius:4px;padding:.1rem .6rem;background:#fff}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #888;padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f0f0f0}
code,.url{font-size:.9em;overflow-wrap:anywhere}
a{color:#0645ad}a:focus{outline:3px solid #1a73e8;outline-offset:2px}
.note{border-left:4px solid #b45309;padding:.5rem 1rem;background:#fff7ed}
.hint{font-size:.9em;color:#444}
`;

/** `2026-04-01T09:30:05.000Z` → `2026-04-01 09:30:05 UTC`: unambiguous, whatever the reader's locale. */
function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

function list(categories: readonly string[]): string {
  return categories.length ? categories.join(', ') : 'none';
}

function Decision({ record }: { record: Evidence }) {
  const language = record.locale ? `${record.shown?.texts.languageName ?? record.locale} (${record.locale})` : 'not recorded';
  return (
    <article aria-labelledby={`d-${record.id}`}>
      <h2 id={`d-${record.id}`}>
        {ACTION_LABELS[record.action]}, <time datetime={record.at}>{utc(record.at)}</time>
      </h2>
      <dl>
        <dt>Accepted</dt>
        <dd>{list(record.accepted)}</dd>
        <dt>Refused</dt>
        <dd>{list(record.refused)}</dd>
        <dt>Made on</dt>
        <dd>{record.surface ? SURFACE_LABELS[record.surface] : 'not recorded'}</dd>
        <dt>Language</dt>
        <dd>{language}</dd>
        <dt>Page</dt>
        <dd>
          <code>{record.path}</code>
        </dd>
        <dt>Location</dt>
        <dd>{record.country ?? 'unknown'}</dd>
        <dt>Rules</dt>
        <dd>
          {record.regime}
          {record.gpc ? ', Global Privacy Control signal sent' : ''}
        </dd>
        <dt>Policy version</dt>
        <dd>
          Revision {record.revision}, fingerprint <code title={record.policyHash}>{record.policyHash.slice(0, 12)}</code>
        </dd>
      </dl>
      <details open>
        <summary>What you were shown</summary>
        <ShownTexts record={record} shown={record.shown} />
      </details>
    </article>
  );
}

export function ReceiptPage({ consentId, records, unavailable, nonce }: ReceiptPageProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>Your consent record</title>
        <style nonce={nonce}>{STYLE}</style>
      </head>
      <body>
        <main>
          <h1>Your consent record</h1>
          <p>
            This is the record kept as proof of the cookie choices made in this browser: when, how and where each choice was made, and the
            texts and cookie lists you were shown, in the language you saw them. It is read from your consent cookie, so only you can see
            it.
          </p>
          {consentId ? (
            <p>
              Consent id: <code>{consentId}</code>
            </p>
          ) : null}
          {unavailable ? (
            <p class="note" role="status">
              The consent log cannot be read right now. Your choices are still applied; please try again later.
            </p>
          ) : records.length === 0 ? (
            <p role="status">No decision is recorded for this browser.</p>
          ) : (
            <>
              <p role="status">
                {records.length} {records.length === 1 ? 'decision' : 'decisions'}, newest first.
              </p>
              {records.map((record) => (
                <Decision record={record} />
              ))}
            </>
          )}
          <p>A decision appears here a few seconds after it is made.</p>
          <p>
            <a href="preferences">Change your cookie settings</a> · <a href="receipt?format=json">Download this record (JSON)</a>
          </p>
        </main>
      </body>
    </html>
  );
}
