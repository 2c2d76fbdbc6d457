/**
 * The consent cookie shared across subdomains, in workerd, through a browser-like cookie jar: the
 * Domain only on hosts within it, the latest valid cookie winning when the browser holds several,
 * and a new decision expiring the other variant, so that "Reject all" sticks.
 */
import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import policyJson from '../../policy.json';
import { signConsent } from '../../src/consent/cookie';
import { consentRoutes } from '../../src/consent/routes';
import type { ConsentState } from '../../src/consent/state';
import { domainMatches } from '../../src/cookies/domain';
import { isDeletion, parseSetCookie } from '../../src/core/set-cookie';
import type { AppEnv, Bindings } from '../../src/env';
import { compilePolicy } from '../../src/policy/compile';
import { parsePolicy } from '../../src/policy/index';
import type { CategoryId } from '../../src/policy/schema';
import { readVisit } from '../../src/visit';

const parsed = parsePolicy({ ...policyJson, consentCookie: { ...policyJson.consentCookie, domain: 'shop.test' } });
if (!parsed.ok) throw new Error('policy variant invalid');
const policy = compilePolicy(parsed.policy);
const SECRET = (env as unknown as Bindings).CONSENT_SECRET ?? '';

/** The worker's consent wiring (as in src/index.ts) over the policy with a Domain. */
const app = new Hono<AppEnv>();
app.use('*', async (c, next) => {
  c.set('policy', policy);
  c.set('visit', await readVisit(c.req.raw, c.env, policy, c.req.path, Math.floor(Date.now() / 1000)));
  await next();
});
app.route('/__consent', consentRoutes());

interface Stored {
  name: string;
  value: string;
  /** The host for a host-only cookie, else the Domain attribute. */
  scope: string;
  hostOnly: boolean;
}

/** Just enough of a browser's cookie store (RFC 6265bis §5.7): keyed by name, scope and Path=/. */
class Jar {
  cookies: Stored[] = [];

  store(host: string, lines: string[]): void {
    for (const line of lines) {
      const cookie = parseSetCookie(line);
      if (!cookie) continue;
      const domain = cookie.attributes.domain;
      // A browser ignores a Domain its host is not within.
      if (domain !== undefined && !domainMatches(host, domain)) continue;
      const scope = domain ?? host;
      const hostOnly = domain === undefined;
      this.cookies = this.cookies.filter((c) => !(c.name === cookie.name && c.scope === scope && c.hostOnly === hostOnly));
      if (!isDeletion(cookie, Date.now())) this.cookies.push({ name: cookie.name, value: cookie.value, scope, hostOnly });
    }
  }

  /** The Cookie header for `host`, with the cookies in the given order (browsers give no useful one). */
  header(host: string, order: 'stored' | 'reversed' = 'stored'): string {
    const sent = this.cookies.filter((c) => (c.hostOnly ? c.scope === host : domainMatches(host, c.scope)));
    if (order === 'reversed') sent.reverse();
    return sent.map((c) => `${c.name}=${c.value}`).join('; ');
  }
}

async function call(host: string, jar: Jar, init: RequestInit = {}, order: 'stored' | 'reversed' = 'stored'): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header(host, order);
  if (cookie) headers.set('cookie', cookie);
  headers.set('sec-fetch-site', 'same-origin');
  const res = await app.fetch(new Request(`https://${host}/__consent`, { ...init, headers }), env as unknown as Bindings);
  jar.store(host, res.headers.getSetCookie());
  return res;
}

const decide = (host: string, jar: Jar, action: string) =>
  call(host, jar, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action }) });

async function stateOn(host: string, jar: Jar, order: 'stored' | 'reversed' = 'stored'): Promise<ConsentState> {
  return (await (await call(host, jar, {}, order)).json()) as ConsentState;
}

describe('a consent cookie shared across subdomains', () => {
  it('adds Domain on the domain and its subdomains only: a preview host gets a host-only cookie that sticks', async () => {
    const jar = new Jar();
    const shared = await decide('www.shop.test', jar, 'reject-all');
    expect(shared.headers.getSetCookie()[0]).toMatch(/; Domain=shop\.test/);
    expect(jar.cookies).toMatchObject([{ name: 'ce_consent', scope: 'shop.test', hostOnly: false }]);

    const preview = new Jar();
    const res = await decide('my-branch.preview.test', preview, 'reject-all');
    expect(res.headers.getSetCookie()).toHaveLength(1);
    expect(res.headers.getSetCookie()[0]).not.toMatch(/Domain=/i);
    const state = await stateOn('my-branch.preview.test', preview);
    expect(state.decided).toBe(true);
    expect(state.categories.analytics).toBe(false);
  });

  it('shares the decision with sibling subdomains', async () => {
    const jar = new Jar();
    await decide('www.shop.test', jar, 'accept-all');
    expect((await stateOn('app.shop.test', jar)).categories.analytics).toBe(true);
  });

  it('lets "Reject all" win over an older host-only "Accept all" from before the Domain was configured', async () => {
    const jar = new Jar();
    // The old cookie: written host-only, as a policy without a Domain did.
    const old = await signed(['functional', 'analytics', 'third-party'], 3600);
    jar.cookies.push({ name: 'ce_consent', value: old, scope: 'www.shop.test', hostOnly: true });
    expect((await stateOn('www.shop.test', jar)).categories.analytics).toBe(true);

    const res = await decide('www.shop.test', jar, 'reject-all');
    // The new Domain cookie, and the host-only copy expired.
    expect(res.headers.getSetCookie()).toHaveLength(2);
    expect(jar.cookies).toMatchObject([{ scope: 'shop.test', hostOnly: false }]);
    for (const order of ['stored', 'reversed'] as const) {
      const state = await stateOn('www.shop.test', jar, order);
      expect(state.decided, order).toBe(true);
      expect(state.categories.analytics, order).toBe(false);
    }
  });

  it('picks the latest valid cookie when the browser still sends both, in either order', async () => {
    const acceptAll = await signed(['functional', 'analytics', 'third-party'], 3600);
    const rejectAll = await signed([], 60);
    const jar = new Jar();
    jar.cookies.push(
      { name: 'ce_consent', value: acceptAll, scope: 'www.shop.test', hostOnly: true },
      { name: 'ce_consent', value: rejectAll, scope: 'shop.test', hostOnly: false },
    );
    for (const order of ['stored', 'reversed'] as const)
      expect((await stateOn('www.shop.test', jar, order)).categories.analytics, order).toBe(false);
  });
});

/** A consent cookie value signed with the test key, issued `ago` seconds ago. */
function signed(categories: CategoryId[], ago: number): Promise<string> {
  const issued = Math.floor(Date.now() / 1000) - ago;
  return signConsent({ revision: policy.policy.revision, categories, issued, gpc: false, id: 'shared-domain-test-0001' }, SECRET);
}
