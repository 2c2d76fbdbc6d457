/**
 * The HTML report `npm run consent:stats` writes: one self-contained file (inline CSS and SVG, no
 * script, nothing fetched), readable from a phone to a wide screen.
 */
import { type Group, percent, points, revisionChanges, type Stats } from './aggregate';
import { BarList, GroupChart, Legend, ShareBar, TimeChart } from './charts';
import { ACTION_COLOURS, ACTION_LABELS, ACTION_ORDER, count, decisions, gpcLabel, localeLabel, surfaceLabel } from './labels';

export interface ReportMeta {
  /** `local` or `remote`. */
  where: string;
  generatedAt: Date;
}

const CSS = `
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1a1a1a;background:#fff}
main{max-width:64rem;margin:0 auto;padding:1rem 1rem 3rem}
h1{font-size:1.6rem;line-height:1.2;margin:.5rem 0}
h2{font-size:1.2rem;margin:2rem 0 .5rem;border-top:1px solid #ddd;padding-top:1rem}
.muted{color:#555}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.75rem;margin:1rem 0}
.card{border:1px solid #ccc;border-radius:6px;padding:.6rem .8rem}
.card b{display:block;font-size:1.5rem;line-height:1.2}
figure{margin:0}
.time svg{display:block;width:100%;height:14rem;border-left:1px solid #888}
.axis-top,.axis-bottom{display:flex;justify-content:space-between;gap:1rem;font-size:.85rem;color:#333}
.share{display:block;width:100%;height:1.5rem;margin:.35rem 0}
.legend{display:flex;flex-wrap:wrap;gap:.35rem 1rem;list-style:none;padding:0;margin:.5rem 0;font-size:.9rem}
.swatch{display:inline-block;width:.9rem;height:.9rem;border-radius:2px;margin-right:.35rem;vertical-align:-.1rem}
.bars{display:grid;gap:.4rem}
.bar-row{display:grid;grid-template-columns:minmax(6rem,12rem) 1fr 4rem;gap:.75rem;align-items:center}
.bar{display:block;width:100%;height:1.1rem}
.bar-value{text-align:right;font-variant-numeric:tabular-nums}
.groups{display:grid;gap:1rem}
.group-head{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.25rem 1rem}
.group-label{font-weight:600}
.group-figures{margin:.2rem 0 0;font-size:.9rem;color:#333}
table{border-collapse:collapse;width:100%;font-size:.9rem;font-variant-numeric:tabular-nums}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}
th:first-child,td:first-child{text-align:left}
thead th{background:#f3f3f3}
.table-wrap{overflow-x:auto}
details{margin:.5rem 0}summary{cursor:pointer;color:#0645ad}
code{font-size:.9em;overflow-wrap:anywhere}
.notes li{margin:.25rem 0}
.change{border-left:4px solid #0072B2;background:#f4f8fe;padding:.4rem .8rem}
@media (max-width:30rem){.bar-row{grid-template-columns:1fr 3.5rem}.bar-label{grid-column:1/-1;margin-bottom:-.3rem}}
`;

function DataTable({
  stats,
  groups,
  first,
  label,
}: {
  stats: Stats;
  groups: readonly Group[];
  first: string;
  label: (g: Group) => string;
}) {
  return (
    <details>
      <summary>The numbers</summary>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{first}</th>
              <th scope="col">Decisions</th>
              {ACTION_ORDER.map((a) => (
                <th scope="col">{ACTION_LABELS[a]}</th>
              ))}
              {stats.categories.map((id) => (
                <th scope="col">{id} accepted</th>
              ))}
              <th scope="col">GPC</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr>
                <th scope="row">{label(g)}</th>
                <td>{count(g.total)}</td>
                {ACTION_ORDER.map((a) => (
                  <td>{count(g.actions[a])}</td>
                ))}
                {stats.categories.map((id) => (
                  <td>{percent(g.accepted[id], g.choices)}</td>
                ))}
                <td>{percent(g.gpc, g.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function Section({
  title,
  intro,
  stats,
  groups,
  first,
  label,
}: {
  title: string;
  intro?: string;
  stats: Stats;
  groups: readonly Group[];
  first: string;
  label: (g: Group) => string;
}) {
  return (
    <section>
      <h2>{title}</h2>
      {intro ? <p class="muted">{intro}</p> : null}
      <GroupChart stats={stats} groups={groups} label={label} />
      <DataTable stats={stats} groups={groups} first={first} label={label} />
    </section>
  );
}

function Empty({ stats, meta }: { stats: Stats; meta: ReportMeta }) {
  return (
    <p>
      No decisions between {stats.from} and {stats.to} in the {meta.where} database.
    </p>
  );
}

function Figures({ stats }: { stats: Stats }) {
  const { all } = stats;
  const byDay = stats.buckets.map((b) => ({ ...b.tally, key: b.start, firstDay: b.start, lastDay: b.start }));
  return (
    <>
      <div class="cards">
        <div class="card">
          <b>{count(all.total)}</b>decisions
        </div>
        <div class="card">
          <b>{percent(all.actions['accept-all'], all.total)}</b>accept all
        </div>
        <div class="card">
          <b>{percent(all.actions['reject-all'], all.total)}</b>reject all
        </div>
        <div class="card">
          <b>{percent(all.actions.save, all.total)}</b>custom choice
        </div>
        <div class="card">
          <b>{percent(all.gpc, all.total)}</b>with GPC
        </div>
      </div>

      <section>
        <h2>Decisions per {stats.unit}</h2>
        <TimeChart buckets={stats.buckets} unit={stats.unit} />
        <Legend />
        <DataTable stats={stats} groups={byDay} first={stats.unit} label={(g) => g.key} />
      </section>

      <section>
        <h2>How visitors decide</h2>
        <ShareBar tally={all} label="All decisions" />
        <BarList
          rows={ACTION_ORDER.map((a) => ({
            label: ACTION_LABELS[a],
            value: all.total ? all.actions[a] / all.total : 0,
            text: percent(all.actions[a], all.total),
            colour: ACTION_COLOURS[a],
          }))}
        />
        <p class="muted">
          {ACTION_ORDER.map((a) => `${ACTION_LABELS[a]}: ${count(all.actions[a])}`).join(' · ')}. “Custom” is a choice saved in the
          settings; “In context” a category allowed where it was needed (a placeholder, a prompt).
        </p>
      </section>

      <section>
        <h2>Accepted categories</h2>
        <p class="muted">
          Share of the {count(all.choices)} choices (every decision but a withdrawal) after which each category was allowed.
        </p>
        <BarList
          rows={stats.categories.map((id) => ({
            label: id,
            value: all.choices ? all.accepted[id] / all.choices : 0,
            text: percent(all.accepted[id], all.choices),
          }))}
        />
      </section>

      <section>
        <h2>By revision: before and after a change</h2>
        <p class="muted">
          Raising the revision asks every visitor again; a change of text without a new revision is a new version within the same one.
        </p>
        {revisionChanges(stats).map((c) => (
          <p class="change">
            <b>
              Revision {c.from} → {c.to}:
            </b>{' '}
            {`${(['accept-all', 'reject-all', 'save'] as const).map((a) => `${ACTION_LABELS[a]} ${points(c.actions[a])}`).join(' · ')}; accepted: ${stats.categories.map((id) => `${id} ${points(c.accepted[id])}`).join(' · ')}`}
          </p>
        ))}
        <GroupChart stats={stats} groups={stats.byRevision} label={(g) => `Revision ${g.key}, ${g.firstDay} to ${g.lastDay}`} />
        <ul class="muted">
          {stats.byRevision.flatMap((r) =>
            r.versions.map((v) => (
              <li>
                Revision {r.revision}: version <code>{v.fingerprint.slice(0, 12)}</code>, {decisions(v.total)}
                {v.firstSeen ? `, first stored ${v.firstSeen.slice(0, 10)}` : ', texts not in the log'}
              </li>
            )),
          )}
        </ul>
        <DataTable stats={stats} groups={stats.byRevision} first="Revision" label={(g) => g.key} />
      </section>

      <Section title="By language shown" stats={stats} groups={stats.byLocale} first="Locale" label={(g) => localeLabel(g.key)} />
      <Section
        title="By regime"
        intro="Opt-in: nothing optional runs before a choice. Opt-out: allowed until refused (regions ops configured)."
        stats={stats}
        groups={stats.byRegime}
        first="Regime"
        label={(g) => g.key}
      />
      <Section
        title="By where the choice was made"
        stats={stats}
        groups={stats.bySurface}
        first="Surface"
        label={(g) => surfaceLabel(g.key)}
      />
      <Section
        title="Global Privacy Control"
        intro={`${percent(all.gpc, all.total)} of decisions were made while the browser sent GPC, which refuses the categories the policy names for it unless the visitor chose otherwise.`}
        stats={stats}
        groups={stats.byGpc}
        first="Signal"
        label={(g) => gpcLabel(g.key)}
      />
    </>
  );
}

/**
 * @example
 * writeFileSync('consent-stats.html', renderReport(stats, { where: 'local', generatedAt: new Date() }));
 */
export function renderReport(stats: Stats, meta: ReportMeta): string {
  const page = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>
          Consent figures {stats.from} to {stats.to}
        </title>
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <main>
          <h1>Consent figures</h1>
          <p class="muted">
            {stats.from} to {stats.to} (UTC days), {meta.where} database, generated{' '}
            {meta.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.
          </p>
          {stats.all.total === 0 ? <Empty stats={stats} meta={meta} /> : <Figures stats={stats} />}
          <h2>How to read it</h2>
          <ul class="notes muted">
            <li>Counts are decisions, not visitors: a visitor who changes their mind counts again.</li>
            <li>Locale and surface are “not recorded” for decisions made before the log kept them.</li>
            {stats.skipped ? <li>{count(stats.skipped)} grouped rows were not valid decisions and are left out.</li> : null}
          </ul>
        </main>
      </body>
    </html>
  );
  return `<!doctype html>${page}`;
}
