/**
 * `npm run consent:export` and `npm run audit`: the SQL and CSV builders as pure functions, then
 * the real scripts run through wrangler against a seeded local D1 in a temporary directory.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main as auditMain } from '../../scripts/audit';
import { main as exportMain } from '../../scripts/consent-export';
import {
  CSV_HEADER,
  countForConsentSql,
  csvField,
  eraseSql,
  exportPageSql,
  insertRecordSql,
  neutralizeFormula,
  nextDay,
  rowsToCsv,
  recordsFromLines,
  sqlString,
} from '../../tools/export/export';
import { type Evidence, shownFor } from '../../src/log/evidence';
import type { DecisionRecord } from '../../src/log/record';
import { policyVersion } from '../../src/log/version';
import { compilePolicy } from '../../src/policy/compile';
import { type ExportedVersion, insertVersionSql } from '../../tools/export/versions';
import { defaultPolicy } from '../support/fixtures';
import { type DecisionRow, DECISION_COLUMNS } from '../../src/log/store';

/** A strict RFC 4180 reader, to check the writer against the grammar rather than against itself. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i += 1;
      } else {
        field += ch;
        i += 1;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
      i += 1;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      i += 1;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else {
      if (ch === '"' || ch === '\n' || ch === '\r') throw new Error(`bare ${JSON.stringify(ch)} at ${i}`);
      field += ch;
      i += 1;
    }
  }
  if (field !== '' || record.length) throw new Error('last record not CRLF-terminated');
  return records;
}

function row(overrides: Partial<DecisionRow> = {}): DecisionRow {
  return {
    id: 'dec_0000000000000001',
    consent_id: 'cid_aaaaaaaaaaaaaaaa',
    at: '2026-04-01T09:00:00.000Z',
    action: 'save',
    accepted: '["essential","functional"]',
    refused: '["analytics","third-party"]',
    revision: 1,
    policy_hash: 'f'.repeat(64),
    regime: 'opt-in',
    country: null,
    gpc: 1,
    path: '/',
    user_agent: 'Mozilla/5.0',
    locale: 'hi',
    surface: 'dialog',
    ...overrides,
  };
}

describe('SQL builders', () => {
  it('quotes literals by doubling quotes', () => {
    expect(sqlString("it's")).toBe("'it''s'");
  });

  it('bounds a date range with --to inclusive, across month and year ends', () => {
    expect(nextDay('2026-04-30')).toBe('2026-05-01');
    expect(nextDay('2024-02-28')).toBe('2024-02-29');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(exportPageSql({ from: '2026-04-01', to: '2026-04-30' }, null, 100)).toBe(
      `SELECT ${DECISION_COLUMNS.join(', ')} FROM consent_decisions WHERE at >= '2026-04-01' AND at < '2026-05-01' ORDER BY at, id LIMIT 100`,
    );
    expect(exportPageSql({}, null, 5)).toBe(`SELECT ${DECISION_COLUMNS.join(', ')} FROM consent_decisions ORDER BY at, id LIMIT 5`);
  });

  it('continues after the last row of a page (keyset on at, then id)', () => {
    expect(exportPageSql({}, { at: '2026-04-01T09:00:00.000Z', id: 'dec_0000000000000001' }, 10)).toContain(
      "WHERE (at > '2026-04-01T09:00:00.000Z' OR (at = '2026-04-01T09:00:00.000Z' AND id > 'dec_0000000000000001'))",
    );
  });

  it('refuses anything that is not a validated value instead of interpolating it', () => {
    expect(() => exportPageSql({ from: "2026-04-01' OR 1=1 --" }, null, 10)).toThrow();
    expect(() => exportPageSql({ from: '2026-05-01', to: '2026-04-01' }, null, 10)).toThrow(/--from/);
    expect(() => exportPageSql({}, { at: '2026-04-01T09:00:00.000Z', id: "x' OR '1'='1" }, 10)).toThrow();
    expect(() => exportPageSql({}, null, 0)).toThrow();
    expect(() => eraseSql("cid'; DROP TABLE consent_decisions; --")).toThrow();
    expect(eraseSql('cid_aaaaaaaaaaaaaaaa')).toBe("DELETE FROM consent_decisions WHERE consent_id = 'cid_aaaaaaaaaaaaaaaa' RETURNING id");
    expect(countForConsentSql('cid_aaaaaaaaaaaaaaaa')).toBe(
      "SELECT count(*) AS records FROM consent_decisions WHERE consent_id = 'cid_aaaaaaaaaaaaaaaa'",
    );
  });
});

describe('replay builders', () => {
  const record: DecisionRecord = {
    id: 'dec_0000000000000009',
    consentId: 'cid_aaaaaaaaaaaaaaaa',
    at: '2026-04-01T09:00:00.000Z',
    action: 'save',
    accepted: ['essential'],
    refused: [],
    revision: 2,
    policyHash: 'f'.repeat(64),
    regime: 'opt-in',
    country: null,
    gpc: true,
    path: '/',
    userAgent: "it's ?2",
    locale: 'en',
    surface: 'api',
  };

  it('finds records in worker log lines and counts what it cannot use', () => {
    const text = [
      `prefix ${JSON.stringify({ event: 'consent-log.unrecorded', record })}`,
      JSON.stringify({ kind: 'decision', record }),
      JSON.stringify(record),
      JSON.stringify({ event: 'consent-log.unrecorded', record: { ...record, ip: '203.0.113.9' } }),
      '{broken',
      '',
    ].join('\n');
    expect(recordsFromLines(text)).toEqual({ records: [record, record, record], skipped: 2 });
  });

  it('writes an idempotent insert with every value quoted once', () => {
    expect(insertRecordSql(record)).toBe(
      `INSERT INTO consent_decisions (${DECISION_COLUMNS.join(', ')})\nVALUES ('dec_0000000000000009', 'cid_aaaaaaaaaaaaaaaa', '2026-04-01T09:00:00.000Z', 'save', '["essential"]', '[]', 2, '${'f'.repeat(64)}', 'opt-in', NULL, 1, '/', 'it''s ?2', 'en', 'api')\nON CONFLICT(id) DO NOTHING;`,
    );
    expect(() => insertRecordSql({ ...record, id: "x'; DROP TABLE consent_decisions; --" })).toThrow();
  });
});

describe('CSV (RFC 4180)', () => {
  it('quotes fields with commas, quotes, CR or LF and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('')).toBe('');
  });

  it('writes CRLF records that a strict reader splits back into the same fields', () => {
    const tricky = 'Agent "quoted", with comma\nand newline';
    const csv =
      CSV_HEADER + rowsToCsv([row(), row({ id: 'dec_0000000000000002', user_agent: tricky, country: 'DE', gpc: 0, refused: '[]' })]);
    const records = parseCsv(csv);
    expect(records[0]).toEqual([...DECISION_COLUMNS]);
    expect(records[1]).toEqual([
      'dec_0000000000000001',
      'cid_aaaaaaaaaaaaaaaa',
      '2026-04-01T09:00:00.000Z',
      'save',
      'essential functional',
      'analytics third-party',
      '1',
      'f'.repeat(64),
      'opt-in',
      '',
      'true',
      '/',
      'Mozilla/5.0',
      'hi',
      'dialog',
    ]);
    expect(records[2]?.[12]).toBe(tricky);
    expect(records[2]?.[5]).toBe('');
    expect(records[2]?.[10]).toBe('false');
  });

  it('keeps visitor-supplied text from running as a spreadsheet formula, but never touches ids', () => {
    expect(neutralizeFormula('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(neutralizeFormula('@SUM(1)')).toBe("'@SUM(1)");
    expect(neutralizeFormula('Mozilla/5.0')).toBe('Mozilla/5.0');
    const [, fields] = parseCsv(CSV_HEADER + rowsToCsv([row({ consent_id: '-AAAAAAAAAAAAAAAAAAAA', user_agent: '+cmd' })]));
    expect(fields?.[1]).toBe('-AAAAAAAAAAAAAAAAAAAA');
    expect(fields?.[12]).toBe("'+cmd");
  });
});

// ---------------------------------------------------------------------------------------------
// The real scripts against a seeded local database. Each wrangler call costs seconds, so the
// scripts' `main` runs in-process (still shelling out to wrangler) and the CLI entry is spawned once.

const exec = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const wrangler = join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };
let dir = '';

const MINE = 'cid_mine_000000000000';
const THEIRS = 'cid_theirs_0000000000';
const UA = 'Agent "quoted", with comma\nand a newline';

function baseRecord(id: string, consentId: string, at: string, overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  return {
    id,
    consentId,
    at,
    action: 'save',
    accepted: ['essential'],
    refused: ['functional', 'analytics', 'third-party'],
    revision: 1,
    policyHash: '0'.repeat(64),
    regime: 'opt-in',
    country: 'IN',
    gpc: false,
    path: '/reports',
    userAgent: UA,
    locale: 'en',
    surface: 'banner',
    ...overrides,
  };
}

/** Two deploys' policies: the banner text changed and the revision was raised in between. */
function versionOf(revision: number, en: string, hi: string) {
  const policy = structuredClone(defaultPolicy.policy);
  policy.revision = revision;
  if (policy.locales.en) policy.locales.en.banner.body = en;
  if (policy.locales.hi) policy.locales.hi.banner.body = hi;
  return policyVersion(compilePolicy(policy));
}
const OLD_VERSION = await versionOf(1, 'The old banner text', 'पुराना बैनर पाठ');
const NEW_VERSION = await versionOf(2, 'The new banner text', 'नया बैनर पाठ');

function seedRecord(id: string, consentId: string, at: string, overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  return baseRecord(id, consentId, at, { policyHash: OLD_VERSION.fingerprint, ...overrides });
}

const THEIR_RECORDS = [
  seedRecord('dec_march_00000000001', THEIRS, '2026-03-31T23:59:59.999Z', {
    action: 'accept-all',
    accepted: ['essential', 'functional', 'analytics', 'third-party'],
    refused: [],
  }),
  seedRecord('dec_april_00000000001', THEIRS, '2026-04-01T00:00:00.000Z', { action: 'withdraw', gpc: true }),
  seedRecord('dec_april_00000000002', THEIRS, '2026-04-30T23:59:59.999Z', { action: 'reject-all', userAgent: '=HYPERLINK("http://evil")' }),
  seedRecord('dec_may_0000000000001', THEIRS, '2026-05-01T00:00:00.000Z', {
    action: 'contextual',
    accepted: ['essential', 'third-party'],
    refused: ['functional', 'analytics'],
  }),
];
const REPLAYED = seedRecord('dec_replayed_000000001', 'cid_replayed_00000000', '2026-06-01T00:00:00.000Z', {
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) it\'s "quoted"; ?1 -- not SQL',
});
const MY_RECORDS = [
  seedRecord('dec_mine_000000000001', MINE, '2026-04-02T08:00:00.000Z'),
  seedRecord('dec_mine_000000000002', MINE, '2026-04-03T08:00:00.000Z', { action: 'withdraw' }),
];
/** A visitor who decided in Hindi before the change and after it. */
const BOTH = 'cid_both_000000000000';
const BOTH_RECORDS = [
  seedRecord('dec_both_000000000001', BOTH, '2026-04-10T08:00:00.000Z', { locale: 'hi', action: 'accept-all' }),
  seedRecord('dec_both_000000000002', BOTH, '2026-05-10T08:00:00.000Z', { locale: 'hi', revision: 2, policyHash: NEW_VERSION.fingerprint }),
];

/** Runs a script's `main` in-process; returns its exit code and what it wrote to stdout/stderr. */
async function run(main: (argv: string[]) => number | Promise<number>, ...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void stdout.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void stderr.push(a.join(' ')));
  try {
    const code = await main(['--persist-to', dir, ...args]);
    return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('the scripts against a seeded local D1', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'consent-log-'));
    const migrations = readdirSync(join(root, 'migrations'))
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => readFileSync(join(root, 'migrations', f), 'utf8'));
    const versions = [
      insertVersionSql(OLD_VERSION, new Date('2026-03-01T00:00:00.000Z')),
      insertVersionSql(NEW_VERSION, new Date('2026-05-01T00:00:00.000Z')),
    ];
    const drift = [
      "INSERT INTO cookie_drift VALUES ('tnc_experiment', 'set-cookie', 7, '2026-04-01T10:00:00.000Z', '2026-04-02T10:00:00.000Z', '/api/auth/signin');",
      "INSERT INTO cookie_drift VALUES ('_ga_ABC123', 'cookie', 4, '2026-04-01T10:00:00.000Z', '2026-04-02T10:00:00.000Z', '/');",
    ];
    const seed = [...migrations, ...versions, ...[...THEIR_RECORDS, ...MY_RECORDS, ...BOTH_RECORDS].map(insertRecordSql), ...drift].join(
      '\n',
    );
    writeFileSync(join(dir, 'seed.sql'), seed);
    await exec(
      process.execPath,
      [wrangler, 'd1', 'execute', 'consent-log', '--local', '--persist-to', dir, '--file', join(dir, 'seed.sql')],
      { cwd: root, env },
    );
  }, 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('erases one consent id only after --yes, replays records from logs, then exports every decision as CSV and a date range as JSON', async () => {
    const dry = await run(exportMain, '--erase', MINE);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toContain(`2 record(s) of consent id ${MINE} in the local database. Re-run with --yes`);

    const erased = await run(exportMain, '--erase', MINE, '--yes');
    expect(erased.code).toBe(0);
    expect(erased.stderr).toContain(`Erased 2 record(s) of consent id ${MINE}`);

    // A decision that only reached the logs (queue and D1 down), plus a record already stored.
    const logFile = join(dir, 'worker.log');
    writeFileSync(
      logFile,
      [
        `2026-06-01T00:00:01Z ${JSON.stringify({ event: 'consent-log.unrecorded', reason: 'queue: 503; d1: down', record: REPLAYED })}`,
        JSON.stringify({ kind: 'decision', record: THEIR_RECORDS[0] }),
        'not a record',
      ].join('\n'),
    );
    const replayed = await run(exportMain, '--replay', logFile);
    expect(replayed.code).toBe(0);
    expect(replayed.stderr).toContain('1 line(s) without a valid decision record were skipped');
    expect(replayed.stderr).toContain('Replayed 2 record(s)');

    const csvFile = join(dir, 'all.csv');
    const csv = await run(exportMain, '--out', csvFile);
    expect(csv.code).toBe(0);
    expect(csv.stderr).toContain('7 record(s) exported from the local database');
    const records = parseCsv(readFileSync(csvFile, 'utf8'));
    expect(records[0]).toEqual([...DECISION_COLUMNS]);
    const [t0, t1, t2, t3] = THEIR_RECORDS.map((r) => r.id);
    const [b0, b1] = BOTH_RECORDS.map((r) => r.id);
    expect(records.slice(1).map((r) => r[0])).toEqual([t0, t1, b0, t2, t3, b1, REPLAYED.id]);
    expect(records[7]?.[12]).toBe(REPLAYED.userAgent);
    expect(records[1]?.slice(3, 6)).toEqual(['accept-all', 'essential functional analytics third-party', '']);
    expect(records[2]?.[12]).toBe(UA);
    expect(records[3]?.slice(13)).toEqual(['hi', 'banner']);
    expect(records[4]?.[12]).toBe('\'=HYPERLINK("http://evil")');

    // A full first page, then a short one (keyset cursor); --to inclusive: the April records, byte-exact.
    const jsonFile = join(dir, 'april.json');
    const april = await run(
      exportMain,
      '--format',
      'json',
      '--from',
      '2026-04-01',
      '--to',
      '2026-04-30',
      '--page-size',
      '2',
      '--out',
      jsonFile,
    );
    expect(april.code).toBe(0);
    const exported = JSON.parse(readFileSync(jsonFile, 'utf8')) as { records: DecisionRecord[]; versions: Record<string, ExportedVersion> };
    expect(exported.records).toEqual([THEIR_RECORDS[1], BOTH_RECORDS[0], THEIR_RECORDS[2]]);
    // The version both point at, once, with its texts and a fingerprint that checks out.
    expect(Object.keys(exported.versions)).toEqual([OLD_VERSION.fingerprint]);
    expect(exported.versions[OLD_VERSION.fingerprint]).toMatchObject({ revision: 1, verified: true, policy: OLD_VERSION.policy });
    expect(exported.versions[OLD_VERSION.fingerprint]?.shown.locales.hi?.banner.body).toBe('पुराना बैनर पाठ');
  }, 120_000);

  it('exports one visitor with what each record was shown, in their language, before and after a banner change', async () => {
    const file = join(dir, 'both.json');
    const result = await run(exportMain, '--consent-id', BOTH, '--format', 'json', '--out', file);
    expect(result.code).toBe(0);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { records: Evidence[]; versions: Record<string, ExportedVersion> };
    expect(exported.records.map((r) => [r.id, r.revision, r.shown?.locale, r.shown?.texts.banner.body])).toEqual([
      [BOTH_RECORDS[0]?.id, 1, 'hi', 'पुराना बैनर पाठ'],
      [BOTH_RECORDS[1]?.id, 2, 'hi', 'नया बैनर पाठ'],
    ]);
    // The same as the receipt: each record and what it was shown.
    expect(exported.records[0]).toEqual({ ...BOTH_RECORDS[0], shown: shownFor({ locale: 'hi' }, OLD_VERSION.shown) });
    expect(Object.values(exported.versions).map((v) => [v.revision, v.verified, v.firstSeen])).toEqual([
      [1, true, '2026-03-01T00:00:00.000Z'],
      [2, true, '2026-05-01T00:00:00.000Z'],
    ]);
  }, 60_000);

  it('audit prints the drift report and proposes only cookies policy.json does not declare', async () => {
    const audit = await run(auditMain);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(
      /tnc_experiment\s+set-cookie\s+7\s+2026-04-01T10:00:00.000Z\s+2026-04-02T10:00:00.000Z\s+\/api\/auth\/signin/,
    );
    expect(audit.stdout).toMatch(/_ga_ABC123\s+cookie\s+4/);
    expect(audit.stdout).toContain('// categories[id="analytics"].cookies');
    expect(audit.stdout).toContain('{"name":"tnc_experiment","purpose":"TODO: what it is for"');
    // _ga_* is declared in policy.json: reported as seen, not proposed again.
    expect(audit.stdout).not.toContain('"name":"_ga_');
  }, 60_000);

  it('the CLI refuses an erase target that is not a consent id before touching the database', async () => {
    const result = await exec(process.execPath, [tsx, join(root, 'scripts', 'consent-export.ts'), '--erase', "x' OR '1'='1", '--yes'], {
      cwd: root,
      env,
    }).catch((error: { code: number; stderr: string }) => error);
    expect('code' in result ? result.code : 0).toBe(64);
    expect(result.stderr).toContain('at erase');
  }, 30_000);
});
