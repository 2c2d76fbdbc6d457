import { describe, expect, it, vi } from 'vitest';
import { addressKey, checkDecisionLimits } from '../../src/consent/rate-limit';

/** A limiter that allows `limit` calls per key, like the binding within one window. */
function limiter(limit: number) {
  const counts = new Map<string, number>();
  const keys: string[] = [];
  return {
    keys,
    binding: {
      limit: async ({ key }: { key: string }) => {
        keys.push(key);
        const n = (counts.get(key) ?? 0) + 1;
        counts.set(key, n);
        return { success: n <= limit };
      },
    } as RateLimit,
  };
}

describe('addressKey', () => {
  it('keeps an IPv4 address and counts an IPv6 address by its /64', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('2001:db8:85a3:1:2:3:4:5')).toBe('2001:db8:85a3:1::/64');
    expect(addressKey('2001:DB8:85A3:0001::1')).toBe('2001:db8:85a3:1::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('gives no key for a missing or garbled address', () => {
    for (const value of [null, '', ' ', 'unknown', '1.2.3.4; drop', 'g::1', 'x'.repeat(80)])
      expect(addressKey(value), String(value)).toBeNull();
  });
});

describe('checkDecisionLimits', () => {
  it('counts the consent id and the address, and names the limit that refused', async () => {
    const consent = limiter(2);
    const address = limiter(100);
    const who = { consentId: 'id-1', address: '203.0.113.9' };
    const limits = { consent: consent.binding, address: address.binding };
    expect(await checkDecisionLimits(limits, who, () => {})).toEqual({ ok: true });
    expect(await checkDecisionLimits(limits, who, () => {})).toEqual({ ok: true });
    expect(await checkDecisionLimits(limits, who, () => {})).toEqual({ ok: false, by: 'consent', retryAfter: 60 });
    expect(consent.keys).toEqual(['id-1', 'id-1', 'id-1']);
    expect(address.keys).toEqual(['203.0.113.9', '203.0.113.9', '203.0.113.9']);
  });

  it('skips a limit with no binding or no key (a first decision has no consent id yet)', async () => {
    const address = limiter(1);
    expect(await checkDecisionLimits({ address: address.binding }, { consentId: null, address: null }, () => {})).toEqual({ ok: true });
    expect(await checkDecisionLimits({}, { consentId: 'x', address: '203.0.113.9' }, () => {})).toEqual({ ok: true });
    expect(address.keys).toEqual([]);
  });

  it('lets the decision through when a limiter fails, and reports the failure', async () => {
    const onError = vi.fn();
    const failing = { limit: () => Promise.reject(new Error('down')) } as unknown as RateLimit;
    expect(await checkDecisionLimits({ consent: failing }, { consentId: 'x', address: null }, onError)).toEqual({ ok: true });
    expect(onError).toHaveBeenCalledOnce();
  });
});
