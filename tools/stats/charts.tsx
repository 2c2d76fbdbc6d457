/**
 * The report's charts, hand-written SVG (hono/jsx escapes every value). Bars stretch with the page
 * (`preserveAspectRatio="none"`, strokes that do not scale) and every label is HTML, so text keeps
 * its size from a phone to a wide screen. Each chart has its numbers in a table too.
 */
import type { Action } from '../../src/consent/actions';
import { type Bucket, type BucketUnit, type Group, percent, type Stats, type Tally } from './aggregate';
import { ACTION_COLOURS, ACTION_LABELS, ACTION_ORDER, count, decisions } from './labels';

function segments(tally: Tally): { action: Action; n: number }[] {
  return ACTION_ORDER.map((action) => ({ action, n: tally.actions[action] })).filter((s) => s.n > 0);
}

/** One 100 % bar of the actions' shares. */
export function ShareBar({ tally, label }: { tally: Tally; label: string }) {
  let x = 0;
  const aria = `${label}: ${segments(tally)
    .map((s) => `${ACTION_LABELS[s.action]} ${percent(s.n, tally.total)}`)
    .join(', ')}`;
  return (
    <svg class="share" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label={aria}>
      <rect x="0" y="0" width="100" height="10" fill="#eee" />
      {segments(tally).map((s) => {
        const width = (s.n / tally.total) * 100;
        const rect = (
          <rect x={x.toFixed(3)} y="0" width={width.toFixed(3)} height="10" fill={ACTION_COLOURS[s.action]}>
            <title>{`${ACTION_LABELS[s.action]}: ${count(s.n)} (${percent(s.n, tally.total)})`}</title>
          </rect>
        );
        x += width;
        return rect;
      })}
    </svg>
  );
}

export function Legend() {
  return (
    <ul class="legend">
      {ACTION_ORDER.map((a) => (
        <li>
          <span class="swatch" style={`background:${ACTION_COLOURS[a]}`} />
          {ACTION_LABELS[a]}
        </li>
      ))}
    </ul>
  );
}

/** A value between 0 and 1 as a bar, with its label and its figure beside it. */
export function BarList({ rows }: { rows: { label: string; value: number; text: string; colour?: string }[] }) {
  return (
    <div class="bars">
      {rows.map((row) => (
        <div class="bar-row">
          <span class="bar-label">{row.label}</span>
          <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label={`${row.label}: ${row.text}`}>
            <rect x="0" y="0" width="100" height="10" fill="#eee" />
            <rect x="0" y="0" width={(Math.max(0, Math.min(1, row.value)) * 100).toFixed(3)} height="10" fill={row.colour ?? '#0072B2'} />
          </svg>
          <span class="bar-value">{row.text}</span>
        </div>
      ))}
    </div>
  );
}

const UNIT_WORD: Record<BucketUnit, string> = { day: 'day', week: 'week (from Monday)', month: 'month' };

/** Decisions per day (or week, or month), stacked by action. */
export function TimeChart({ buckets, unit }: { buckets: Bucket[]; unit: BucketUnit }) {
  const max = Math.max(1, ...buckets.map((b) => b.tally.total));
  const slot = 10;
  // A few days would be drawn as slabs: keep room for at least fourteen columns.
  const width = Math.max(buckets.length, 14) * slot;
  const first = buckets[0]?.start ?? '';
  const middle = buckets[Math.floor((buckets.length - 1) / 2)]?.start ?? '';
  const last = buckets.at(-1)?.start ?? '';
  const busiest = buckets.reduce((a, b) => (b.tally.total > a.tally.total ? b : a), buckets[0] ?? { start: '', tally: { total: 0 } });
  return (
    <figure class="time">
      <div class="axis-top">
        <span>{count(max)}</span>
        <span class="muted">decisions per {UNIT_WORD[unit]}</span>
      </div>
      <svg
        viewBox={`0 0 ${width} 100`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Decisions per ${unit}, ${first} to ${last}; the busiest ${unit} is ${busiest.start} with ${count(busiest.tally.total)}`}
      >
        {[25, 50, 75].map((y) => (
          <line x1="0" x2={width} y1={y} y2={y} stroke="#ddd" stroke-width="1" vector-effect="non-scaling-stroke" />
        ))}
        <line x1="0" x2={width} y1="100" y2="100" stroke="#888" stroke-width="1" vector-effect="non-scaling-stroke" />
        {buckets.map((bucket, i) => {
          let top = 100;
          return (
            <g>
              <title>{`${bucket.start}: ${count(bucket.tally.total)} decisions${segments(bucket.tally)
                .map((s) => `, ${ACTION_LABELS[s.action]} ${count(s.n)}`)
                .join('')}`}</title>
              {segments(bucket.tally).map((s) => {
                const height = (s.n / max) * 100;
                top -= height;
                return (
                  <rect x={i * slot + 1} y={top.toFixed(3)} width={slot - 2} height={height.toFixed(3)} fill={ACTION_COLOURS[s.action]} />
                );
              })}
            </g>
          );
        })}
      </svg>
      <div class="axis-bottom">
        <span>{first}</span>
        {buckets.length > 2 ? <span>{middle}</span> : null}
        {buckets.length > 1 ? <span>{last}</span> : null}
      </div>
    </figure>
  );
}

/** Groups (revisions, locales, …): each with its decisions, a share bar and its categories' acceptance. */
export function GroupChart({ stats, groups, label }: { stats: Stats; groups: readonly Group[]; label: (g: Group) => string }) {
  return (
    <div class="groups">
      {groups.map((g) => (
        <div class="group">
          <div class="group-head">
            <span class="group-label">{label(g)}</span>
            <span class="muted">
              {decisions(g.total)} · {percent(g.total, stats.all.total)}
            </span>
          </div>
          <ShareBar tally={g} label={label(g)} />
          <p class="group-figures">
            {ACTION_ORDER.filter((a) => g.actions[a] > 0)
              .map((a) => `${ACTION_LABELS[a]} ${percent(g.actions[a], g.total)}`)
              .join(' · ')}
            <br />
            Accepted: {stats.categories.map((id) => `${id} ${percent(g.accepted[id], g.choices)}`).join(' · ')}
          </p>
        </div>
      ))}
    </div>
  );
}
