/**
 * The verdict on a write reads only the pair and the lifetime (src/core/set-cookie.ts): they agree
 * with the full parse on every header, so what banner.js and the filter decide is what the
 * browser stores.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCookiePair, parseLifetime, parseSetCookie } from '../../../src/core/set-cookie';

const attribute = fc.oneof(
  fc.constantFrom(
    'Max-Age=0',
    'max-age=60',
    'Max-Age=-1',
    'max-age=0x',
    'Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    'expires=Fri, 01 Jan 2100 00:00:00 GMT',
  ),
  fc.constantFrom('expires=garbage', 'Path=/', 'Domain=.a.com', 'Secure', 'HttpOnly', 'SameSite=Lax', ''),
  fc.string({ maxLength: 20 }),
);
const header = fc.tuple(fc.string({ maxLength: 20 }), fc.array(attribute, { maxLength: 6 })).map(([pair, avs]) => [pair, ...avs].join(';'));

describe('the pair and the lifetime of a Set-Cookie', () => {
  it('agree with the full parse on any header', () => {
    fc.assert(
      fc.property(header, (line) => {
        const full = parseSetCookie(line);
        const pair = parseCookiePair(line);
        if (full === null || pair === null) {
          expect(pair).toBe(full);
          return;
        }
        expect({ name: pair.name, value: pair.value, nameless: pair.nameless }).toEqual({
          name: full.name,
          value: full.value,
          nameless: full.nameless,
        });
        const lifetime = parseLifetime(pair.unparsed);
        expect(lifetime.maxAge).toBe(full.attributes.maxAge);
        expect(lifetime.expires).toBe(full.attributes.expires);
      }),
    );
  });
});
