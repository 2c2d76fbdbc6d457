/** The consent cookie's Set-Cookie line (SPEC §5): attributes from the policy, the value raw as SPEC §8 writes it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { type ConsentDecision, verifyConsent } from '../../src/consent/cookie';
import { consentCookieHeader } from '../../src/consent/set-cookie';
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

async function line(url: string, consentCookie: Record<string, unknown>, d: ConsentDecision | null): Promise<string> {
  const app = new Hono<AppEnv>();
  app.get('*', async (c) => {
    return c.text(await consentCookieHeader(policyWith({ consentCookie }), new URL(c.req.url), d, 'secret'));
  });
  return (await app.request(url)).text();
}

describe('consentCookieHeader', () => {
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

  it('expires the cookie with the same Path and Domain when there is no decision', async () => {
    const header = await line('https://app.trackncloak.com/', { name: 'ce_consent', lifetimeDays: 182, domain: 'trackncloak.com' }, null);
    expect(header.split('; ')).toEqual(expect.arrayContaining(['ce_consent=', 'Max-Age=0', 'Path=/', 'Domain=trackncloak.com']));
  });
});
