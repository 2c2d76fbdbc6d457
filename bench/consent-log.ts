/**
 * The consent log, measured. `size` applies the migrations to an in-memory SQLite (node:sqlite,
 * the engine D1 runs) and inserts realistic decisions and one policy version, to measure bytes per
 * record with its indexes and version reference. `seed` writes synthetic decisions over some days
 * (two revisions, two locales, every surface) into a local D1 through wrangler, for
 * `npm run consent:stats` to read and to time.
 *
 *   node scripts/run.mjs tsx bench/consent-log.ts size [--rows 200000] [--days 365] [--integer-reference]
 *   node scripts/run.mjs tsx bench/consent-log.ts seed [--rows 20000] [--days 60] [--persist-to DIR]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { DatabaseSync } from 'node:sqlite';
import type { DecisionRecord } from '../src/log/record';
import { toRow, versionRow } from '../src/log/store';
import { PURGE_BATCH } from '../src/log/retention';
import { type PolicyVersion, policyVersion, versionMessage } from '../src/log/version';
import { compilePolicy } from '../src/policy/compile';
import { deployedPolicy } from '../src/policy/load';
import type { CategoryId } from '../src/policy/schema';
import { d1Execute } from '../tools/d1/execute';
import { insertRecordSql } from '../tools/export/export';
import { insertVersionSql } from '../tools/export/versions';
import { cellsSql } from '../tools/stats/sql';

const ROOT = resolve(import.meta.dirname, '..');
const OPTIONAL: CategoryId[] = ['functional', 'analytics', 'third-party'];
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 Safari/537.36';
const MOBILE = 'Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 Mobile Safari/537.36';

/** A small deterministic generator (mulberry32), so every run seeds the same log. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, weighted: [T, number][]): T {
  let r = next() * weighted.reduce((n, [, w]) => n + w, 0);
  for (const [value, weight] of weighted) {
    r -= weight;
    if (r <= 0) return value;
  }
  return (weighted.at(-1) as [T, number])[0];
}

function id(next: () => number): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return Array.from({ length: 22 }, () => chars[Math.floor(next() * 64)]).join('');
}

/** Two deploys: the second rewrote the banner text and raised the revision. */
async function versions(): Promise<[PolicyVersion, PolicyVersion]> {
  const first = deployedPolicy();
  const edited = structuredClone(first.policy);
  edited.revision = first.policy.revision + 1;
  if (edited.locales.en) edited.locales.en.banner.body = `${edited.locales.en.banner.body} You can change your mind at any time.`;
  return [await policyVersion(first), await policyVersion(compilePolicy(edited))];
}

/**
 * Decisions spread over `days` days ending `end`, a weekly rhythm, the second version from the
 * middle on (visitors asked again decide a little more often to refuse).
 */
export function synthetic(rows: number, days: number, end: Date, [v1, v2]: [PolicyVersion, PolicyVersion]): DecisionRecord[] {
  const next = random(19);
  const start = end.getTime() - days * 86_400_000;
  const switchAt = start + (days / 2) * 86_400_000;
  const out: DecisionRecord[] = [];
  for (let i = 0; i < rows; i++) {
    // More decisions on weekdays, and a burst right after the revision bump.
    let t: number;
    do t = start + next() * days * 86_400_000;
    while (next() > (new Date(t).getUTCDay() % 6 === 0 ? 0.6 : 1) * (t > switchAt && t < switchAt + 3 * 86_400_000 ? 1 : 0.55));
    const after = t >= switchAt;
    const version = after ? v2 : v1;
    const action = pick(next, [
      ['accept-all', after ? 38 : 46],
      ['reject-all', after ? 36 : 29],
      ['save', 15],
      ['contextual', 6],
      ['withdraw', 3],
    ] as [DecisionRecord['action'], number][]);
    const gpc = next() < 0.04;
    const accepted: CategoryId[] =
      action === 'accept-all'
        ? OPTIONAL
        : action === 'save'
          ? OPTIONAL.filter((c) => next() < (c === 'functional' ? 0.8 : c === 'analytics' && !gpc ? 0.35 : 0.2))
          : action === 'contextual'
            ? ['third-party']
            : [];
    const mobile = next() < 0.6;
    out.push({
      id: id(next),
      consentId: id(next),
      at: new Date(Math.floor(t / 1000) * 1000).toISOString(),
      action,
      accepted: ['essential', ...accepted],
      refused: OPTIONAL.filter((c) => !accepted.includes(c)),
      revision: version.revision,
      policyHash: version.fingerprint,
      regime: next() < 0.1 ? 'opt-out' : 'opt-in',
      country: pick(next, [
        ['IN', 55],
        ['US', 15],
        ['DE', 8],
        ['GB', 7],
        [null, 15],
      ] as [string | null, number][]),
      gpc,
      path: pick(next, [
        ['/', 40],
        ['/reports', 30],
        ['/dashboard', 20],
        ['/checkout', 10],
      ] as [string, number][]),
      userAgent: mobile ? MOBILE : CHROME,
      locale: next() < 0.22 ? 'hi' : 'en',
      surface:
        action === 'contextual'
          ? 'placeholder'
          : pick(next, [
              ['banner', 74],
              ['dialog', 16],
              ['page', 3],
              ['api', 2],
            ] as [DecisionRecord['surface'], number][]),
    });
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : 1));
}

function migrations(): string[] {
  const dir = join(ROOT, 'migrations');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

/**
 * Bytes per record in SQLite with the schema and indexes of migrations/, vacuumed. `reference`
 * `integer` stores a version's rowid in `policy_hash` instead of its 64-hex fingerprint: what a
 * lookup table would save.
 */
async function size(rows: number, days: number, reference: 'fingerprint' | 'integer'): Promise<void> {
  const pair = await versions();
  const db = new DatabaseSync(':memory:');
  for (const sql of migrations()) db.exec(sql);
  const pageSize = Number((db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size);
  const pages = () => Number((db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count);
  db.exec('VACUUM');
  const empty = pages();
  const insertVersion = db.prepare('INSERT INTO policy_versions VALUES (?, ?, ?, ?, ?, ?)');
  for (const v of pair) insertVersion.run(...(versionRow(v, new Date()) as (string | number)[]));
  db.exec('VACUUM');
  const withVersions = pages();
  const columns = 15;
  const insert = db.prepare(`INSERT INTO consent_decisions VALUES (${Array.from({ length: columns }, () => '?').join(', ')})`);
  const end = new Date('2026-12-31T00:00:00Z');
  const records = synthetic(rows, days, end, pair);
  db.exec('BEGIN');
  for (const r of records) {
    const row = toRow(r) as (string | number | null)[];
    if (reference === 'integer') row[7] = r.policyHash === pair[0].fingerprint ? 1 : 2;
    insert.run(...row);
  }
  db.exec('COMMIT');
  db.exec('VACUUM');
  const full = pages();
  const perRecord = ((full - withVersions) * pageSize) / rows;
  const json = JSON.stringify({ kind: 'decision', record: records[0] }).length;
  const version = JSON.stringify(await versionMessage(pair[0])).length;
  // An archive of one day as gzip'd NDJSON (what R2 would hold), per record.
  const ndjson = records
    .slice(0, 100_000)
    .map((r) => `${JSON.stringify(r)}\n`)
    .join('');
  const archive = gzipSync(ndjson).length / Math.min(records.length, 100_000);

  // What consent:stats asks D1 for, one day of decisions at this density, and the purge's batch.
  const day = new Date(end.getTime() - 86_400_000).toISOString().slice(0, 10);
  const oneDay = db.prepare(cellsSql(day, end.toISOString().slice(0, 10)));
  let started = performance.now();
  const cells = oneDay.all().length;
  const statsDayMs = performance.now() - started;
  const dayRows = Number((db.prepare('SELECT count(*) AS n FROM consent_decisions WHERE at >= ?').get(day) as { n: number }).n);
  const purge = db.prepare(PURGE_BATCH);
  const cutoff = records[Math.floor(records.length / 2)]?.at ?? '';
  started = performance.now();
  let deleted = 0;
  for (let batch = 0; batch < 50; batch++) deleted += Number(purge.run(cutoff, 1000).changes);
  const purgeMs = performance.now() - started;
  console.log(
    JSON.stringify(
      {
        rows,
        reference,
        pageSize,
        emptyBytes: empty * pageSize,
        versionsBytes: (withVersions - empty) * pageSize,
        bytesPerVersion: ((withVersions - empty) * pageSize) / pair.length,
        bytesPerRecord: Math.round(perRecord),
        queueMessageBytes: json,
        versionMessageBytes: version,
        archiveGzipBytesPerRecord: Math.round(archive),
        statsOneDay: { decisions: dayRows, groupedRows: cells, ms: Math.round(statsDayMs) },
        purge: { deleted, batches: 50, ms: Math.round(purgeMs), msPerBatch: Math.round(purgeMs / 50) },
      },
      null,
      2,
    ),
  );
}

/** Writes synthetic decisions and their two versions into a local D1, in files of multi-row inserts. */
async function seed(rows: number, days: number, persistTo: string | undefined): Promise<void> {
  const pair = await versions();
  const target = { remote: false, persistTo };
  const records = synthetic(rows, days, new Date(), pair);
  const dir = mkdtempSync(join(tmpdir(), 'consent-seed-'));
  try {
    const file = join(dir, 'seed.sql');
    writeFileSync(
      file,
      pair.map((v, i) => insertVersionSql(v, new Date(Date.parse(records[0]?.at ?? '') + i * days * 43_200_000))).join('\n'),
    );
    d1Execute({ file }, target);
    const perFile = 20_000;
    for (let i = 0; i < records.length; i += perFile) {
      writeFileSync(
        file,
        records
          .slice(i, i + perFile)
          .map(insertRecordSql)
          .join('\n'),
      );
      const started = Date.now();
      d1Execute({ file }, target);
      console.error(`seeded ${Math.min(i + perFile, records.length)} of ${records.length} (${Date.now() - started} ms)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  options: {
    rows: { type: 'string' },
    days: { type: 'string' },
    'persist-to': { type: 'string' },
    'integer-reference': { type: 'boolean' },
  },
});
if (command === 'size')
  await size(Number(values.rows ?? 200_000), Number(values.days ?? 365), values['integer-reference'] ? 'integer' : 'fingerprint');
else if (command === 'seed')
  await seed(Number(values.rows ?? 20_000), Number(values.days ?? 60), values['persist-to'] ? resolve(values['persist-to']) : undefined);
else {
  console.error('usage: consent-log.ts size [--rows N] [--integer-reference] | seed [--rows N] [--days N] [--persist-to DIR]');
  process.exitCode = 64;
}
