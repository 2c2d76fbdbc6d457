/**
 * `npm run audit`: the drift report (undeclared cookies the edge has seen, from D1) and the
 * `policy.json` entries to add for them, with a guessed category for ops to confirm.
 * Usage: `npm run audit -- [--local|--remote] [--persist-to DIR] [--policy FILE] [--json]`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DRIFT_REPORT_SQL, formatDriftReport, formatProposals, parseDriftRows, proposeEntries } from '../tools/audit/audit';
import { d1Execute } from '../tools/d1/execute';
import { compilePolicy } from '../src/policy/compile';
import { parsePolicy } from '../src/policy/index';

const USAGE = `usage: npm run audit -- [options]

  --local             the local database of npm start / wrangler dev (default)
  --remote            the production database
  --persist-to DIR    local state directory (default .wrangler/state)
  --policy FILE       the policy to compare with (default policy.json)
  --json              machine-readable output`;

/** The current policy's classifier; without a readable policy every seen name is proposed. */
function declaredIn(file: string): (name: string) => boolean {
  try {
    const result = parsePolicy(JSON.parse(readFileSync(file, 'utf8')));
    if (result.ok) {
      const compiled = compilePolicy(result.policy);
      return (name) => compiled.classifyCookie(name) !== undefined;
    }
    console.error(`audit: ${file} is not a valid policy; proposing every seen name`);
  } catch (error) {
    console.error(`audit: cannot read ${file} (${(error as Error).message}); proposing every seen name`);
  }
  return () => false;
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
    const proposals = proposeEntries(rows, declaredIn(resolve(values.policy ?? 'policy.json')));
    if (values.json) {
      console.log(JSON.stringify({ drift: rows, proposals }, null, 2));
      return 0;
    }
    console.log('Undeclared cookies seen at the edge (counts are lower bounds, see docs/consent-log.md):\n');
    console.log(formatDriftReport(rows));
    console.log('\nProposed policy.json entries:\n');
    console.log(formatProposals(proposals));
    return 0;
  } catch (error) {
    console.error(`audit: ${(error as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.dirname ?? '', 'audit.ts')) {
  process.exitCode = main(process.argv.slice(2));
}
