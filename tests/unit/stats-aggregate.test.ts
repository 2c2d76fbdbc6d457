/**
 * `npm run consent:stats` as pure functions: the grouped rows D1 returns turned into figures, the
 * SQL that asks for them, the terminal table and the report's HTML.
 */
import { describe, expect, it } from 'vitest';
import {
  aggregate,
  bucketStart,
  bucketUnit,
  type Cell,
  NOT_RECORDED,
  parseCells,
  percent,
  points,
  revisionChanges,
} from '../../tools/stats/aggregate';
import { renderReport } from '../../tools/stats/report';
import { cellsSql, chunkDaysFor, chunks, spanSql } from '../../tools/stats/sql';
import { formatSummary } from '../../tools/stats/terminal';

const V1 = '1'.repeat(64);
const V2 = '2'.repeat(64);
const ALL = '["essential","functional","analytics","third-party"]';

/** A grouped row as wrangler returns it. */
function row(overrides: Record<string, unknown> = {}) {
  return {
    day: '2026-04-01',
    action: 'accept-all',
    revision: 1,
    policy_hash: V1,
    locale: 'en',
    regime: 'opt-in',
    surface: 'banner',
    gpc: 0,
    accepted: ALL,
    n: 10,
    ...overrides,
  };
}

const ROWS = [
  row(),
  row({ action: 'reject-all', accepted: '["essential"]', n: 5, locale: 'hi' }),
  row({ day: '2026-04-03', action: 'save', accepted: '["essential","functional"]', n: 4, surface: 'dialog', gpc: 1 }),
  row({ day: '2026-04-03', action: 'withdraw', accepted: '["essential"]', n: 1, surface: null, locale: null }),
  row({ day: '2026-04-05', revision: 2, policy_hash: V2, n: 2 }),
  row({ day: '2026-04-05', revision: 2, policy_hash: V2, action: 'reject-all', accepted: '["essential"]', n: 8 }),
];

function stats(rows: unknown[] = ROWS) {
  const { cells, skipped } = parseCells(rows);
  return aggregate(
    cells,
    { from: '2026-04-01', to: '2026-04-05' },
    [{ fingerprint: V1, revision: 1, firstSeen: '2026-03-30T10:00:00.000Z' }],
    skipped,
  );
}

describe('parseCells', () => {
  it('reads rows as cells and counts what is not a valid count, never guessing', () => {
    const { cells, skipped } = parseCells([
      row(),
      row({ action: 'maybe' }),
      row({ accepted: 'not json' }),
      row({ accepted: '["marketing"]' }),
      row({ n: -1 }),
      'junk',
    ]);
    expect(cells).toEqual([
      {
        day: '2026-04-01',
        action: 'accept-all',
        revision: 1,
        fingerprint: V1,
        locale: 'en',
        regime: 'opt-in',
        surface: 'banner',
        gpc: false,
        accepted: ['essential', 'functional', 'analytics', 'third-party'],
        n: 10,
      } satisfies Cell,
    ]);
    expect(skipped).toBe(5);
  });
});

describe('aggregate', () => {
  it('counts decisions per action and fills every day of the range, empty days included', () => {
    const s = stats();
    expect(s.all.total).toBe(30);
    expect(s.all.actions).toEqual({ 'accept-all': 12, 'reject-all': 13, save: 4, withdraw: 1, contextual: 0 });
    expect(s.unit).toBe('day');
    expect(s.buckets.map((b) => [b.start, b.tally.total])).toEqual([
      ['2026-04-01', 15],
      ['2026-04-02', 0],
      ['2026-04-03', 5],
      ['2026-04-04', 0],
      ['2026-04-05', 10],
    ]);
  });

  it('measures category acceptance over choices, leaving withdrawals out', () => {
    const s = stats();
    expect(s.all.choices).toBe(29);
    expect(s.all.accepted).toMatchObject({ essential: 29, functional: 16, analytics: 12, 'third-party': 12 });
    expect(s.categories).toEqual(['functional', 'analytics', 'third-party']);
    expect(s.all.gpc).toBe(4);
  });

  it('splits by revision with the versions decided under each, and when each was first stored', () => {
    const s = stats();
    expect(s.byRevision.map((g) => [g.revision, g.total, g.firstDay, g.lastDay])).toEqual([
      [1, 20, '2026-04-01', '2026-04-03'],
      [2, 10, '2026-04-05', '2026-04-05'],
    ]);
    expect(s.byRevision[0]?.versions).toEqual([{ fingerprint: V1, firstSeen: '2026-03-30T10:00:00.000Z', total: 20 }]);
    expect(s.byRevision[1]?.versions).toEqual([{ fingerprint: V2, firstSeen: null, total: 10 }]);
  });

  it('splits by locale, regime, surface and GPC; records from before locale and surface were kept are "not recorded"', () => {
    const s = stats();
    expect(s.byLocale.map((g) => [g.key, g.total])).toEqual([
      ['en', 24],
      ['hi', 5],
      [NOT_RECORDED, 1],
    ]);
    expect(s.bySurface.map((g) => [g.key, g.total])).toEqual([
      ['banner', 25],
      ['dialog', 4],
      [NOT_RECORDED, 1],
    ]);
    expect(s.byRegime.map((g) => g.key)).toEqual(['opt-in']);
    expect(s.byGpc.map((g) => [g.key, g.total])).toEqual([
      ['no-gpc', 26],
      ['gpc', 4],
    ]);
  });

  it('says how the choices moved from one revision to the next, in points', () => {
    const [change] = revisionChanges(stats());
    expect(change?.from).toBe(1);
    expect(change?.to).toBe(2);
    // Revision 1: 10 of 20 accept all (50 %); revision 2: 2 of 10 (20 %).
    expect(change?.actions['accept-all']).toBeCloseTo(-30);
    expect(change?.actions['reject-all']).toBeCloseTo(80 - 25);
    expect(points(change?.actions['accept-all'] ?? 0)).toBe('−30.0 pts');
    expect(points(0.04)).toBe('±0.0 pts');
  });

  it('buckets by week from three months on and by month from two years on', () => {
    expect(bucketUnit('2026-01-01', '2026-03-31')).toBe('day');
    expect(bucketUnit('2026-01-01', '2026-06-30')).toBe('week');
    expect(bucketUnit('2024-01-01', '2026-06-30')).toBe('month');
    expect(bucketStart('2026-04-05', 'week')).toBe('2026-03-30'); // a Sunday belongs to the week from Monday
    expect(bucketStart('2026-04-06', 'week')).toBe('2026-04-06');
    expect(bucketStart('2026-04-17', 'month')).toBe('2026-04-01');
    const { cells } = parseCells(ROWS);
    const weekly = aggregate(cells, { from: '2026-01-01', to: '2026-06-30' });
    expect(weekly.buckets[0]?.start).toBe('2025-12-29');
    expect(weekly.buckets.reduce((n, b) => n + b.tally.total, 0)).toBe(30);
  });

  it('has nothing to divide in an empty range', () => {
    const s = aggregate([], { from: '2026-04-01', to: '2026-04-02' });
    expect(s.all.total).toBe(0);
    expect(percent(s.all.actions['accept-all'], s.all.total)).toBe('–');
    expect(percent(1, 3)).toBe('33.3%');
  });
});

describe('the SQL', () => {
  it('reads a few days at a time, grouped, through the at index', () => {
    expect(cellsSql('2026-04-01', '2026-04-08')).toBe(
      "SELECT substr(at, 1, 10) AS day, action, revision, policy_hash, locale, regime, surface, gpc, accepted, count(*) AS n FROM consent_decisions WHERE at >= '2026-04-01' AND at < '2026-04-08' GROUP BY day, action, revision, policy_hash, locale, regime, surface, gpc, accepted",
    );
    expect(spanSql({ to: '2026-04-30' })).toBe(
      "SELECT min(at) AS first, max(at) AS last, count(*) AS decisions FROM consent_decisions WHERE at < '2026-05-01'",
    );
    expect(chunks('2026-04-01', '2026-04-10', 7)).toEqual([
      ['2026-04-01', '2026-04-08'],
      ['2026-04-08', '2026-04-11'],
    ]);
    expect(chunks('2026-04-01', '2026-04-01', 7)).toEqual([['2026-04-01', '2026-04-02']]);
  });

  it('reads as many days at once as hold about 200,000 decisions: a week of a small log, one day at ten million a month', () => {
    expect(chunkDaysFor(40_000, 60)).toBe(31);
    expect(chunkDaysFor(16_000 * 30, 30)).toBe(12);
    expect(chunkDaysFor(10_000_000, 30)).toBe(1);
    expect(chunkDaysFor(0, 1)).toBe(31);
  });

  it('refuses anything that is not a day before it gets near SQL', () => {
    expect(() => cellsSql("2026-04-01' OR 1=1 --", '2026-04-02')).toThrow();
    expect(() => spanSql({ from: 'yesterday' })).toThrow();
  });
});

describe('the terminal table', () => {
  it('prints the totals, the shares, the categories and the revisions with their change', () => {
    const text = formatSummary(stats(), 'local');
    expect(text).toContain('Consent decisions 2026-04-01 to 2026-04-05 (local database): 30');
    expect(text).toMatch(/Accept all\s+12\s+40\.0%/);
    expect(text).toContain('Accepted, of 29 choices (withdrawals aside): functional 55.2%, analytics 41.4%, third-party 41.4%');
    expect(text).toMatch(/^1\s+20\s+50\.0%\s+25\.0%\s+20\.0%/m);
    expect(text).toContain('revision 1 → 2: accept all −30.0 pts');
  });

  it('says so when there is nothing in the range', () => {
    expect(formatSummary(aggregate([], { from: '2026-04-01', to: '2026-04-01' }), 'remote')).toContain('No decisions in this range.');
  });
});

describe('the report', () => {
  const html = renderReport(stats(), { where: 'local', generatedAt: new Date('2026-04-06T08:00:00Z') });

  it('is one self-contained page: inline style and SVG, no script, nothing fetched', () => {
    expect(html.startsWith('<!doctype html><html lang="en">')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
  });

  it('draws every chart the figures need, each labelled for screen readers', () => {
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(12);
    expect(html).toContain('aria-label="Decisions per day, 2026-04-01 to 2026-04-05; the busiest day is 2026-04-01 with 15"');
    for (const heading of [
      'Decisions per day',
      'How visitors decide',
      'Accepted categories',
      'By revision: before and after a change',
      'By language shown',
      'By regime',
      'By where the choice was made',
      'Global Privacy Control',
    ])
      expect(html).toContain(`<h2>${heading}</h2>`);
    expect(html).toContain('Revision 1 → 2:');
    expect(html).toContain('Not recorded');
  });

  it('escapes what it prints', () => {
    const odd = stats([row({ regime: '<script>alert(1)</script>' })]);
    expect(renderReport(odd, { where: 'local', generatedAt: new Date() })).not.toContain('<script>alert');
  });
});
