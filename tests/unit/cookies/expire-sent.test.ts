/** After a decision: expiring the refused categories' cookies the request carried, on its host. */
import { describe, expect, it } from 'vitest';
import { filterCookieHeader } from '../../../src/cookies/cookie-header';
import { expireCategories } from '../../../src/cookies/expire';
import { compiled } from './fixtures';

const policy = compiled();
const GONE = 'Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT';
const HOST = { hostname: 'app.trackncloak.com', https: true };
/** The declared cookies of a request's Cookie header, as its verdict lists them. */
const sent = (cookie: string | null) => filterCookieHeader(cookie, new Set(['essential']), policy).declared;

describe('expiring the cookies a withdrawal refuses', () => {
  it("expires only the sent cookies of the refused categories, scoped to the request's host", () => {
    const lines = expireCategories(['analytics'], sent('_ga=1; theme=dark'), policy, HOST);
    expect(lines).toContain(`_ga=; ${GONE}; Path=/`);
    expect(lines).toContain(`_ga=; ${GONE}; Path=/; Domain=trackncloak.com`);
    expect(lines.some((line) => line.startsWith('theme='))).toBe(false);
  });

  it('expires nothing without a Cookie header or for the required category', () => {
    expect(expireCategories(['analytics'], sent(null), policy, HOST)).toEqual([]);
    expect(expireCategories([policy.required], sent('next-auth.session-token=x'), policy, HOST)).toEqual([]);
  });
});
