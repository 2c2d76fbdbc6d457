/** Reading a request's consent (cookie, Sec-GPC, cf location, secrets) through a bare Hono app in Node. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { signConsent } from '../../src/consent/cookie';
import { isPlaceholderLocation, MISSING_SECRET, readRequestConsent, requestLocation } from '../../src/consent/request';
import type { ConsentState } from '../../src/consent/state';
import type { AppEnv, Bindings } from '../../src/env';
import { compilePolicy } from '../../src/policy/compile';
import { parsePolicy } from '../../src/policy/index';
import { MINIFLARE_PLACEHOLDER_CF } from '../support/fixtures';

const raw = JSON.parse(readFileSync(join(__dirname, '../../policy.json'), 'utf8')) as Record<string, unknown>;
const parsed = parsePolicy({ ...raw, regimes: { default: 'opt-in', regions: { 'US-CA': 'opt-out', 'US-TX': 'opt-out' } } });
if (!parsed.ok) throw new Error('policy variant invalid');
const policy = compilePolicy(parsed.policy);
const NOW = 1_780_000_000;
const SECRETS = { CONSENT_SECRET: 'cur', CONSENT_SECRET_PREVIOUS: 'prev' };

const app = new Hono<AppEnv>();
app.get('/', async (c) => {
  const { state, verified } = await readRequestConsent(c.req.raw, c.env, policy, NOW);
  return c.json({ state, signedWith: verified?.signedWith ?? null });
});

async function read(env: Record<string, string | undefined>, headers: Record<string, string> = {}, cf?: object) {
  const request = new Request('https://shop.test/', { headers });
  if (cf) Object.defineProperty(request, 'cf', { value: cf });
  const res = await app.fetch(request, env as unknown as Bindings);
  expect(res.status).toBe(200);
  return (await res.json()) as { state: ConsentState; signedWith: string | null };
}

const CA = { country: 'US', regionCode: 'CA' };
const decision = { revision: 1, categories: ['functional' as const], issued: NOW - 60, gpc: false, id: 'abcdefghijklmnopqrstuv' };

describe('readRequestConsent', () => {
  it('reads the signed cookie and says which key signed it', async () => {
    const current = await read(SECRETS, { cookie: `x=1; ce_consent=${await signConsent(decision, 'cur')}` });
    expect(current).toMatchObject({ signedWith: 'current', state: { decided: true, categories: { functional: true, analytics: false } } });
    const previous = await read(SECRETS, { cookie: `ce_consent=${await signConsent(decision, 'prev')}` });
    expect(previous.signedWith).toBe('previous');
    expect(previous.state.decided).toBe(true);
  });

  it('reads Sec-GPC: 1 only', async () => {
    expect((await read(SECRETS, { 'sec-gpc': '1' })).state.gpc).toBe(true);
    expect((await read(SECRETS, { 'sec-gpc': ' 1 ' })).state.gpc).toBe(true);
    expect((await read(SECRETS, { 'sec-gpc': '0' })).state.gpc).toBe(false);
    expect((await read(SECRETS, { 'sec-gpc': 'true' })).state.gpc).toBe(false);
  });

  it('decides the regime from cf, and opt-in without cf (the local placeholder is no place)', async () => {
    expect((await read(SECRETS, {}, CA)).state).toMatchObject({
      regime: 'opt-out',
      decided: false,
      categories: { functional: true, analytics: true },
    });
    expect((await read(SECRETS)).state).toMatchObject({ regime: 'opt-in', categories: { functional: false } });
    expect((await read(SECRETS, {}, { country: 42 })).state.regime).toBe('opt-in');
  });

  it('treats a garbled cookie header as no decision, never an error', async () => {
    for (const cookie of ['ce_consent=%E0%A4%A', 'ce_consent', '=;;=', `ce_consent=${'%'.repeat(5000)}`]) {
      expect((await read(SECRETS, { cookie })).state.decided).toBe(false);
    }
  });

  it('with CONSENT_SECRET missing: reports the error, logs it, and allows essential only, even in an opt-out region', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const cookie = `ce_consent=${await signConsent({ ...decision, categories: ['functional', 'analytics', 'third-party'] }, 'cur')}`;
    const { state } = await read({ CONSENT_SECRET: undefined, CONSENT_SECRET_PREVIOUS: 'prev' }, { cookie }, CA);
    expect(state.error).toBe(MISSING_SECRET);
    expect(state.decided).toBe(false);
    expect(state.categories).toEqual({ essential: true, functional: false, analytics: false, 'third-party': false });
    expect(error).toHaveBeenCalledWith(expect.stringContaining('CONSENT_SECRET is not configured'));
    error.mockRestore();
  });
});

describe('requestLocation', () => {
  it("reads Miniflare's placeholder as no location, and so as opt-in", async () => {
    const request = new Request('https://shop.test/');
    Object.defineProperty(request, 'cf', { value: MINIFLARE_PLACEHOLDER_CF });
    expect(isPlaceholderLocation(MINIFLARE_PLACEHOLDER_CF)).toBe(true);
    expect(requestLocation(request)).toEqual({ country: null, regionCode: null });
    // The policy makes Texas opt-out: a developer's machine is still not in Texas.
    expect((await read(SECRETS, {}, MINIFLARE_PLACEHOLDER_CF)).state.regime).toBe('opt-in');
    expect((await read(SECRETS, {}, { ...MINIFLARE_PLACEHOLDER_CF, city: 'Dallas', postalCode: '75201' })).state.regime).toBe('opt-out');
  });

  it('takes a country a test passes over the placeholder at its word', () => {
    expect(isPlaceholderLocation({ ...MINIFLARE_PLACEHOLDER_CF, country: 'DE', regionCode: 'BE' })).toBe(false);
    expect(isPlaceholderLocation({})).toBe(false);
  });

  it('takes country and regionCode from cf when they are strings', () => {
    const request = new Request('https://shop.test/');
    Object.defineProperty(request, 'cf', { value: CA });
    expect(requestLocation(request)).toEqual({ country: 'US', regionCode: 'CA' });
    expect(requestLocation(new Request('https://shop.test/'))).toEqual({ country: null, regionCode: null });
  });
});

describe('readRequestConsent with several consent cookies', () => {
  it('lets the valid cookie with the latest issued win, in either order, ignoring forged ones', async () => {
    const acceptAll = await signConsent({ ...decision, categories: ['functional', 'analytics', 'third-party'], issued: NOW - 3600 }, 'cur');
    const rejectAll = await signConsent({ ...decision, categories: [], issued: NOW - 60 }, 'cur');
    const forged = `${(await signConsent({ ...decision, issued: NOW }, 'cur')).slice(0, -2)}xx`;
    for (const cookie of [
      `ce_consent=${acceptAll}; ce_consent=${rejectAll}`,
      `ce_consent=${rejectAll}; x=1; ce_consent=${acceptAll}`,
      `ce_consent=${forged}; ce_consent=${acceptAll}; ce_consent=${rejectAll}`,
    ]) {
      const { state } = await read(SECRETS, { cookie });
      expect(state.decided, cookie).toBe(true);
      expect(state.categories.analytics, cookie).toBe(false);
      expect(state.issuedAt, cookie).toBe(NOW - 60);
    }
  });
});
