/**
 * The decision record: what may be stored (never an IP address), how request data is
 * normalised, and the policy hash that ties a decision to the texts shown.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDecisionRecord, DecisionRecord, LogMessage } from '../../src/log/record';
import { canonicalJson, policyHash } from '../../src/policy/digest';
import { parsePolicy } from '../../src/policy/index';
import type { Policy } from '../../src/policy/schema';

function loadPolicy(): Policy {
  const result = parsePolicy(JSON.parse(readFileSync(new URL('../../policy.json', import.meta.url), 'utf8')));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.policy;
}

const input = {
  consentId: 'AAAAAAAAAAAAAAAAAAAAAA',
  action: 'save' as const,
  accepted: ['essential' as const, 'functional' as const],
  refused: ['analytics' as const, 'third-party' as const],
  revision: 1,
  policyHash: 'e'.repeat(64),
  regime: 'opt-in' as const,
  country: 'IN',
  gpc: false,
  path: '/reports',
  userAgent: 'Mozilla/5.0',
  locale: 'en',
  surface: 'banner' as const,
};

describe('policyHash', () => {
  it('is the SHA-256 hex of the canonical JSON, whatever the key order', async () => {
    const policy = loadPolicy();
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reverseKeys)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reverseKeys(x)]),
            )
          : v;
    const reordered = reverseKeys(policy) as Policy;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(policy));
    const hash = await policyHash(policy);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await policyHash(reordered)).toBe(hash);
  });

  it('changes when a banner text changes, so a decision proves which text was shown', async () => {
    const policy = loadPolicy();
    const edited = structuredClone(policy);
    const locale = edited.locales[edited.defaultLocale];
    if (!locale) throw new Error('default locale missing');
    locale.banner.body = `${locale.banner.body} (edited)`;
    expect(await policyHash(edited)).not.toBe(await policyHash(policy));
  });

  it('matches an independently computed digest', async () => {
    const { createHash } = await import('node:crypto');
    const policy = loadPolicy();
    expect(await policyHash(policy)).toBe(createHash('sha256').update(canonicalJson(policy)).digest('hex'));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined like JSON does', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
  });
});

describe('createDecisionRecord', () => {
  it('adds a random id and the time, and validates', () => {
    const a = createDecisionRecord(input, new Date('2026-04-01T09:30:00Z'));
    const b = createDecisionRecord(input, new Date('2026-04-01T09:30:00Z'));
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.at).toBe('2026-04-01T09:30:00.000Z');
    expect(DecisionRecord.parse(a)).toEqual(a);
  });

  it('keeps only the pathname: query strings may carry personal data', () => {
    expect(createDecisionRecord({ ...input, path: '/signin?email=a@example.com#x' }).path).toBe('/signin');
    expect(createDecisionRecord({ ...input, path: 'https://trackncloak.com/reports?period=7d' }).path).toBe('/reports');
    expect(createDecisionRecord({ ...input, path: 'not a url' }).path).toBe('/');
  });

  it('records the unknown country XX as null and bounds the user agent', () => {
    const r = createDecisionRecord({ ...input, country: 'XX', userAgent: 'x'.repeat(5000) });
    expect(r.country).toBeNull();
    expect(r.userAgent).toHaveLength(512);
    expect(createDecisionRecord({ ...input, country: undefined, userAgent: null }).userAgent).toBe('');
    expect(createDecisionRecord({ ...input, country: 'T1' }).country).toBe('T1');
  });
});

describe('DecisionRecord schema', () => {
  const valid = createDecisionRecord(input);

  it('rejects any extra field, so an IP address can never be stored', () => {
    expect(DecisionRecord.safeParse({ ...valid, ip: '203.0.113.9' }).success).toBe(false);
    expect(DecisionRecord.safeParse({ ...valid, ipAddress: '2001:db8::1' }).success).toBe(false);
  });

  it('rejects unknown actions and categories', () => {
    expect(DecisionRecord.safeParse({ ...valid, action: 'maybe' }).success).toBe(false);
    expect(DecisionRecord.safeParse({ ...valid, accepted: ['marketing'] }).success).toBe(false);
  });

  it('accepts every action inside a queue message', () => {
    for (const action of ['accept-all', 'reject-all', 'save', 'withdraw', 'contextual'] as const) {
      expect(LogMessage.safeParse({ kind: 'decision', record: { ...valid, action } }).success).toBe(true);
    }
  });
});
