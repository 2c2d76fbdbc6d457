/**
 * Micro-benchmark (Node, not workerd): the cost of filtering one `Set-Cookie` against synthetic
 * policies of 10, 100 and 1,000 declared cookies. Good for ratios between sizes, not for
 * absolute edge timings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { filterSetCookies } from '../src/cookies';
import { type CompiledPolicy, compilePolicy } from '../src/policy/compile';
import { parsePolicy } from '../src/policy/index';
import type { CategoryId, DeclaredCookie, Policy } from '../src/policy/schema';
import { ROOT } from './cluster';

/** What a real page sends: exact, prefix, prefixed-and-chunked and undeclared names. */
const HEADERS = [
  '_ga=GA1.1.1234567890.1700000000; Path=/; Domain=.trackncloak.com; Max-Age=63072000; SameSite=Lax',
  '_ga_ABC123XYZ=GS1.1.1700000000.1.0.1700000000.0.0.0; Path=/; Max-Age=63072000',
  '__Secure-next-auth.session-token.1=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0; Path=/; HttpOnly; Secure; SameSite=Lax',
  'tracker_xyz=1; Path=/; Max-Age=86400',
];

const cookie = (name: string): DeclaredCookie => ({
  name,
  purpose: 'benchmark',
  duration: '1 day',
  chunked: false,
  scopes: [{ path: '/' }],
});

/**
 * The default policy with exactly `count` declared cookies: the four the headers above hit, and
 * synthetic ones spread over the optional categories, half exact names, half `prefix*` patterns
 * (1 to 4 digit ids, so a handful of distinct prefix lengths, as in a real policy).
 */
export function syntheticPolicy(count: number): CompiledPolicy {
  const parsed = parsePolicy(JSON.parse(readFileSync(join(ROOT, 'policy.json'), 'utf8')));
  if (!parsed.ok) throw new Error('policy.json is invalid: run npm run policy:check');
  const base: Policy = parsed.policy;
  const extra: Record<string, DeclaredCookie[]> = { functional: [], analytics: [], 'third-party': [] };
  const spread = Object.keys(extra);
  for (let i = 0; i < count - 4; i++) {
    extra[spread[i % spread.length] ?? 'analytics']?.push(cookie(i % 2 ? `svc${i}_pref` : `svc${i}_*`));
  }
  const fixed: Partial<Record<CategoryId, DeclaredCookie[]>> = {
    essential: [cookie('ce_consent'), { ...cookie('next-auth.session-token'), chunked: true }],
    analytics: [cookie('_ga'), cookie('_ga_*')],
  };
  const categories = base.categories.map((c) => ({ ...c, cookies: [...(fixed[c.id] ?? []), ...(extra[c.id] ?? [])] }));
  return compilePolicy({ ...base, categories });
}

export interface ClassifyResult {
  declared: number;
  /** Median over rounds of the mean cost of filtering one Set-Cookie header. */
  nsPerHeader: number;
}

/**
 * Times `filterSetCookies([header])` for each policy size, rounds alternating between sizes.
 * @example
 * const rows = classificationCost({ iterations: 100_000, rounds: 5 });
 */
export function classificationCost(options: { iterations: number; rounds: number; sizes?: number[] }): ClassifyResult[] {
  const sizes = options.sizes ?? [10, 100, 1000];
  const policies = sizes.map((n) => syntheticPolicy(n));
  const allowed = new Set<CategoryId>(['essential']);
  const now = Date.now();
  const lists = HEADERS.map((h) => [h]);
  const samples: number[][] = sizes.map(() => []);
  let sink = 0;
  const time = (policy: CompiledPolicy, iterations: number) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) sink += filterSetCookies(lists[i & 3] ?? [], allowed, policy, now).pass.length;
    return Number(process.hrtime.bigint() - start) / iterations;
  };
  for (const policy of policies) time(policy, Math.min(20_000, options.iterations)); // warm up the JIT on every shape
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < sizes.length; k++) {
      const i = (k + round) % sizes.length;
      const policy = policies[i];
      if (policy) samples[i]?.push(time(policy, options.iterations));
    }
  }
  if (sink < 0) console.log(sink); // keeps the results observable
  return sizes.map((declared, i) => ({ declared, nsPerHeader: median(samples[i] ?? []) }));
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
