/** After a decision: expiring the refused categories' cookies the request carried, on its host. */
import { describe, expect, it } from 'vitest';
import { expireSentCookies } from '../../../src/cookies/expire';
import { compiled } from './fixtures';

const policy = compiled();
const GONE = 'Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT';

describe('expireSentCookies', () => {
  it("expires only the sent cookies of the refused categories, scoped to the URL's host", () => {
    const lines = expireSentCookies(['analytics'], { url: 'https://app.trackncloak.com/__consent', cookie: '_ga=1; theme=dark' }, policy);
    expect(lines).toContain(`_ga=; ${GONE}; Path=/`);
    expect(lines).toContain(`_ga=; ${GONE}; Path=/; Domain=trackncloak.com`);
    expect(lines.some((line) => line.startsWith('theme='))).toBe(false);
  });

  it('expires nothing without a Cookie header or for the required category', () => {
    expect(expireSentCookies(['analytics'], { url: 'https://app.trackncloak.com/', cookie: null }, policy)).toEqual([]);
    expect(
      expireSentCookies([policy.required], { url: 'https://app.trackncloak.com/', cookie: 'next-auth.session-token=x' }, policy),
    ).toEqual([]);
  });
});
