/** Set-Cookie filtering per consent state, against the inline test policy and the default policy. */
import { describe, expect, it } from 'vitest';
import { filterSetCookies } from '../../../src/cookies/set-cookie';
import type { CompiledPolicy } from '../../../src/policy/compile';
import type { CategoryId } from '../../../src/policy/schema';
import { compiled, defaultPolicy, testPolicyInput } from './fixtures';

const NOW = Date.UTC(2026, 3, 1);
const policy = compiled();
const allowing = (...ids: CategoryId[]) => new Set<CategoryId>(['essential', ...ids]);

/** One representative Set-Cookie per declared cookie, as the origin would send it. */
const BY_CATEGORY: Record<CategoryId, string[]> = {
  essential: [
    '__Secure-next-auth.session-token=eyJ; Path=/; HttpOnly; Secure; SameSite=Lax',
    '__Secure-next-auth.session-token.0=part0; Path=/; HttpOnly; Secure',
    'next-auth.session-token.1=part1; Path=/; HttpOnly',
    '__Host-next-auth.csrf-token=abc%7Cdef; Path=/; HttpOnly; Secure; SameSite=Lax',
    'ce_consent=v1.1.-.1.0.id.mac; Path=/; SameSite=Lax',
    '__cf_bm=x; Domain=.trackncloak.com; Path=/; HttpOnly; Secure; SameSite=None',
  ],
  functional: ['sidebar-collapsed=true; Path=/; Max-Age=31536000', 'report-filters="a,b"; Path=/reports'],
  analytics: [
    '_ga=GA1.1.123.456; Domain=.trackncloak.com; Path=/; Expires=Fri, 01 Jan 2100 00:00:00 GMT',
    '_ga_ABC123=GS1.1.1; Domain=trackncloak.com; Max-Age=63072000',
    'big.0=x',
    'big.12=y',
  ],
  'third-party': ['rzp_local=1; Path=/'],
};
const ALL = Object.values(BY_CATEGORY).flat();
const STATES: CategoryId[][] = [[], ['functional'], ['analytics'], ['third-party'], ['functional', 'analytics', 'third-party']];

describe('filterSetCookies', () => {
  for (const accepted of STATES) {
    it(`passes exactly the allowed categories when ${accepted.join('+') || 'nothing'} is accepted`, () => {
      const verdict = filterSetCookies(ALL, allowing(...accepted), policy, NOW);
      const expected = (Object.keys(BY_CATEGORY) as CategoryId[])
        .filter((id) => id === 'essential' || accepted.includes(id))
        .flatMap((id) => BY_CATEGORY[id]);
      expect(verdict.pass).toEqual(ALL.filter((h) => expected.includes(h)));
      expect(verdict.blocked.every((b) => b.reason === 'refused' && b.category && !accepted.includes(b.category))).toBe(true);
      expect(verdict.pass.length + verdict.blocked.length).toBe(ALL.length);
    });
  }

  it('strips analytics Set-Cookie without analytics consent, naming the cookie and category', () => {
    const verdict = filterSetCookies([BY_CATEGORY.analytics[0] ?? ''], allowing('functional'), policy, NOW);
    expect(verdict).toEqual({ pass: [], blocked: [{ name: '_ga', category: 'analytics', reason: 'refused' }], undeclared: [] });
  });

  it('passes essential even when the allowed set omits it', () => {
    expect(filterSetCookies(BY_CATEGORY.essential, new Set(), policy, NOW).pass).toEqual(BY_CATEGORY.essential);
  });

  it('passes headers byte-for-byte, in order, never joined', () => {
    const headers = ['a=1', ...BY_CATEGORY.essential, 'b=2'];
    const verdict = filterSetCookies(headers, allowing(), compiled(testPolicyInput('allow')), NOW);
    expect(verdict.pass).toEqual(headers);
    for (const [i, h] of verdict.pass.entries()) expect(h).toBe(headers[i]);
  });

  it('blocks undeclared cookies when the policy says block, and reports them', () => {
    const verdict = filterSetCookies(['tracker=1; Path=/', 'tracker=2'], allowing('analytics'), policy, NOW);
    expect(verdict.pass).toEqual([]);
    expect(verdict.blocked).toEqual([
      { name: 'tracker', category: null, reason: 'undeclared' },
      { name: 'tracker', category: null, reason: 'undeclared' },
    ]);
    expect(verdict.undeclared).toEqual(['tracker']);
  });

  it('passes undeclared cookies when the policy says allow, and still reports them', () => {
    const verdict = filterSetCookies(['tracker=1'], allowing(), compiled(testPolicyInput('allow')), NOW);
    expect(verdict).toEqual({ pass: ['tracker=1'], blocked: [], undeclared: ['tracker'] });
  });

  it('treats nameless cookies as undeclared', () => {
    const blocked = filterSetCookies(['_ga', '=_ga'], allowing('analytics'), policy, NOW);
    expect(blocked.pass).toEqual([]);
    expect(blocked.blocked.map((b) => b.reason)).toEqual(['nameless', 'nameless']);
    expect(filterSetCookies(['x'], allowing(), compiled(testPolicyInput('allow')), NOW).pass).toEqual(['x']);
  });

  it('always passes deletions, even of refused and undeclared cookies', () => {
    const deletions = [
      '_ga=; Domain=trackncloak.com; Max-Age=0',
      'sidebar-collapsed=; Max-Age=-1',
      'tracker=; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
      '=gone; Max-Age=0',
    ];
    expect(filterSetCookies(deletions, allowing(), policy, NOW).pass).toEqual(deletions);
  });

  it('does not mistake a future Expires or a later positive Max-Age for a deletion', () => {
    const headers = ['_ga=1; Max-Age=0; Max-Age=60', '_ga=1; Expires=Thu, 01 Jan 60 00:00:00 GMT'];
    expect(filterSetCookies(headers, allowing(), policy, NOW).pass).toEqual([]);
  });

  it('matches __Secure-/__Host- prefixes and declared chunks, but not chunks of unchunked cookies', () => {
    const verdict = filterSetCookies(
      ['__Host-sidebar-collapsed=1', '__secure-_ga=1', 'big.3=1', 'sidebar-collapsed.0=1'],
      allowing(),
      policy,
      NOW,
    );
    expect(verdict.blocked).toEqual([
      { name: '__Host-sidebar-collapsed', category: 'functional', reason: 'refused' },
      { name: '__secure-_ga', category: 'analytics', reason: 'refused' },
      { name: 'big.3', category: 'analytics', reason: 'refused' },
      { name: 'sidebar-collapsed.0', category: null, reason: 'undeclared' },
    ]);
  });

  it('blocks headers the browser would ignore anyway', () => {
    expect(filterSetCookies(['next-auth.csrf-token=a\r\nb', '='], allowing(), policy, NOW).blocked.map((b) => b.reason)).toEqual([
      'invalid',
      'invalid',
    ]);
  });

  it('fails closed per header when classification throws', () => {
    const broken: CompiledPolicy = {
      ...policy,
      classifyCookie: (name) => {
        if (name === 'boom') throw new Error('boom');
        return policy.classifyCookie(name);
      },
    };
    const verdict = filterSetCookies(['boom=1', 'ce_consent=x'], allowing('analytics'), broken, NOW);
    expect(verdict.pass).toEqual(['ce_consent=x']);
    expect(verdict.blocked).toEqual([{ name: '', category: null, reason: 'error' }]);
  });
});

describe('filterSetCookies with the default policy.json', () => {
  const real = defaultPolicy();
  it.skipIf(!real)('passes next-auth cookies in every prefixed and chunked form and the consent cookie without consent', () => {
    if (!real) return;
    const headers = [
      '__Secure-next-auth.session-token=a; Path=/; Secure; HttpOnly',
      '__Secure-next-auth.session-token.0=a; Path=/; Secure; HttpOnly',
      '__Secure-next-auth.session-token.1=b; Path=/; Secure; HttpOnly',
      '__Host-next-auth.csrf-token=c; Path=/; Secure; HttpOnly',
      '__Secure-next-auth.callback-url=d; Path=/; Secure',
      `${real.policy.consentCookie.name}=v1; Path=/`,
      '__cf_bm=e; Domain=.trackncloak.com; Path=/',
    ];
    expect(filterSetCookies(headers, allowing(), real, NOW).pass).toEqual(headers);
  });

  it.skipIf(!real)('strips _ga, _ga_<ID> and functional cookies after reject all', () => {
    if (!real) return;
    const headers = [
      '_ga=GA1.1.1; Domain=.trackncloak.com; Max-Age=63072000',
      '_ga_ABC=GS1; Domain=.trackncloak.com; Max-Age=63072000',
      'sidebar-collapsed=1; Max-Age=31536000',
      'report-filters=x',
    ];
    const verdict = filterSetCookies(headers, allowing(), real, NOW);
    expect(verdict.pass).toEqual([]);
    expect(verdict.blocked.map((b) => b.category)).toEqual(['analytics', 'analytics', 'functional', 'functional']);
    expect(filterSetCookies(headers, allowing('functional'), real, NOW).pass).toEqual(headers.slice(2));
  });
});
