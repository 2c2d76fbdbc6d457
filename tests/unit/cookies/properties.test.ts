/**
 * Property-based checks of the cookie filters: for any headers and any consent, nothing refused
 * passes (except deletions), essential is never stripped, bytes are unchanged, nothing throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filterCookieHeader } from '../../../src/cookies/cookie-header';
import { isDeletion, parseSetCookie } from '../../../src/core/set-cookie';
import { filterSetCookies } from '../../../src/cookies/set-cookie';
import type { CompiledPolicy } from '../../../src/policy/compile';
import { CATEGORY_IDS, type CategoryId } from '../../../src/policy/schema';
import { compiled, defaultPolicy, testPolicyInput } from './fixtures';

const NOW = Date.UTC(2026, 3, 1);

const policies: Array<[string, CompiledPolicy]> = [
  ['inline policy (block)', compiled()],
  ['inline policy (allow)', compiled(testPolicyInput('allow'))],
];
const real = defaultPolicy();
if (real) policies.push(['default policy.json', real]);

/** Cookie names a browser may send or an origin may set: declared, prefixed, chunked, random. */
function nameArb(policy: CompiledPolicy): fc.Arbitrary<string> {
  const patterns = policy.policy.categories.flatMap((c) => c.cookies.map((k) => k.name));
  const declared = fc
    .tuple(fc.constantFrom(...patterns), fc.stringMatching(/^[A-Za-z0-9_]{0,6}$/))
    .map(([pattern, tail]) => (pattern.endsWith('*') ? pattern.slice(0, -1) + tail : pattern));
  const dressed = fc
    .tuple(
      fc.constantFrom('', '', '__Secure-', '__Host-', '__secure-', '__HOST-'),
      declared,
      fc.constantFrom('', '', '.0', '.1', '.12', '.x', '.1234'),
    )
    .map(([prefix, name, chunk]) => prefix + name + chunk);
  return fc.oneof(
    { weight: 4, arbitrary: dressed },
    { weight: 1, arbitrary: fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/) },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
    { weight: 1, arbitrary: fc.constant('') },
  );
}

const attributeArb = fc.oneof(
  fc.integer({ min: -5, max: 100_000 }).map((n) => `Max-Age=${n}`),
  fc.constantFrom('max-age=0', 'Max-Age=abc', 'Max-Age=-0', 'MAX-AGE= 0 ', 'Max-Age='),
  fc.date({ min: new Date(0), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true }).map((d) => `Expires=${d.toUTCString()}`),
  fc.constantFrom('expires=Thu, 01 Jan 60 00:00:00 GMT', 'Expires=never', 'Expires=01-Jan-70 00:00:00'),
  fc.constantFrom('Path=/', 'path=/x', 'Domain=.trackncloak.com', 'Secure', 'HttpOnly', 'SameSite=None', 'Partitioned', ''),
  fc.string({ maxLength: 12 }),
);

function setCookieArb(policy: CompiledPolicy): fc.Arbitrary<string> {
  const built = fc
    .tuple(
      nameArb(policy),
      fc.constantFrom('=', ' = ', '', '='),
      fc.string({ maxLength: 12 }),
      fc.array(attributeArb, { maxLength: 5 }),
      fc.constantFrom('; ', ';', ' ;\t'),
    )
    .map(([name, eq, value, attrs, sep]) => [name + eq + value, ...attrs].join(sep));
  return fc.oneof({ weight: 5, arbitrary: built }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) });
}

const allowedArb = fc.subarray([...CATEGORY_IDS]).map((ids) => new Set<CategoryId>(ids));

const isSubsequence = (sub: readonly string[], of: readonly string[]) => {
  let i = 0;
  for (const item of of) if (i < sub.length && sub[i] === item) i++;
  return i === sub.length;
};

for (const [label, policy] of policies) {
  describe(`Set-Cookie properties with the ${label}`, () => {
    it('never passes a refused or blocked-undeclared cookie unless it deletes, never strips essential, keeps bytes', () => {
      fc.assert(
        fc.property(fc.array(setCookieArb(policy), { maxLength: 8 }), allowedArb, (headers, allowed) => {
          const verdict = filterSetCookies(headers, allowed, policy, NOW);
          expect(verdict.pass.length + verdict.blocked.length).toBe(headers.length);
          expect(isSubsequence(verdict.pass, headers)).toBe(true);
          const passed = new Set(verdict.pass);
          for (const header of headers) {
            const parsed = parseSetCookie(header);
            if (parsed === null) {
              expect(passed.has(header)).toBe(false);
              continue;
            }
            if (isDeletion(parsed, NOW)) {
              expect(passed.has(header)).toBe(true);
              continue;
            }
            const category = parsed.nameless ? undefined : policy.classifyCookie(parsed.name)?.category;
            const ok =
              category === undefined ? policy.policy.undeclared === 'allow' : category === policy.required || allowed.has(category);
            expect(passed.has(header)).toBe(ok);
          }
        }),
        { numRuns: 500 },
      );
    });
  });

  describe(`Cookie header properties with the ${label}`, () => {
    /** A pair as a browser sends it: no ";" and no whitespace at either end. */
    const pairArb = fc
      .tuple(nameArb(policy), fc.constantFrom('=', '=', ''), fc.string({ maxLength: 10 }))
      .map(([name, eq, value]) => (name + eq + value).replace(/;/g, '').replace(/^[ \t]+|[ \t]+$/g, ''))
      .filter((pair) => pair !== '');

    it('forwards exactly the input pairs minus refused ones, in order, byte-identical', () => {
      fc.assert(
        fc.property(fc.array(pairArb, { maxLength: 10 }), fc.constantFrom('; ', ';', ' ; ', ';\t'), allowedArb, (pairs, sep, allowed) => {
          const verdict = filterCookieHeader(pairs.join(sep), allowed, policy);
          const refused = (pair: string) => {
            const eq = pair.indexOf('=');
            const name = eq === -1 ? '' : pair.slice(0, eq).replace(/^[ \t]+|[ \t]+$/g, '');
            const category = name === '' ? undefined : policy.classifyCookie(name)?.category;
            return category !== undefined && category !== policy.required && !allowed.has(category);
          };
          const kept = pairs.filter((p) => !refused(p));
          expect(verdict.forward).toBe(kept.length ? kept.join('; ') : null);
          expect(verdict.refused.length).toBe(pairs.length - kept.length);
          expect(verdict.refused.every((r) => !allowed.has(r.category) && r.category !== policy.required)).toBe(true);
        }),
        { numRuns: 500 },
      );
    });

    it('never throws on any string', () => {
      fc.assert(
        fc.property(fc.option(fc.string({ maxLength: 60 })), allowedArb, (header, allowed) => {
          filterCookieHeader(header, allowed, policy);
        }),
      );
    });
  });
}

describe('parseSetCookie on arbitrary input', () => {
  it('never throws and returns a name and value free of edge whitespace', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (header) => {
        const parsed = parseSetCookie(header);
        if (parsed === null) return;
        expect(parsed.name).toBe(parsed.name.replace(/^[ \t]+|[ \t]+$/g, ''));
        expect(parsed.value).toBe(parsed.value.replace(/^[ \t]+|[ \t]+$/g, ''));
        expect(parsed.nameless).toBe(parsed.name === '');
      }),
      { numRuns: 1000 },
    );
  });
});
