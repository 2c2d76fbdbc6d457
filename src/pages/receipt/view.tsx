/**
 * The proof-of-consent receipt as a readable, accessible page (hono/jsx escapes every value).
 * Rendered by receipt.ts; styles carry the CSP nonce, nothing else is loaded.
 */
import type { DecisionRecord } from '../../log/record';

export interface ReceiptPageProps {
  consentId: string | null;
  records: readonly DecisionRecord[];
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

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}
main{max-width:60rem;margin:0 auto;padding:1.5rem}
table{border-collapse:collapse;width:100%;margin:1rem 0}
caption{text-align:left;font-weight:600;padding:.5rem 0}
th,td{border:1px solid #888;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}
code{font-size:.9em;word-break:break-all}
a{color:#0645ad}a:focus{outline:3px solid #1a73e8;outline-offset:2px}
.note{border-left:4px solid #b45309;padding:.5rem 1rem;background:#fff7ed}
`;

/** `2026-04-01T09:30:05.000Z` → `2026-04-01 09:30:05 UTC`: unambiguous, whatever the reader's locale. */
function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

function list(categories: readonly string[]): string {
  return categories.length ? categories.join(', ') : 'none';
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
            This is the record kept as proof of the cookie choices made in this browser. It is read from your consent cookie, so only you
            can see it.
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
            <table>
              <caption>Decisions, newest first ({records.length})</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Decision</th>
                  <th scope="col">Accepted</th>
                  <th scope="col">Refused</th>
                  <th scope="col">Policy version</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {records.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <time datetime={r.at}>{utc(r.at)}</time>
                    </td>
                    <td>{ACTION_LABELS[r.action]}</td>
                    <td>{list(r.accepted)}</td>
                    <td>{list(r.refused)}</td>
                    <td>
                      Revision {r.revision}, text fingerprint <code title={r.policyHash}>{r.policyHash.slice(0, 12)}</code>
                    </td>
                    <td>
                      On page <code>{r.path}</code>
                      {r.gpc ? ', Global Privacy Control signal sent' : ''}
                      {r.country ? `, from ${r.country}` : ''}, {r.regime} rules
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
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
