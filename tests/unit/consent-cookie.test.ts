/** The signed consent cookie (docs/wire-formats.md): format, signature, rotation, and garbage that never throws. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ConsentDecision, newConsentId, parseConsentValue, signConsent, verifyConsent } from '../../src/consent/cookie';
import type { CategoryId } from '../../src/policy/schema';

const CURRENT = 'secret-current';
const PREVIOUS = 'secret-previous';
const secrets = { current: CURRENT, previous: PREVIOUS };
const ID = 'Zx9_-abcdefghijklmnopq';
const decision = (change: Partial<ConsentDecision> = {}): ConsentDecision => ({
  revision: 3,
  categories: ['functional', 'analytics'],
  issued: 1_780_000_000,
  gpc: false,
  id: ID,
  ...change,
});

describe('signConsent', () => {
  it('writes v1.<revision>.<categories>.<issued>.<gpc>.<id>.<mac> with a base64url HMAC-SHA256', async () => {
    const value = await signConsent(decision(), CURRENT);
    expect(value).toMatch(/^v1\.3\.functional\+analytics\.1780000000\.0\.Zx9_-abcdefghijklmnopq\.[A-Za-z0-9_-]{43}$/);
    // The MAC is HMAC-SHA256 of everything before it, independently computed here.
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(CURRENT), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const body = value.slice(0, value.lastIndexOf('.'));
    const mac = Buffer.from(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body))).toString('base64url');
    expect(value.slice(value.lastIndexOf('.') + 1)).toBe(mac);
  });

  it('writes "-" for no optional category and 1 for a decision made under GPC', async () => {
    expect(await signConsent(decision({ categories: [], gpc: true }), CURRENT)).toMatch(/^v1\.3\.-\.1780000000\.1\./);
  });

  it('round-trips through verifyConsent', async () => {
    for (const categories of [[], ['third-party'], ['functional', 'analytics', 'third-party']] as CategoryId[][]) {
      const d = decision({ categories, gpc: categories.length === 1 });
      expect(await verifyConsent(await signConsent(d, CURRENT), secrets)).toEqual({ decision: d, signedWith: 'current' });
    }
  });
});

describe('newConsentId', () => {
  it('is URL-safe, 128 bits, and different every time', () => {
    const ids = new Set(Array.from({ length: 200 }, newConsentId));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe('verifyConsent', () => {
  it('accepts a value signed with the previous key and says so (rotation)', async () => {
    const value = await signConsent(decision(), PREVIOUS);
    expect(await verifyConsent(value, secrets)).toEqual({ decision: decision(), signedWith: 'previous' });
  });

  it('refuses the previous key once it is no longer configured, and unknown keys always', async () => {
    expect(await verifyConsent(await signConsent(decision(), PREVIOUS), { current: CURRENT })).toBeNull();
    expect(await verifyConsent(await signConsent(decision(), 'someone-else'), secrets)).toBeNull();
  });

  it('refuses a missing or empty value', async () => {
    expect(await verifyConsent(undefined, secrets)).toBeNull();
    expect(await verifyConsent('', secrets)).toBeNull();
  });

  it('refuses tampered categories, revision, issue time, GPC bit or id', async () => {
    const value = await signConsent(decision({ categories: [] }), CURRENT);
    const mac = value.slice(value.lastIndexOf('.'));
    const forged = [
      `v1.3.functional+analytics+third-party.1780000000.0.${ID}${mac}`,
      `v1.4.-.1780000000.0.${ID}${mac}`,
      `v1.3.-.1790000000.0.${ID}${mac}`,
      `v1.3.-.1780000000.1.${ID}${mac}`,
      `v1.3.-.1780000000.0.${ID.replace('Z', 'Y')}${mac}`,
      `v1.3.-.1780000000.0.${ID}.${'A'.repeat(43)}`,
      value.slice(0, -1),
      `${value}A`,
    ];
    for (const value of forged) expect(await verifyConsent(value, secrets), value).toBeNull();
  });

  it('refuses any single-character change to a signed value, MAC included', async () => {
    const value = await signConsent(decision(), CURRENT);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+';
    const accepted: string[] = [];
    // Exhaustive: every position, every character a cookie value here could hold.
    for (let at = 0; at < value.length; at++) {
      for (const ch of alphabet) {
        if (value[at] === ch) continue;
        const changed = value.slice(0, at) + ch + value.slice(at + 1);
        if (await verifyConsent(changed, secrets)) accepted.push(changed);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('refuses garbled values: wrong version, field count, numbers, categories, ids, MAC encodings', async () => {
    const good = await signConsent(decision(), CURRENT);
    const [, , , , , , mac] = good.split('.');
    const garbled = [
      'v1',
      'garbage',
      '.......',
      good.replace(/^v1/, 'v2'),
      `v1.3.functional+analytics.1780000000.0.${ID}.${mac}.extra`,
      `v1.x.functional.1780000000.0.${ID}.${mac}`,
      `v1.-1.functional.1780000000.0.${ID}.${mac}`,
      `v1.3.functional.1.5e9.0.${ID}.${mac}`,
      `v1.3.functional.1780000000.2.${ID}.${mac}`,
      `v1.3.marketing.1780000000.0.${ID}.${mac}`,
      `v1.3.essential.1780000000.0.${ID}.${mac}`,
      `v1.3.functional+functional.1780000000.0.${ID}.${mac}`,
      `v1.3..1780000000.0.${ID}.${mac}`,
      `v1.3.functional.1780000000.0.short.${mac}`,
      `v1.3.functional.1780000000.0.${ID}!.${mac}`,
      `v1.3.functional.1780000000.0.${ID}.${mac}==`,
      `v1.3.functional.1780000000.0.${ID}.a`,
      `v1.3.functional.1780000000.0.${ID}.${'x'.repeat(600)}`,
      `v1.3.functional.1780000000.0.${ID}.%00`,
    ];
    for (const value of garbled) expect(await verifyConsent(value, secrets), value).toBeNull();
  });

  it('resolves null or a decision for any string, never throws', async () => {
    const good = await signConsent(decision(), CURRENT);
    const strings = fc.oneof(
      fc.string({ maxLength: 600 }),
      fc.string({ unit: 'grapheme', maxLength: 100 }),
      fc.array(fc.string({ maxLength: 30 }), { maxLength: 9 }).map((parts) => ['v1', ...parts].join('.')),
      fc.tuple(fc.nat({ max: good.length }), fc.string({ maxLength: 8 })).map(([at, s]) => good.slice(0, at) + s + good.slice(at)),
    );
    await fc.assert(
      fc.asyncProperty(strings, async (value) => {
        const result = await verifyConsent(value, secrets);
        expect(result === null || typeof result.decision.id === 'string').toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseConsentValue', () => {
  it('never throws on any string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (value) => {
        const parsed = parseConsentValue(value);
        expect(parsed === null || Array.isArray(parsed.decision.categories)).toBe(true);
      }),
    );
  });
});

describe('verification cache', () => {
  it('answers the same for a repeated value, and never lets a cached result leak across keys', async () => {
    const value = await signConsent(
      { revision: 1, categories: ['analytics'], issued: 1_800_000_000, gpc: false, id: 'cachecachecachecache' },
      'key-a',
    );
    const first = await verifyConsent(value, { current: 'key-a' });
    const again = await verifyConsent(value, { current: 'key-a' });
    expect(again).toEqual(first);
    expect(first?.signedWith).toBe('current');
    // Mutating a returned decision does not poison the next answer.
    first?.decision.categories.push('functional');
    expect((await verifyConsent(value, { current: 'key-a' }))?.decision.categories).toEqual(['analytics']);
    expect(await verifyConsent(value, { current: 'key-b' })).toBeNull();
    expect((await verifyConsent(value, { current: 'key-b', previous: 'key-a' }))?.signedWith).toBe('previous');
  });
});
