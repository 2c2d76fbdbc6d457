/**
 * Rate limits on decisions, with the Workers Rate Limiting binding: per consent id and
 * per client address, so nobody can flood the consent log with proof records. The limits sit in
 * wrangler.toml far above what a person (or a carrier-grade NAT address full of people) does;
 * a missing binding limits nothing, and a limiter that fails never refuses a visitor.
 */

export interface DecisionLimiters {
  /** Keyed by the consent id the visitor's cookie carries (absent on a first decision). */
  consent?: RateLimit;
  /** Keyed by the client address (`CF-Connecting-IP`), an IPv6 address by its /64. */
  address?: RateLimit;
}

export type LimitVerdict = { ok: true } | { ok: false; by: 'consent' | 'address'; retryAfter: number };

/** Both bindings count in windows of this many seconds (wrangler.toml `period`). */
const PERIOD_SECONDS = 60;

/**
 * The key a client address is counted under: an IPv4 address as is, an IPv6 address by its /64
 * (one subscriber gets a whole /64, so counting single addresses would be no limit at all).
 * Null when there is no usable address.
 * @example
 * addressKey('2001:db8:85a3:1:2:3:4:5') // '2001:db8:85a3:1::/64'
 * addressKey('203.0.113.9')             // '203.0.113.9'
 */
export function addressKey(address: string | null): string | null {
  const value = address?.trim().toLowerCase();
  if (!value || value.length > 64) return null;
  if (!value.includes(':')) return /^[0-9.]+$/.test(value) ? value : null;
  if (!/^[0-9a-f:.]+$/.test(value)) return null;
  const [head = '', tail = ''] = value.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = value.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  const prefix = groups.slice(0, 4).map((g) => Number.parseInt(g || '0', 16).toString(16));
  return prefix.length === 4 && prefix.every((g) => g !== 'NaN') ? `${prefix.join(':')}::/64` : null;
}

/**
 * Counts one decision against each limit that applies; the first one past its limit refuses it.
 * @example
 * const verdict = await checkDecisionLimits({ consent: env.DECISION_LIMIT_CONSENT }, { consentId, address }, log);
 * if (!verdict.ok) return tooMany(verdict.retryAfter);
 */
export async function checkDecisionLimits(
  limiters: DecisionLimiters,
  who: { consentId: string | null; address: string | null },
  onError: (error: unknown) => void,
): Promise<LimitVerdict> {
  const address = addressKey(who.address);
  const checks: ['consent' | 'address', RateLimit | undefined, string | null][] = [
    ['consent', limiters.consent, who.consentId],
    ['address', limiters.address, address],
  ];
  const outcomes = await Promise.all(
    checks.map(async ([by, limiter, key]) => {
      if (!limiter || !key) return null;
      try {
        return (await limiter.limit({ key })).success ? null : by;
      } catch (error) {
        // A limiter that cannot answer must not cost a visitor their choice.
        onError(error);
        return null;
      }
    }),
  );
  const by = outcomes.find((outcome) => outcome !== null);
  return by ? { ok: false, by, retryAfter: PERIOD_SECONDS } : { ok: true };
}
