/**
 * `npm run consent:stats` end to end: the real script against a local D1 seeded in a temporary
 * directory, read through wrangler a few days at a time, writing the HTML report and the table.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../scripts/consent-stats';
import type { DecisionRecord } from '../../src/log/record';
import { policyVersion } from '../../src/log/version';
import { insertRecordSql } from '../../tools/export/export';
import { insertVersionSql } from '../../tools/export/versions';
import { decisionRecord, defaultPolicy } from '../support/fixtures';

const exec = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const wrangler = join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
let dir = '';

const ALL: DecisionRecord['accepted'] = ['essential', 'functional', 'analytics', 'third-party'];
const NONE: DecisionRecord['refused'] = ['functional', 'analytics', 'third-party'];

/** Five days, two revisions: 6 decisions before the bump, 4 after, in two languages and every surface. */
const RECORDS = [
  decisionRecord({ at: '2026-04-01T08:00:00.000Z', action: 'accept-all', accepted: ALL, refused: [] }),
  decisionRecord({ at: '2026-04-01T09:00:00.000Z', action: 'accept-all', accepted: ALL, refused: [], locale: 'hi' }),
  decisionRecord({ at: '2026-04-01T10:00:00.000Z', action: 'reject-all', accepted: ['essential'], refused: NONE, gpc: true }),
  decisionRecord({ at: '2026-04-02T10:00:00.000Z', action: 'save', surface: 'dialog' }),
  decisionRecord({ at: '2026-04-02T11:00:00.000Z', action: 'save', surface: 'page', locale: 'hi' }),
  decisionRecord({ at: '2026-04-03T11:00:00.000Z', action: 'withdraw', surface: 'api', accepted: ['essential'], refused: NONE }),
  decisionRecord({ at: '2026-04-04T12:00:00.000Z', revision: 2, action: 'reject-all', accepted: ['essential'], refused: NONE }),
  decisionRecord({
    at: '2026-04-04T13:00:00.000Z',
    revision: 2,
    action: 'reject-all',
    accepted: ['essential'],
    refused: NONE,
    regime: 'opt-out',
  }),
  decisionRecord({ at: '2026-04-05T13:00:00.000Z', revision: 2, action: 'accept-all', accepted: ALL, refused: [], locale: 'hi' }),
  decisionRecord({
    at: '2026-04-05T14:00:00.000Z',
    revision: 2,
    action: 'contextual',
    accepted: ['essential', 'third-party'],
    refused: ['functional', 'analytics'],
    surface: 'placeholder',
  }),
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'consent-stats-'));
  const version = await policyVersion(defaultPolicy);
  for (const r of RECORDS) r.policyHash = version.fingerprint;
  const migrations = readdirSync(join(root, 'migrations'))
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => readFileSync(join(root, 'migrations', f), 'utf8'));
  const seed = [...migrations, insertVersionSql(version, new Date('2026-03-30T00:00:00.000Z')), ...RECORDS.map(insertRecordSql)];
  writeFileSync(join(dir, 'seed.sql'), seed.join('\n'));
  await exec(
    process.execPath,
    [wrangler, 'd1', 'execute', 'consent-log', '--local', '--persist-to', dir, '--file', join(dir, 'seed.sql')],
    {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    },
  );
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void out.push(String(line)));
  const error = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void err.push(String(line)));
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
    err.push(String(chunk));
    return true;
  });
  try {
    const code = main(['--persist-to', dir, ...args]);
    return { code, stdout: out.join('\n'), stderr: err.join('') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
}

describe('npm run consent:stats against a local D1', () => {
  it('reads the log a few days at a time, prints the table and writes the report', async () => {
    const file = join(dir, 'report.html');
    const result = await run('--out', file, '--chunk-days', '2');

    expect(result.code).toBe(0);
    // Five days in reads of two: three reads, each with its progress line.
    expect(result.stderr).toContain('reading 2026-04-01 … 2026-04-02 (1/3): 5 of 10 decisions');
    expect(result.stderr).toContain('reading 2026-04-05 … 2026-04-05 (3/3): 10 of 10 decisions');
    expect(result.stdout).toContain('Consent decisions 2026-04-01 to 2026-04-05 (local database): 10');
    expect(result.stdout).toMatch(/Accept all\s+3\s+30\.0%/);
    expect(result.stdout).toMatch(/Reject all\s+3\s+30\.0%/);
    expect(result.stdout).toContain('Global Privacy Control sent with 10.0% of decisions');
    expect(result.stdout).toMatch(/^1\s+6\s+33\.3%\s+16\.7%\s+33\.3%/m);
    expect(result.stdout).toMatch(/^2\s+4\s+25\.0%\s+50\.0%\s+0\.0%/m);

    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<h1>Consent figures</h1>');
    expect(html).toContain('2026-04-01 to 2026-04-05 (UTC days), local database');
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(12);
    expect(html).toContain('Settings page (no JavaScript)');
    expect(html).toContain('first stored 2026-03-30');
  }, 120_000);

  it('takes a range of days and prints the figures as JSON', async () => {
    const result = await run('--from', '2026-04-04', '--to', '2026-04-04', '--json', '--out', join(dir, 'one-day.html'));
    expect(result.code).toBe(0);
    const stats = JSON.parse(result.stdout) as { all: { total: number; actions: Record<string, number> }; byRegime: { key: string }[] };
    expect(stats.all.total).toBe(2);
    expect(stats.all.actions['reject-all']).toBe(2);
    expect(stats.byRegime.map((g) => g.key).sort()).toEqual(['opt-in', 'opt-out']);
  }, 60_000);

  it('refuses a bad range before touching the database', async () => {
    const result = await run('--from', '2026-04-05', '--to', '2026-04-01');
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('--from must not be after --to');
  });
});
