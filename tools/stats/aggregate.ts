/**
 * Consent figures from the grouped counts D1 returns (sql.ts): decisions over time, the share of
 * each action, how often each category is accepted, and the same split by revision, locale,
 * regime, surface and GPC. Pure: plain rows in, plain figures out.
 *
 * Counts are decisions, not visitors: a visitor who decides twice counts twice. A category's
 * acceptance is the share of choices (every decision but a withdrawal) after which it was allowed.
 */
import * as z from 'zod';
import { ACTIONS, type Action } from '../../src/consent/actions';
import { CATEGORY_IDS, type CategoryId, CategoryId as CategoryIdSchema } from '../../src/policy/schema';
import { nextDay } from '../export/export';

const Flag = z.union([z.literal(0), z.literal(1), z.boolean()]).transform((v) => v === 1 || v === true);

/** One grouped row as wrangler returns it. */
const CellRow = z.object({
  day: z.iso.date(),
  action: z.enum(ACTIONS),
  revision: z.number().int(),
  policy_hash: z.string(),
  locale: z.string().nullable(),
  regime: z.string(),
  surface: z.string().nullable(),
  gpc: Flag,
  accepted: z.string(),
  n: z.number().int().nonnegative(),
});

export interface Cell {
  day: string;
  action: Action;
  revision: number;
  fingerprint: string;
  locale: string | null;
  regime: string;
  surface: string | null;
  gpc: boolean;
  accepted: CategoryId[];
  n: number;
}

function acceptedList(json: string): CategoryId[] | null {
  try {
    const parsed = z.array(CategoryIdSchema).safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Rows from wrangler's JSON as cells; a row that is not one is counted in `skipped`, never guessed at. */
export function parseCells(rows: readonly unknown[]): { cells: Cell[]; skipped: number } {
  const cells: Cell[] = [];
  let skipped = 0;
  for (const raw of rows) {
    const row = CellRow.safeParse(raw);
    const accepted = row.success ? acceptedList(row.data.accepted) : null;
    if (!row.success || !accepted) {
      skipped += 1;
      continue;
    }
    const { policy_hash, ...rest } = row.data;
    cells.push({ ...rest, fingerprint: policy_hash, accepted });
  }
  return { cells, skipped };
}

export interface Tally {
  total: number;
  actions: Record<Action, number>;
  /** Decisions that set a choice (every action but withdraw): the base of category acceptance. */
  choices: number;
  /** Per category, the choices after which it was allowed. */
  accepted: Record<CategoryId, number>;
  /** Decisions made while the browser sent Global Privacy Control. */
  gpc: number;
}

export function emptyTally(): Tally {
  return {
    total: 0,
    actions: Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<Action, number>,
    choices: 0,
    accepted: Object.fromEntries(CATEGORY_IDS.map((c) => [c, 0])) as Record<CategoryId, number>,
    gpc: 0,
  };
}

function add(tally: Tally, cell: Cell): void {
  tally.total += cell.n;
  tally.actions[cell.action] += cell.n;
  if (cell.gpc) tally.gpc += cell.n;
  if (cell.action === 'withdraw') return;
  tally.choices += cell.n;
  for (const id of cell.accepted) tally.accepted[id] += cell.n;
}

export interface Group extends Tally {
  key: string;
  firstDay: string;
  lastDay: string;
}

export interface VersionInfo {
  fingerprint: string;
  revision: number;
  firstSeen: string;
}

export interface RevisionGroup extends Group {
  revision: number;
  /** The versions (texts) decided under this revision, with when each was first stored when known. */
  versions: { fingerprint: string; firstSeen: string | null; total: number }[];
}

export type BucketUnit = 'day' | 'week' | 'month';

export interface Bucket {
  /** First day of the bucket. */
  start: string;
  tally: Tally;
}

export interface Stats {
  from: string;
  to: string;
  all: Tally;
  unit: BucketUnit;
  buckets: Bucket[];
  /** Categories a visitor can refuse, in wire order: the ones acceptance is shown for. */
  categories: CategoryId[];
  byRevision: RevisionGroup[];
  byLocale: Group[];
  byRegime: Group[];
  bySurface: Group[];
  byGpc: Group[];
  /** Rows that were not counts of valid decisions. */
  skipped: number;
}

/** Up to three months day by day, up to two years by week (from Monday), then by month. */
export function bucketUnit(from: string, to: string): BucketUnit {
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  return days <= 92 ? 'day' : days <= 731 ? 'week' : 'month';
}

export function bucketStart(day: string, unit: BucketUnit): string {
  if (unit === 'day') return day;
  if (unit === 'month') return `${day.slice(0, 7)}-01`;
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

/** Every bucket from the one holding `from` to the one holding `to`, empty ones included. */
function emptyBuckets(from: string, to: string, unit: BucketUnit): Map<string, Bucket> {
  const out = new Map<string, Bucket>();
  for (let day = from; day <= to; day = nextDay(day)) {
    const start = bucketStart(day, unit);
    if (!out.has(start)) out.set(start, { start, tally: emptyTally() });
  }
  return out;
}

function groupBy(cells: readonly Cell[], keyOf: (cell: Cell) => string): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const cell of cells) {
    const key = keyOf(cell);
    let group = groups.get(key);
    if (!group) {
      group = { ...emptyTally(), key, firstDay: cell.day, lastDay: cell.day };
      groups.set(key, group);
    }
    add(group, cell);
    if (cell.day < group.firstDay) group.firstDay = cell.day;
    if (cell.day > group.lastDay) group.lastDay = cell.day;
  }
  return groups;
}

const byTotal = (a: Group, b: Group) => b.total - a.total || (a.key < b.key ? -1 : 1);

/** What an unrecorded locale or surface (records made before they were kept) is grouped under. */
export const NOT_RECORDED = 'not recorded';

/**
 * The figures for `from`..`to` (inclusive days).
 * @example
 * const stats = aggregate(parseCells(rows).cells, { from: '2026-04-01', to: '2026-04-30' });
 * stats.all.actions['accept-all'] / stats.all.total // the accept-all share
 */
export function aggregate(
  cells: readonly Cell[],
  range: { from: string; to: string },
  versions: readonly VersionInfo[] = [],
  skipped = 0,
): Stats {
  const inRange = cells.filter((c) => c.day >= range.from && c.day <= range.to);
  const all = emptyTally();
  const unit = bucketUnit(range.from, range.to);
  const buckets = emptyBuckets(range.from, range.to, unit);
  for (const cell of inRange) {
    add(all, cell);
    const bucket = buckets.get(bucketStart(cell.day, unit));
    if (bucket) add(bucket.tally, cell);
  }
  const firstSeen = new Map(versions.map((v) => [v.fingerprint, v.firstSeen]));
  const byRevision = [...groupBy(inRange, (c) => String(c.revision)).values()]
    .map((group): RevisionGroup => {
      const revision = Number(group.key);
      const seen = groupBy(
        inRange.filter((c) => c.revision === revision),
        (c) => c.fingerprint,
      );
      const list = [...seen.values()]
        .map((v) => ({ fingerprint: v.key, firstSeen: firstSeen.get(v.key) ?? null, total: v.total }))
        .sort((a, b) => (a.firstSeen ?? '9').localeCompare(b.firstSeen ?? '9'));
      return { ...group, revision, versions: list };
    })
    .sort((a, b) => a.revision - b.revision);
  return {
    from: range.from,
    to: range.to,
    all,
    unit,
    buckets: [...buckets.values()],
    categories: CATEGORY_IDS.filter((id) => id !== 'essential'),
    byRevision,
    byLocale: [...groupBy(inRange, (c) => c.locale ?? NOT_RECORDED).values()].sort(byTotal),
    byRegime: [...groupBy(inRange, (c) => c.regime).values()].sort(byTotal),
    bySurface: [...groupBy(inRange, (c) => c.surface ?? NOT_RECORDED).values()].sort(byTotal),
    byGpc: [...groupBy(inRange, (c) => (c.gpc ? 'gpc' : 'no-gpc')).values()].sort(byTotal),
    skipped,
  };
}

/**
 * `part` of `whole` as a percentage with one decimal; `–` when there is nothing to divide.
 * @example
 * percent(1, 3) // '33.3%'
 */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '–';
}

export interface RevisionChange {
  from: number;
  to: number;
  /** Percentage points of all decisions, per action: what a revision bump did to the choices. */
  actions: Record<Action, number>;
  /** Percentage points of choices, per category. */
  accepted: Record<CategoryId, number>;
}

const share = (part: number, whole: number) => (whole > 0 ? (part / whole) * 100 : 0);

/**
 * From each revision to the next: how each action's share and each category's acceptance moved.
 * @example
 * revisionChanges(stats)[0]?.actions['accept-all'] // -7.6: accept all fell by 7.6 points after the bump
 */
export function revisionChanges(stats: Pick<Stats, 'byRevision'>): RevisionChange[] {
  return stats.byRevision.slice(1).map((after, i) => {
    const before = stats.byRevision[i] as RevisionGroup;
    return {
      from: before.revision,
      to: after.revision,
      actions: Object.fromEntries(
        ACTIONS.map((a) => [a, share(after.actions[a], after.total) - share(before.actions[a], before.total)]),
      ) as Record<Action, number>,
      accepted: Object.fromEntries(
        CATEGORY_IDS.map((c) => [c, share(after.accepted[c], after.choices) - share(before.accepted[c], before.choices)]),
      ) as Record<CategoryId, number>,
    };
  });
}

/**
 * Percentage points with a sign, one decimal.
 * @example
 * points(-7.62) // '−7.6 pts'
 */
export function points(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${Math.abs(rounded).toFixed(1)} pts`;
}
