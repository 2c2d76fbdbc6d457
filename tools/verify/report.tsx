/**
 * The report of `npm run verify`: one self-contained HTML page (violations first, then per
 * visitor the pages crawled, the cookies in the jar and the hosts contacted) and the same as JSON.
 */
import type { CategoryId } from '../../src/policy/schema';
import { describeViolation, type HostSummary, type SeenCookie, type Violation } from './judge';
import type { CrawledPage } from './crawl';

export interface StateReport {
  id: string;
  label: string;
  allowed: CategoryId[];
  reported: CategoryId[] | null;
  pages: CrawledPage[];
  cookies: (SeenCookie & { category: CategoryId | null })[];
  hosts: HostSummary[];
  violations: Violation[];
}

export interface VerifyReport {
  site: string;
  policySource: string;
  revision: number;
  startedAt: string;
  finishedAt: string;
  states: StateReport[];
  violations: number;
}

const STYLE = `
:root{color-scheme:light dark;--bad:#b3261e;--ok:#1b6e3a;--line:#8884}
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid var(--line)}
.verdict{padding:.75rem 1rem;border-radius:.5rem;font-weight:600}
.bad{background:#b3261e1a;color:var(--bad)}.ok{background:#1b6e3a1a;color:var(--ok)}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
td{overflow-wrap:anywhere}.scroll{overflow-x:auto}
ul.violations li{color:var(--bad);overflow-wrap:anywhere}
code{font-size:.9em}
`;

const category = (c: CategoryId | null) => c ?? 'undeclared';

function State({ state }: { state: StateReport }) {
  return (
    <section id={state.id}>
      <h2>
        {state.label}: {state.violations.length === 0 ? 'no violation' : `${state.violations.length} violation(s)`}
      </h2>
      <p>
        Allowed by the visitor's choice: <code>{state.allowed.join(', ')}</code>
        {state.reported ? (
          <>
            ; the site reports <code>{state.reported.join(', ')}</code>
          </>
        ) : null}
      </p>
      {state.violations.length ? (
        <ul class="violations">
          {state.violations.map((v) => (
            <li>{describeViolation(v)}</li>
          ))}
        </ul>
      ) : null}
      <h3>Pages crawled ({state.pages.length})</h3>
      <ol>
        {state.pages.map((p) => (
          <li>
            <code>{p.url}</code> ({p.via === 'click' ? 'followed a link' : 'loaded'}
            {p.status ? `, ${p.status}` : ''})
          </li>
        ))}
      </ol>
      <h3>Cookies in the jar ({state.cookies.length})</h3>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Domain</th>
              <th>Category</th>
              <th>HttpOnly</th>
              <th>First seen after</th>
            </tr>
          </thead>
          <tbody>
            {state.cookies.map((c) => (
              <tr>
                <td>
                  <code>{c.name}</code>
                </td>
                <td>{c.domain}</td>
                <td>{category(c.category)}</td>
                <td>{c.httpOnly ? 'yes' : 'no'}</td>
                <td>{c.page}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Hosts contacted outside the site ({state.hosts.length})</h3>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th>Host</th>
              <th>Category</th>
              <th>Requests</th>
              <th>Initiators</th>
            </tr>
          </thead>
          <tbody>
            {state.hosts.map((h) => (
              <tr>
                <td>{h.host}</td>
                <td>{category(h.category)}</td>
                <td>{h.requests}</td>
                <td>{h.initiators.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The whole report as an HTML document (every string escaped by hono/jsx). */
export function renderReport(report: VerifyReport): string {
  const page = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Consent verification: {report.site}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <h1>Consent verification of {report.site}</h1>
        <p class={`verdict ${report.violations ? 'bad' : 'ok'}`}>
          {report.violations ? `${report.violations} violation(s) found` : 'Every choice was enforced: no violation found'}
        </p>
        <p>
          Policy revision {report.revision} from <code>{report.policySource}</code>; crawled from {report.startedAt} to {report.finishedAt}.
        </p>
        <nav>
          <ul>
            {report.states.map((s) => (
              <li>
                <a href={`#${s.id}`}>{s.label}</a>: {s.violations.length} violation(s), {s.pages.length} page(s)
              </li>
            ))}
          </ul>
        </nav>
        {report.states.map((s) => (
          <State state={s} />
        ))}
      </body>
    </html>
  );
  return `<!doctype html>${page}`;
}
