/**
 * Loading a policy: zod's shape check, then the semantic rules, as one result that names every
 * problem by JSON path. Used by `npm run policy:check` (build time) and the worker (start-up).
 */
import * as z from './zod';
import { checkPolicyRules, type PolicyProblem } from './rules';

export { translationGaps } from './rules';
import { type Policy, PolicySchema } from './schema';

export type { PolicyProblem } from './rules';
export type { Category, CategoryId, DeclaredCookie, Policy, UiTexts } from './schema';

export type PolicyResult = { ok: true; policy: Policy } | { ok: false; problems: PolicyProblem[] };

/** Formats zod's issue path the way the rules do: `categories[0].cookies[1].name`. */
function formatPath(path: readonly PropertyKey[]): string {
  return (
    path.reduce<string>((out, key) => {
      if (typeof key === 'number') return `${out}[${key}]`;
      const name = String(key);
      return /^[A-Za-z_$][\w$-]*$/.test(name) ? (out ? `${out}.${name}` : name) : `${out}["${name}"]`;
    }, '') || '(root)'
  );
}

/**
 * Validates raw JSON as a policy.
 * @example
 * const result = parsePolicy(JSON.parse(text));
 * if (!result.ok) for (const p of result.problems) console.error(`${p.path}: ${p.message}`);
 */
export function parsePolicy(input: unknown): PolicyResult {
  const parsed = PolicySchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })) };
  }
  const problems = checkPolicyRules(parsed.data);
  return problems.length ? { ok: false, problems } : { ok: true, policy: parsed.data };
}

/** The JSON Schema editors use (`policy.schema.json`), generated from the zod schema. */
export function policyJsonSchema(): unknown {
  return z.toJSONSchema(PolicySchema, { io: 'input', target: 'draft-2020-12' });
}
