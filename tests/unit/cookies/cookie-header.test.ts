/** Request Cookie header filtering: refused categories dropped, every other byte forwarded. */
import { describe, expect, it } from 'vitest';
import { cookiePairs, cookieValues, filterCookieHeader } from '../../../src/cookies/cookie-header';
import type { CompiledPolicy } from '../../../src/policy/compile';
import type { CategoryId } from '../../../src/policy/schema';
import { compiled, defaultPolicy } from './fixtures';

const policy = compiled();
const allowing = (...ids: CategoryId[]) => new Set<CategoryId>(['essential', ...ids]);

describe('cookieValues', () => {
  it('gives every value of one name in order, quotes taken off, other names ignored', () => {
    expect(cookieValues('ce_consent=v1.a; x=1; ce_consent="v1.b";ce_consent2=no, ce_consent=v1.c', 'ce_consent')).toEqual([
      'v1.a',
      'v1.b',
      'v1.c',
    ]);
    expect(cookieValues('x=1', 'ce_consent')).toEqual([]);
    expect(cookieValues(null, 'ce_consent')).toEqual([]);
  });

  it('stops at the limit, so a forged header of thousands of copies costs nothing', () => {
    expect(cookieValues(Array.from({ length: 5000 }, (_, i) => `c=${i}`).join('; '), 'c', 8)).toHaveLength(8);
  });
});

describe('cookiePairs', () => {
  it('keeps exact bytes, duplicates and order, dropping only whitespace around ";" and empty pieces', () => {
    expect(cookiePairs('a=%20x; b="q";a=dup ;; \tc= 1 ;')).toEqual(['a=%20x', 'b="q"', 'a=dup', 'c= 1']);
  });

  it('returns nothing for a missing or empty header', () => {
    expect(cookiePairs(null)).toEqual([]);
    expect(cookiePairs('')).toEqual([]);
    expect(cookiePairs(' ; ')).toEqual([]);
  });

  it('names a pair without "=" as nameless', () => {
    expect(filterCookieHeader('x; a =1; =y', new Set(['essential']), policy).undeclared).toEqual(['', 'a']);
  });
});

describe('filterCookieHeader', () => {
  const header =
    '__Secure-next-auth.session-token.0=p0; next-auth.session-token.1=p1; _ga=GA1.1; sidebar-collapsed=true; ' +
    '_ga_XYZ=GS1; a=%20x; b="q"; a=dup; rzp_local=1; orphan; ce_consent=v1';

  it('drops analytics and functional cookies after reject all, keeping the rest byte for byte', () => {
    const verdict = filterCookieHeader(header, allowing(), policy);
    expect(verdict.forward).toBe(
      '__Secure-next-auth.session-token.0=p0; next-auth.session-token.1=p1; a=%20x; b="q"; a=dup; orphan; ce_consent=v1',
    );
    expect(verdict.refused).toEqual([
      { name: '_ga', category: 'analytics' },
      { name: 'sidebar-collapsed', category: 'functional' },
      { name: '_ga_XYZ', category: 'analytics' },
      { name: 'rzp_local', category: 'third-party' },
    ]);
    expect(verdict.undeclared).toEqual(['a', 'b', '']);
  });

  it('lists every declared cookie sent, forwarded or refused, for a withdrawal to expire', () => {
    const verdict = filterCookieHeader(header, allowing('functional'), policy);
    expect(verdict.declared.map((c) => c.name)).toEqual([
      '__Secure-next-auth.session-token.0',
      'next-auth.session-token.1',
      '_ga',
      'sidebar-collapsed',
      '_ga_XYZ',
      'rzp_local',
      'ce_consent',
    ]);
    expect(verdict.declared.find((c) => c.name === 'sidebar-collapsed')?.category).toBe('functional');
  });

  it('forwards functional cookies once functional is accepted, still dropping analytics', () => {
    const verdict = filterCookieHeader(header, allowing('functional'), policy);
    expect(verdict.forward).toContain('sidebar-collapsed=true');
    expect(verdict.forward).not.toContain('_ga');
  });

  it('forwards everything unchanged when everything is accepted', () => {
    const verdict = filterCookieHeader(header, allowing('functional', 'analytics', 'third-party'), policy);
    expect(verdict.forward).toBe(header);
    expect(verdict.refused).toEqual([]);
  });

  it('returns null when nothing is left to forward', () => {
    expect(filterCookieHeader('_ga=1; sidebar-collapsed=1', allowing(), policy).forward).toBeNull();
    expect(filterCookieHeader(null, allowing(), policy)).toEqual({ forward: null, refused: [], declared: [], undeclared: [] });
  });

  it('keeps duplicates of an allowed name and drops every duplicate of a refused one', () => {
    expect(filterCookieHeader('_ga=1; x=1; _ga=2; x=2', allowing(), policy).forward).toBe('x=1; x=2');
  });

  it('never drops essential cookies even when the allowed set omits essential', () => {
    expect(filterCookieHeader('__Host-next-auth.csrf-token=a|b', new Set(), policy).forward).toBe('__Host-next-auth.csrf-token=a|b');
  });

  it('drops a pair whose classification throws (fail closed)', () => {
    const broken: CompiledPolicy = {
      ...policy,
      classifyCookie: (name) => {
        if (name === 'boom') throw new Error('boom');
        return policy.classifyCookie(name);
      },
    };
    expect(filterCookieHeader('boom=1; ok=1', allowing(), broken).forward).toBe('ok=1');
  });

  const real = defaultPolicy();
  it.skipIf(!real)('with the default policy: forwards auth and Cloudflare cookies, drops _ga after reject all', () => {
    if (!real) return;
    const verdict = filterCookieHeader(
      '__Secure-authjs.session-token.0=a; __cf_bm=b; cf_clearance=c; _ga=d; _ga_ABC=e; report-filters=f',
      allowing(),
      real,
    );
    expect(verdict.forward).toBe('__Secure-authjs.session-token.0=a; __cf_bm=b; cf_clearance=c');
  });
});
