/**
 * `npm run verify -- <site URL>`: proves on a running site that nothing is stored or sent against
 * a visitor's choice. Crawls it in headless Chromium once per visitor (undecided, reject all,
 * accept all, each optional category alone), judges every cookie and every request that leaves
 * the site against the deployed policy, writes an HTML and a JSON report, and exits 1 on any
 * violation, so CI can gate a deploy on it. Usage: `npm run verify -- --help`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { launchChromium } from '../../tests/support/chromium';
import { type CompiledPolicy, compilePolicy } from '../../src/policy/compile';
import { parsePolicy } from '../../src/policy/index';
import { crawl } from './crawl';
import { cookieCategory, describeViolation, judge, summariseHosts } from './judge';
import { renderReport, type StateReport, type VerifyReport } from './report';
import { visitorStates } from './states';

const USAGE = `usage: npm run verify -- <site URL> [options]

  --pages N          pages to crawl per visitor (same-origin links, breadth first); default 20
  --policy FILE      judge against this policy.json instead of <site>/__consent/policy.json
  --report FILE      write the HTML report there (default verify-report.html)
  --json FILE        also write the results as JSON
  --timeout MS       per navigation (default 30000)
  --only ID[,ID]     only these visitors: undecided, reject-all, accept-all, only-<category>

Exit status: 0 no violation, 1 violations found, 2 the site or the policy could not be read.`;

function fail(message: string): never {
  console.error(`verify: ${message}`);
  process.exit(2);
}

async function loadPolicy(site: URL, file: string | undefined, prefix: string): Promise<{ policy: CompiledPolicy; source: string }> {
  let raw: unknown;
  let source: string;
  if (file) {
    source = file;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      fail(`cannot read --policy ${file}: ${(error as Error).message}`);
    }
  } else {
    source = new URL(`${prefix}/policy.json`, site).href;
    const response = await fetch(source, { signal: AbortSignal.timeout(15_000) }).catch((error: Error) =>
      fail(`cannot reach ${source}: ${error.message}`),
    );
    if (!response.ok)
      fail(`${source} answered ${response.status}: is the worker in front of this site? Otherwise pass --policy policy.json`);
    raw = await response.json().catch(() => fail(`${source} is not JSON`));
  }
  const parsed = parsePolicy(raw);
  if (!parsed.ok) fail(`${source} is not a valid policy: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return { policy: compilePolicy(parsed.policy), source };
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      pages: { type: 'string', default: '20' },
      policy: { type: 'string' },
      report: { type: 'string', default: 'verify-report.html' },
      json: { type: 'string' },
      timeout: { type: 'string', default: '30000' },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [target, ...extra] = positionals;
  if (!target || extra.length) fail(`give one site URL\n${USAGE}`);
  let site: URL;
  try {
    site = new URL(target);
  } catch {
    fail(`not a URL: ${target}`);
  }
  if (site.protocol !== 'http:' && site.protocol !== 'https:') fail(`not an http(s) URL: ${target}`);
  const pages = Number(values.pages);
  const timeout = Number(values.timeout);
  if (!Number.isInteger(pages) || pages < 1 || pages > 1000) fail(`--pages must be a whole number from 1 to 1000, not ${values.pages}`);
  if (!Number.isInteger(timeout) || timeout < 1000) fail(`--timeout must be at least 1000 (ms), not ${values.timeout}`);

  const prefix = '/__consent';
  const { policy, source } = await loadPolicy(site, values.policy, prefix);
  const sitePrefix = policy.policy.paths.prefix;
  let states = visitorStates(policy);
  if (values.only) {
    const wanted = new Set(values.only.split(','));
    const unknown = [...wanted].filter((id) => !states.some((s) => s.id === id));
    if (unknown.length) fail(`--only: unknown visitor ${unknown.join(', ')} (known: ${states.map((s) => s.id).join(', ')})`);
    states = states.filter((s) => wanted.has(s.id));
  }

  const startedAt = new Date().toISOString();
  const browser = await launchChromium();
  const reports: StateReport[] = [];
  const progress = (line: string) => {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 100) - 1)}`);
    else console.error(line);
  };
  try {
    for (const state of states) {
      const result = await crawl(browser, site, state, { pages, timeout, prefix: sitePrefix, progress });
      // An undecided visitor gets what the site's regime gives (opt-out where it applies).
      const allowed = state.decision.action === 'none' && result.reported ? new Set(result.reported) : state.allowed;
      const violations = [...result.problems, ...judge(policy, site, allowed, result.cookies, result.requests)];
      if (result.reported && state.decision.action !== 'none') {
        const reported = new Set(result.reported);
        const same = reported.size === allowed.size && [...allowed].every((c) => reported.has(c));
        if (!same) {
          violations.unshift({
            kind: 'decision',
            page: site.href,
            message: `the choice "${state.label}" did not stick: the site reports ${[...reported].join(', ')} allowed`,
          });
        }
      }
      reports.push({
        id: state.id,
        label: state.label,
        allowed: [...allowed],
        reported: result.reported,
        pages: result.pages,
        cookies: result.cookies.map((c) => ({ ...c, category: cookieCategory(policy, c.name) })),
        hosts: summariseHosts(policy, site, result.requests),
        violations,
      });
    }
  } finally {
    await browser.close();
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  }

  const report: VerifyReport = {
    site: site.href,
    policySource: source,
    revision: policy.policy.revision,
    startedAt,
    finishedAt: new Date().toISOString(),
    states: reports,
    violations: reports.reduce((n, s) => n + s.violations.length, 0),
  };
  writeFileSync(values.report, renderReport(report));
  if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);

  for (const state of reports) {
    console.log(
      `${state.violations.length ? '✗' : '✓'} ${state.label}: ${state.pages.length} page(s), ${state.cookies.length} cookie(s), ${state.hosts.length} host(s) outside the site, ${state.violations.length} violation(s)`,
    );
    for (const v of state.violations) console.log(`    ${describeViolation(v)}`);
  }
  console.log(`Report: ${values.report}${values.json ? `, ${values.json}` : ''}`);
  return report.violations ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => fail(error.stack ?? error.message),
);
