/**
 * Classification cost is flat in the number of declared cookies: not timed here (the benchmark
 * measures time), but counted as Map lookups, which must not grow from 10 to 1,000 cookies.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { allowedSet } from '../../../src/consent/state';
import { filterCookieHeader } from '../../../src/cookies/cookie-header';
import { filterSetCookies } from '../../../src/cookies/set-cookie';
import type { ConsentState } from '../../../src/consent/state';
import type { CompiledPolicy } from '../../../src/policy/compile';
import type { CategoryId, PolicyInput } from '../../../src/policy/schema';
import { consentState } from '../../support/fixtures';
import { compiled, testPolicyInput } from './fixtures';

/** The test policy plus `count` analytics cookies, half exact names, half same-length prefixes. */
function policyWith(count: number): CompiledPolicy {
  const input = testPolicyInput();
  const extra = Array.from({ length: count }, (_, i) => {
    const id = String(i).padStart(4, '0');
    return { name: i % 2 ? `c${id}` : `p${id}_*`, purpose: 'load', duration: '1 day' };
  });
  const categories = input.categories.map((c) => (c.id === 'analytics' ? { ...c, cookies: [...(c.cookies ?? []), ...extra] } : c));
  return compiled({ ...input, categories } as PolicyInput);
}

const NAMES = ['_ga', '__Secure-next-auth.session-token.3', 'c0007', 'p0008_x', 'unknown-cookie', 'big.9', '__Host-zzz'];

function mapGets(run: () => void): number {
  const spy = vi.spyOn(Map.prototype, 'get');
  run();
  const calls = spy.mock.calls.length;
  spy.mockRestore();
  return calls;
}

afterEach(() => vi.restoreAllMocks());

describe('classification cost', () => {
  const small = policyWith(10);
  const large = policyWith(1000);

  it('classifies the 1,000-cookie policy as the 10-cookie one would', () => {
    expect(large.classifyCookie('c0999')?.category).toBe('analytics');
    expect(large.classifyCookie('p0998_abc')?.category).toBe('analytics');
    expect(small.classifyCookie('c0999')).toBeUndefined();
  });

  it('does the same number of map lookups per cookie name with 10 or 1,000 declared cookies', () => {
    for (const name of NAMES) {
      const few = mapGets(() => small.classifyCookie(name));
      const many = mapGets(() => large.classifyCookie(name));
      expect(few, name).toBeGreaterThan(0);
      expect(many, name).toBe(few);
      // Exact lookup plus one per distinct prefix length, twice at most (with and without chunk).
      expect(many, name).toBeLessThanOrEqual(2 * (1 + 3));
    }
  });

  it('filters headers with the same lookups however many cookies are declared', () => {
    const headers = NAMES.map((n) => `${n}=1; Path=/`);
    const allowed = new Set<CategoryId>(['essential']);
    const few = mapGets(() => filterSetCookies(headers, allowed, small, 0));
    const many = mapGets(() => filterSetCookies(headers, allowed, large, 0));
    expect(many).toBe(few);
    const cookie = headers.map((h) => h.split(';')[0]).join('; ');
    expect(mapGets(() => filterCookieHeader(cookie, allowed, large))).toBe(mapGets(() => filterCookieHeader(cookie, allowed, small)));
  });
});

describe('allowedSet', () => {
  const state = (categories: ConsentState['categories']) => consentState({ categories, decided: true });

  it('holds essential and the accepted categories only', () => {
    expect([...allowedSet(state({ essential: true, functional: true, analytics: false }))].sort()).toEqual(['essential', 'functional']);
  });

  it('holds essential even when the state omits it', () => {
    expect(allowedSet(state({})).has('essential')).toBe(true);
  });
});
