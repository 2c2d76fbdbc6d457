/**
 * `npm run audit`: the drift report (undeclared cookies, and cross-origin scripts and iframes no
 * category declares, that the edge has seen, from D1) and the `policy.json` entries to add for
 * them, with a guessed category for ops to confirm.
 * Usage: `npm run audit -- [--local|--remote] [--persist-to DIR] [--policy FILE] [--json]`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DRIFT_REPORT_SQL,
  formatDriftReport,
  formatProposals,
  formatSourceProposals,
  parseDriftRows,
  proposeEntries,
  proposeSources,
} from '../tools/audit/audit';
import type { CompiledPolicy } from '../src/policy/compile';
import { d1Execute } from '../tools/d1/execute';
import { compilePolicy } from '../src/policy/compile';
import { parsePolicy } from '../src/policy/index';

const USAGE = `usage: npm run audit -- [options]

  --local             the local database of npm start / wrangler dev (default)
  --remote            the production database
  --persist-to DIR    local state directory (default .wrangler/state)
  --policy FILE       the policy to compare with (default policy.json)
  --json              machine-readable output`;

/** The current policy, compiled; without a readable one every seen name and source is proposed. */
function currentPolicy(file: string): CompiledPolicy | null {
  try {
    const result = parsePolicy(JSON.parse(readFileSync(file, 'utf8')));
    if (result.ok) return compilePolicy(result.policy);
    console.error(`audit: ${file} is not a valid policy; proposing everything seen`);
  } catch (error) {
    console.error(`audit: cannot read ${file} (${(error as Error).message}); proposing everything seen`);
  }
  return null;
}

export function main(argv: string[]): number {
  let values: { local?: boolean; remote?: boolean; 'persist-to'?: string; policy?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        local: { type: 'boolean' },
        remote: { type: 'boolean' },
        'persist-to': { type: 'string' },
        policy: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
    if (values.local && values.remote) throw new Error('choose --local or --remote, not both');
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 64;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    const persistTo = values['persist-to'] ? resolve(values['persist-to']) : undefined;
    const [result] = d1Execute(DRIFT_REPORT_SQL, { remote: values.remote === true, persistTo });
    const rows = parseDriftRows(result?.results ?? []);
    const policy = currentPolicy(resolve(values.policy ?? 'policy.json'));
    const proposals = proposeEntries(rows, (name) => policy?.classifyCookie(name) !== undefined);
    // Sources are cross-origin: judged as seen from a page on no origin of theirs.
    const page = { href: 'https://site.invalid/', origin: 'https://site.invalid' };
    const sources = proposeSources(rows, (kind, url) => policy?.classifySource(kind, url, page) !== undefined);
    if (values.json) {
      console.log(JSON.stringify({ drift: rows, proposals, sources }, null, 2));
      return 0;
    }
    console.log('Undeclared cookies and sources seen at the edge (counts are lower bounds, see docs/consent-log.md):\n');
    console.log(formatDriftReport(rows));
    console.log('\nProposed policy.json entries (cookies):\n');
    console.log(formatProposals(proposals));
    console.log('\nProposed policy.json entries (script and iframe sources):\n');
    console.log(formatSourceProposals(sources));
    return 0;
  } catch (error) {
    console.error(`audit: ${(error as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.dirname ?? '', 'audit.ts')) {
  process.exitCode = main(process.argv.slice(2));
}
