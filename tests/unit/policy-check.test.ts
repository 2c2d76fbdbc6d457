/**
 * `npm run policy:check`: the committed JSON Schema is current, problems are printed as
 * `file: path: reason`, and the real script refuses a broken policy with a non-zero exit.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPolicyText, formatProblems, schemaFileText } from '../../scripts/policy-check';

const root = new URL('../..', import.meta.url).pathname;
const defaultText = readFileSync(join(root, 'policy.json'), 'utf8');

function runCheck(...args: string[]) {
  return spawnSync(process.execPath, ['scripts/run.mjs', 'tsx', 'scripts/policy-check.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('policy.schema.json', () => {
  it('matches the zod schema (run `npm run policy:check -- --write-schema` after changing it)', () => {
    expect(readFileSync(join(root, 'policy.schema.json'), 'utf8')).toBe(schemaFileText());
  });

  it('is what policy.json points editors at', () => {
    expect(JSON.parse(defaultText).$schema).toBe('./policy.schema.json');
  });
});

describe('checkPolicyText', () => {
  it('accepts the default policy and summarizes categories, counts, revision and draft locales', () => {
    const result = checkPolicyText(defaultText);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.summary).toContain('revision 1');
    expect(result.summary).toMatch(/essential: 17 cookies \(required\)/);
    expect(result.summary).toMatch(/analytics: 2 cookies/);
    expect(result.summary).toContain('locales: en, hi (draft)');
    expect(result.summary).toContain('consent log: records kept 2008 days (consent lifetime + 1826-day claims period)');
  });

  it('names every missing cookie translation as a warning and still accepts the policy', () => {
    expect(checkPolicyText(defaultText)).toMatchObject({ ok: true, warnings: [] });
    const policy = JSON.parse(defaultText);
    policy.categories[1].cookies[0].purpose = { en: 'Remember sidebar state preference' };
    policy.categories[1].cookies[1].duration = 'Session';
    const result = checkPolicyText(JSON.stringify(policy));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(formatProblems('policy.json', result.warnings).split('\n')).toEqual([
      'policy.json: categories[1].cookies[0].purpose.hi: no "hi" translation: shown in "en"',
      'policy.json: categories[1].cookies[1].duration: no "hi" translation: shown in "en"',
    ]);
  });

  it('refuses cookie texts without the default locale or in an undeclared locale', () => {
    const policy = JSON.parse(defaultText);
    policy.categories[1].cookies[0].purpose = { hi: 'साइडबार', fr: 'barre latérale' };
    const result = checkPolicyText(JSON.stringify(policy));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toEqual(['categories[1].cookies[0].purpose.fr', 'categories[1].cookies[0].purpose']);
  });

  it('refuses a multilingual policy whose language cookie is not declared', () => {
    const policy = JSON.parse(defaultText);
    policy.categories[0].cookies = policy.categories[0].cookies.filter((c: { name: string }) => c.name !== 'ce_lang');
    const result = checkPolicyText(JSON.stringify(policy));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toEqual(['languageCookie.name']);
  });

  it('reports invalid JSON as a problem instead of throwing', () => {
    const result = checkPolicyText('{"revision": 1,');
    expect(result).toEqual({ ok: false, problems: [{ path: '(root)', message: expect.stringContaining('invalid JSON') }] });
  });

  it('reports a JSON value that is not an object', () => {
    const result = checkPolicyText('[]');
    expect(result.ok).toBe(false);
  });

  it('formats every problem as file: path: reason', () => {
    const text = defaultText.replace('"lifetimeDays": 182', '"lifetimeDays": 500').replace('"revision": 1,', '"revision": 0,');
    const result = checkPolicyText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = formatProblems('policy.json', result.problems).split('\n');
    expect(lines).toEqual([expect.stringMatching(/^policy\.json: revision: /)]);
    // zod stops before the semantic rules when the shape is wrong; fix the shape and the rule shows.
    const second = checkPolicyText(defaultText.replace('"lifetimeDays": 182', '"lifetimeDays": 500'));
    expect(second.ok ? '' : formatProblems('policy.json', second.problems)).toBe(
      'policy.json: consentCookie.lifetimeDays: 500 days is over 13 months (395 days)',
    );
  });
});

// Each case starts tsx in a child process: seconds, not milliseconds, on a busy machine.
describe('the policy-check script', { timeout: 60_000 }, () => {
  it('exits 0 on the default policy and prints the summary', () => {
    const run = runCheck();
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('policy.json: ok');
    expect(run.stdout).toContain('third-party: 1 cookie');
  });

  it('exits 1 on a broken copy and names the path and reason of every problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-check-'));
    const file = join(dir, 'policy.json');
    const broken = JSON.parse(defaultText);
    broken.paths.policyPage = '/__consent/policy';
    broken.categories[2].cookies[0].name = '_ga?';
    writeFileSync(file, JSON.stringify(broken));
    const run = runCheck(file);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${file}: categories[2].cookies[0].name: must be an exact cookie name or "prefix*"`);
    const fixedPattern = structuredClone(broken);
    fixedPattern.categories[2].cookies[0].name = '_ga';
    writeFileSync(file, JSON.stringify(fixedPattern));
    const second = runCheck(file, '--quiet');
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`${file}: paths.policyPage: "/__consent/policy" is inside the reserved prefix "/__consent"`);
  });

  it('is the build command wrangler runs before dev and deploy', () => {
    const toml = readFileSync(join(root, 'wrangler.toml'), 'utf8');
    expect(toml).toMatch(/\[build\]\s*\ncommand = "node scripts\/run\.mjs tsx scripts\/policy-check\.ts --quiet( &&[^"]*)?"/);
  });

  // A guard comparing unresolved paths once let the build pass silently from a symlinked checkout.
  it('still runs, and refuses, when started through symlinked paths', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-check-link-'));
    for (const entry of ['scripts', 'src', 'node_modules']) symlinkSync(join(root, entry), join(dir, entry));
    const broken = JSON.parse(defaultText);
    broken.revision = 0;
    writeFileSync(join(dir, 'policy.json'), JSON.stringify(broken));
    const run = spawnSync(process.execPath, ['scripts/run.mjs', 'tsx', 'scripts/policy-check.ts', '--quiet'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('policy.json: revision: ');
  });

  it('exits 1 with a clear message when the file cannot be read', () => {
    const run = runCheck(join(tmpdir(), 'no-such-dir', 'policy.json'));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cannot read .*ENOENT/);
  });
});
