/**
 * `npm run policy:check [path] [--quiet] [--write-schema]`: validates policy.json before anything
 * builds or deploys (it is wrangler's [build] command), so a broken policy never ships.
 */
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Policy, type PolicyProblem, parsePolicy, policyJsonSchema, translationGaps } from '../src/policy/index';

export type CheckResult =
  | { ok: true; policy: Policy; summary: string /** Missing translations: shown in the default locale. */; warnings: PolicyProblem[] }
  | { ok: false; problems: PolicyProblem[] };

/** The schema file as committed: generated JSON, two-space indent, trailing newline. */
export function schemaFileText(): string {
  return `${JSON.stringify(policyJsonSchema(), null, 2)}\n`;
}

/**
 * Parses and validates the text of a policy file; never throws.
 * @example
 * checkPolicyText('{') // => { ok: false, problems: [{ path: '(root)', message: 'invalid JSON: ...' }] }
 */
export function checkPolicyText(text: string): CheckResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path: '(root)', message: `invalid JSON: ${(error as Error).message}` }] };
  }
  const result = parsePolicy(json);
  return result.ok
    ? { ok: true, policy: result.policy, summary: summarize(result.policy), warnings: translationGaps(result.policy) }
    : result;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A few lines an ops engineer can eyeball after an edit. */
export function summarize(policy: Policy): string {
  const cookies = policy.categories.reduce((n, c) => n + c.cookies.length, 0);
  const lines = [
    `revision ${policy.revision}, effective ${policy.effectiveDate}, page ${policy.paths.policyPage}, prefix ${policy.paths.prefix}`,
    `categories (${policy.categories.length}), ${cookies} declared cookies:`,
    ...policy.categories.map((c) => {
      const extra = [
        c.required ? 'required' : '',
        c.scripts.length ? plural(c.scripts.length, 'script pattern') : '',
        c.iframes.length ? plural(c.iframes.length, 'iframe pattern') : '',
        c.endpoints.length ? plural(c.endpoints.length, 'first-party endpoint') : '',
      ]
        .filter(Boolean)
        .join(', ');
      return `  ${c.id}: ${plural(c.cookies.length, 'cookie')}${extra ? ` (${extra})` : ''}`;
    }),
    `locales: ${Object.entries(policy.locales)
      .map(([tag, texts]) => (texts.draft ? `${tag} (draft)` : tag))
      .join(', ')} (default ${policy.defaultLocale}, legal text ${policy.content.locale})`,
    `consent: cookie ${policy.consentCookie.name}, ${policy.consentCookie.lifetimeDays} days; undeclared cookies: ${policy.undeclared}; undeclared sources: ${policy.undeclaredSources}`,
    `consent log: records kept ${policy.consentCookie.lifetimeDays + policy.retention.claimsPeriodDays} days (consent lifetime + ${policy.retention.claimsPeriodDays}-day claims period)`,
  ];
  return lines.join('\n');
}

/** Formats problems the way editors and CI logs link them: `file: path: reason`. */
export function formatProblems(file: string, problems: PolicyProblem[]): string {
  return problems.map((p) => `${file}: ${p.path}: ${p.message}`).join('\n');
}

function main(argv: string[]): number {
  const quiet = argv.includes('--quiet');
  const writeSchema = argv.includes('--write-schema');
  const file = argv.find((a) => !a.startsWith('--')) ?? 'policy.json';
  const label = file;

  if (writeSchema) {
    const out = resolve(resolve(file, '..'), 'policy.schema.json');
    writeFileSync(out, schemaFileText());
    if (!quiet) console.log(`wrote ${out}`);
  }

  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    console.error(`${label}: cannot read ${resolve(file)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return 1;
  }
  const result = checkPolicyText(text);
  if (!result.ok) {
    console.error(formatProblems(label, result.problems));
    console.error(`${label}: ${plural(result.problems.length, 'problem')}; the policy was not accepted`);
    return 1;
  }
  if (result.warnings.length) {
    console.warn(formatProblems(label, result.warnings).replace(/^/gm, 'warning: '));
    console.warn(`${label}: ${plural(result.warnings.length, 'missing translation')} (the default locale's text is shown)`);
  }
  console.log(quiet ? `${label}: ok (revision ${result.policy.revision})` : `${label}: ok\n${result.summary}`);
  return 0;
}

/** True when this file is the program (not imported by a test), symlinked checkouts included. */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = main(process.argv.slice(2));
