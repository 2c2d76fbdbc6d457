/** The consent cookie's Set-Cookie lines: attributes from the policy, the value raw as the wire format writes it, the Domain only within it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { type ConsentDecision, verifyConsent } from '../../src/consent/cookie';
import { consentCookieHeaders } from '../../src/consent/set-cookie';
import type { AppEnv } from '../../src/env';
import { compilePolicy } from '../../src/policy/compile';
import { parsePolicy } from '../../src/policy/index';

const raw = JSON.parse(readFileSync(join(__dirname, '../../policy.json'), 'utf8')) as Record<string, unknown>;

function policyWith(change: Record<string, unknown>) {
  const result = parsePolicy({ ...raw, ...change });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return compilePolicy(result.policy);
}

const decision: ConsentDecision = {
  revision: 1,
  categories: ['functional', 'analytics'],
  issued: 1_780_000_000,
  gpc: false,
  id: 'abcdefghijklmnopqrstuv',
};

async function lines(url: string, consentCookie: Record<string, unknown>, d: ConsentDecision | null): Promise<string[]> {
  const app = new Hono<AppEnv>();
  app.get('*', async (c) => c.json(await consentCookieHeaders(policyWith({ consentCookie }), new URL(c.req.url), d, 'secret')));
  return (await app.request(url)).json();
}

async function line(url: string, consentCookie: Record<string, unknown>, d: ConsentDecision | null): Promise<string> {
  return (await lines(url, consentCookie, d))[0] ?? '';
}

const SHARED = { name: 'ce_consent', lifetimeDays: 182, domain: 'trackncloak.com' };

describe('consentCookieHeaders', () => {
  it('sets Path=/, SameSite=Lax, Secure on https, Max-Age from the policy, never HttpOnly', async () => {
    const header = await line('https://shop.test/__consent', { name: 'ce_consent', lifetimeDays: 30 }, decision);
    const [pair, ...attrs] = header.split('; ');
    expect(pair).toMatch(/^ce_consent=v1\.1\.functional\+analytics\.1780000000\.0\.abcdefghijklmnopqrstuv\.[A-Za-z0-9_-]{43}$/);
    expect(attrs.sort()).toEqual(['Max-Age=2592000', 'Path=/', 'SameSite=Lax', 'Secure']);
    expect(await verifyConsent(pair?.slice('ce_consent='.length), { current: 'secret' })).toEqual({ decision, signedWith: 'current' });
  });

  it('adds the policy Domain, to share consent across subdomains', async () => {
    const header = await line(
      'https://app.trackncloak.com/',
      { name: 'ce_consent', lifetimeDays: 182, domain: 'trackncloak.com' },
      decision,
    );
    expect(header).toMatch(/^ce_consent=v1\./);
    expect(header.split('; ')).toContain('Domain=trackncloak.com');
  });

  it('leaves Secure off on plain http', async () => {
    expect((await line('http://localhost:8787/', { name: 'ce_consent', lifetimeDays: 182 }, decision)).split('; ')).not.toContain('Secure');
  });

  it('expires the cookie with the same Path and Domain when there is no decision, and its host-only variant', async () => {
    const [shared, hostOnly, ...rest] = await lines('https://app.trackncloak.com/', SHARED, null);
    expect(shared?.split('; ')).toEqual(expect.arrayContaining(['ce_consent=', 'Max-Age=0', 'Path=/', 'Domain=trackncloak.com']));
    expect(hostOnly?.split('; ')).toEqual(expect.arrayContaining(['ce_consent=', 'Max-Age=0', 'Path=/']));
    expect(hostOnly).not.toMatch(/Domain=/i);
    expect(rest).toEqual([]);
  });

  it('sets the Domain on the domain itself and its subdomains, in any case', async () => {
    for (const url of ['https://trackncloak.com/', 'https://WWW.TrackNCloak.com/', 'https://a.b.trackncloak.com/']) {
      expect((await line(url, SHARED, decision)).split('; '), url).toContain('Domain=trackncloak.com');
    }
  });

  it('sets a host-only cookie on a host outside the Domain (a preview or local host), and nothing else', async () => {
    for (const url of ['https://my-branch.pages.dev/', 'http://localhost:8787/', 'https://nottrackncloak.com/', 'http://127.0.0.1:8787/']) {
      const all = await lines(url, SHARED, decision);
      expect(all, url).toHaveLength(1);
      expect(all[0], url).not.toMatch(/Domain=/i);
      expect(all[0], url).toMatch(/^ce_consent=v1\./);
    }
  });

  it('expires the host-only variant when it writes a Domain cookie, so the older copy cannot win', async () => {
    const [set, expired, ...rest] = await lines('https://app.trackncloak.com/', SHARED, decision);
    expect(set).toMatch(/^ce_consent=v1\..*Domain=trackncloak\.com/);
    expect(expired?.split('; ')).toEqual(expect.arrayContaining(['ce_consent=', 'Max-Age=0', 'Path=/']));
    expect(expired).not.toMatch(/Domain=/i);
    expect(rest).toEqual([]);
  });

  it('writes one line when no Domain is configured', async () => {
    expect(await lines('https://shop.test/', { name: 'ce_consent', lifetimeDays: 182 }, decision)).toHaveLength(1);
  });
});
