/** A decision's page path: the Referer only when it is this site's, so no other site's path is logged. */
import { describe, expect, it } from 'vitest';
import { sameOriginUrl } from '../../src/log/decision-hook';

describe('sameOriginUrl', () => {
  it('keeps a Referer from this origin', () => {
    expect(sameOriginUrl('https://shop.test/reports?x=1', 'https://shop.test/__consent')).toBe('https://shop.test/reports?x=1');
  });

  it("drops another site's Referer, another scheme's or port's, and garbage", () => {
    expect(sameOriginUrl('https://evil.test/reports', 'https://shop.test/__consent')).toBeUndefined();
    expect(sameOriginUrl('http://shop.test/reports', 'https://shop.test/__consent')).toBeUndefined();
    expect(sameOriginUrl('https://shop.test:8443/reports', 'https://shop.test/__consent')).toBeUndefined();
    expect(sameOriginUrl('not a url', 'https://shop.test/__consent')).toBeUndefined();
    expect(sameOriginUrl(undefined, 'https://shop.test/__consent')).toBeUndefined();
  });
});
