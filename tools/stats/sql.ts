/**
 * The SQL behind `npm run consent:stats`. D1 does the counting: each read is a GROUP BY over a
 * few days of decisions (one row per day and combination of action, version, locale, regime,
 * surface, GPC and accepted set), so a month of ten million decisions comes back as a few
 * thousand rows. `wrangler d1 execute` takes no bound parameters: days are validated, then quoted.
 */
import * as z from 'zod';
import { nextDay, sqlString } from '../export/export';

const Day = z.iso.date();

/** The first and last decision (and how many) within an optional range of days, `to` inclusive. */
export function spanSql(range: { from?: string; to?: string }): string {
  const where: string[] = [];
  if (range.from) where.push(`at >= ${sqlString(Day.parse(range.from))}`);
  if (range.to) where.push(`at < ${sqlString(nextDay(Day.parse(range.to)))}`);
  return `SELECT min(at) AS first, max(at) AS last, count(*) AS decisions FROM consent_decisions${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
}

/**
 * The counts of the days from `from` to `until` (exclusive). `accepted` is grouped as stored (a
 * JSON array in policy order), so equal choices fall into one cell.
 * @example
 * cellsSql('2026-04-01', '2026-04-08') // … WHERE at >= '2026-04-01' AND at < '2026-04-08' GROUP BY …
 */
export function cellsSql(from: string, until: string): string {
  return [
    'SELECT substr(at, 1, 10) AS day, action, revision, policy_hash, locale, regime, surface, gpc, accepted, count(*) AS n',
    'FROM consent_decisions',
    `WHERE at >= ${sqlString(Day.parse(from))} AND at < ${sqlString(Day.parse(until))}`,
    'GROUP BY day, action, revision, policy_hash, locale, regime, surface, gpc, accepted',
  ].join(' ');
}

/** When each policy version was first stored, to tell ops which text a revision's figures are about. */
export const VERSIONS_SQL = 'SELECT fingerprint, revision, effective_date, first_seen FROM policy_versions ORDER BY first_seen';

/**
 * Splits `from`..`to` (inclusive days) into reads of `days` days each.
 * @example
 * chunks('2026-04-01', '2026-04-10', 7) // [['2026-04-01', '2026-04-08'], ['2026-04-08', '2026-04-11']]
 */
export function chunks(from: string, to: string, days: number): [string, string][] {
  const out: [string, string][] = [];
  const end = nextDay(Day.parse(to));
  let start = Day.parse(from);
  while (start < end) {
    let until = start;
    for (let i = 0; i < days && until < end; i++) until = nextDay(until);
    out.push([start, until]);
    start = until;
  }
  return out;
}

/** Decisions one grouped read should cover at most: about 2.5 s of SQLite (bench/consent-log.ts), far below D1's 30 s per query. */
export const ROWS_PER_READ = 200_000;

/**
 * Days per read for a log of `decisions` over `days` days: a week when the log is small, one day
 * at ten million decisions a month (some 330,000 a day).
 * @example
 * chunkDaysFor(40_000, 60) // 31: the whole range in two reads
 * chunkDaysFor(10_000_000, 30) // 1
 */
export function chunkDaysFor(decisions: number, days: number, rowsPerRead = ROWS_PER_READ): number {
  const perDay = decisions / Math.max(1, days);
  return Math.max(1, Math.min(31, Math.floor(rowsPerRead / Math.max(1, perDay))));
}
