/**
 * Issue 5, expiry end to end in workerd: refused declared cookies the browser sent are deleted on
 * document navigations in every declared variant, not on sub-resources, never on another domain;
 * withdrawal deletes the withdrawn categories' cookies, the Domain-scoped `_ga` included.
 */
import { describe, expect, it } from 'vitest';
import { isDeletion, parseSetCookie } from '../../src/cookies';
import type { CategoryId } from '../../src/policy/schema';
import { allows, consentPair, type ConsentCase, policy, STATES, sendWith, wireCookies } from './cookies-helpers';
import { send } from './helpers';

/**
 * What a deleting `Set-Cookie` removes, as the browser reads it: name, domain (or host-only),
 * path, Secure. Anything that is not a deletion fails the test.
 */
function removed(lines: string[]): string[] {
  return lines
    .map((line) => {
      const parsed = parseSetCookie(line);
      if (!parsed || !isDeletion(parsed, Date.now())) throw new Error(`not a deletion: ${line}`);
      const { domain, path, secure } = parsed.attributes;
      return `${parsed.name} ${domain ? `Domain=${domain}` : 'host-only'} ${path ?? '(default path)'}${secure ? ' Secure' : ''}`;
    })
    .sort();
}

/**
 * The variants the default policy declares for each deletable base name, on `host` (what a
 * browser may hold: host-only, Domain=<this host>, Domain=trackncloak.com when the host is in it).
 */
function declaredVariants(base: string, host: string): string[] {
  const inTrackncloak = host === 'trackncloak.com' || host.endsWith('.trackncloak.com');
  switch (base) {
    case '_ga':
    case '_ga_*':
      return ['host-only /', `Domain=${host} /`, ...(inTrackncloak && host !== 'trackncloak.com' ? ['Domain=trackncloak.com /'] : [])];
    case 'sidebar-collapsed':
    case 'report-filters':
      return ['host-only /'];
    default:
      return [];
  }
}

/** What the browser must be told to delete for one wire name on `host` (docs/enforcement.md prefix rules). */
function expectedDeletions(name: string, declared: string, host: string): string[] {
  if (name.startsWith('__Host-')) return declaredVariants(declared, host).length ? [`${name} host-only / Secure`] : [];
  const secure = name.startsWith('__Secure-') ? ' Secure' : '';
  return declaredVariants(declared, host).map((v) => `${name} ${v}${secure}`);
}

const DECLARED = wireCookies();
const NAVIGATION = { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'none', 'sec-fetch-user': '?1' };

describe.each(STATES)('a document navigation by a visitor: $label', (state) => {
  for (const host of ['shop.test', 'app.trackncloak.com', 'trackncloak.com']) {
    it(`on ${host}, expires every refused declared cookie the browser sent, in every declared variant`, async () => {
      const cookie = DECLARED.map((c) => `${c.name}=1`).join('; ');
      const res = await sendWith(state, `https://${host}/api/echo/page`, { cookie, headers: NAVIGATION });
      const expected = DECLARED.filter((c) => !allows(state, c.category) && !c.otherDomain).flatMap((c) =>
        expectedDeletions(c.name, c.declared, host),
      );
      expect(removed(res.headers.getSetCookie())).toEqual(expected.sort());
    });
  }
});

describe('when refused cookies are expired', () => {
  const undecided = STATES[0] as ConsentCase;
  const cookie = '_ga=GA1.1.1; __Host-sidebar-collapsed=1; __Secure-_ga_DEMO123=GS1; rzp_DEMO123=x; next-auth.session-token=s';
  const all = [
    '__Host-sidebar-collapsed host-only / Secure',
    '__Secure-_ga_DEMO123 Domain=shop.test / Secure',
    '__Secure-_ga_DEMO123 host-only / Secure',
    '_ga Domain=shop.test /',
    '_ga host-only /',
  ];

  it('on a navigation without any Sec-Fetch header (an older browser)', async () => {
    const res = await sendWith(undecided, '/api/echo/page', { cookie });
    expect(removed(res.headers.getSetCookie())).toEqual(all);
  });

  it('on an HTML page navigation, next to the page the origin sends', async () => {
    const res = await sendWith(undecided, '/set-cookies-html?c=next-auth.state%3Dabc', { cookie, headers: NAVIGATION });
    const lines = res.headers.getSetCookie();
    expect(lines[0]).toBe('next-auth.state=abc');
    expect(removed(lines.slice(1))).toEqual(all);
    expect(await res.text()).toContain('id="consent-state"');
  });

  it.each(['script', 'image', 'empty', 'style', 'iframe'])('never on a sub-resource (Sec-Fetch-Dest: %s)', async (dest) => {
    const res = await sendWith(undecided, '/api/echo/asset', { cookie, headers: { 'sec-fetch-dest': dest, 'sec-fetch-mode': 'no-cors' } });
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('never for a fetch that only sends Sec-Fetch-Mode/Site (no Dest)', async () => {
    const res = await sendWith(undecided, '/api/echo/asset', {
      cookie,
      headers: { 'sec-fetch-mode': 'cors', 'sec-fetch-site': 'same-origin' },
    });
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('never for a third-party cookie declared on another domain, even when refused', async () => {
    const res = await sendWith(undecided, '/api/echo/page', {
      cookie: 'rzp_DEMO123=x; __Secure-rzp_DEMO123=y; __Host-rzp_DEMO123=z',
      headers: NAVIGATION,
    });
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('never for essential, undeclared or allowed cookies', async () => {
    const analytics = STATES.find((s) => s.label === 'analytics only') as ConsentCase;
    const res = await sendWith(analytics, '/api/echo/page', {
      cookie: '_ga=1; _ga_DEMO123=2; next-auth.session-token.0=a; __Host-next-auth.csrf-token=b; tnc_experiment=c; sidebar-collapsed.0=d',
      headers: NAVIGATION,
    });
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('a refused cookie sent twice (two paths or domains) is expired once per variant', async () => {
    const res = await sendWith(undecided, '/api/echo/page', {
      cookie: '_ga=a; _ga=b; sidebar-collapsed=1; sidebar-collapsed=0',
      headers: NAVIGATION,
    });
    expect(removed(res.headers.getSetCookie())).toEqual(['_ga Domain=shop.test /', '_ga host-only /', 'sidebar-collapsed host-only /']);
  });
});

/** What the browser holds before withdrawing: something of every category, gtag's Domain `_ga` too. */
const HELD = [
  '_ga=GA1.1.123.456',
  '_ga_DEMO123=GS1.1.1',
  'sidebar-collapsed=1',
  'report-filters=%7B%7D',
  '__Host-sidebar-collapsed=1',
  'rzp_DEMO123=checkout',
  'next-auth.session-token.0=s0',
  'next-auth.session-token.1=s1',
  '__Host-next-auth.csrf-token=c',
  'tnc_experiment=b',
].join('; ');

function withdrawnDeletions(host: string, categories: CategoryId[]): string[] {
  const names: [string, string, CategoryId][] = [
    ['_ga', '_ga', 'analytics'],
    ['_ga_DEMO123', '_ga_*', 'analytics'],
    ['sidebar-collapsed', 'sidebar-collapsed', 'functional'],
    ['report-filters', 'report-filters', 'functional'],
    ['__Host-sidebar-collapsed', 'sidebar-collapsed', 'functional'],
  ];
  return names.filter(([, , c]) => categories.includes(c)).flatMap(([name, declared]) => expectedDeletions(name, declared, host));
}

describe('withdrawal', () => {
  const acceptAll = STATES.find((s) => s.label === 'accept-all') as ConsentCase;
  const consentName = policy.policy.consentCookie.name;

  for (const host of ['shop.test', 'app.trackncloak.com']) {
    it(`DELETE /__consent on ${host} clears consent and expires every withdrawn cookie the browser sent, Domain _ga included`, async () => {
      const res = await sendWith(acceptAll, `https://${host}/__consent`, { method: 'DELETE', cookie: HELD });
      expect(res.status).toBe(200);
      const state = (await res.json()) as { decided: boolean; categories: Record<string, boolean> };
      expect(state.decided).toBe(false);
      const lines = res.headers.getSetCookie();
      expect(lines[0]).toMatch(new RegExp(`^${consentName}=;`));
      const expected = [`${consentName} host-only / Secure`, ...withdrawnDeletions(host, ['functional', 'analytics'])];
      expect(removed(lines)).toEqual(expected.sort());
      if (host === 'app.trackncloak.com') expect(removed(lines)).toContain('_ga Domain=trackncloak.com /');
    });
  }

  it('expires withdrawn cookies from a second Cookie field too (joined with ", ")', async () => {
    const headers = new Headers({ cookie: `${await consentPair(acceptAll)}; next-auth.session-token=s` });
    headers.append('cookie', '_ga=GA1.1.1; sidebar-collapsed=1');
    const res = await send('/__consent', { method: 'DELETE', headers });
    expect(res.status).toBe(200);
    expect(removed(res.headers.getSetCookie())).toEqual(
      [
        `${consentName} host-only / Secure`,
        ...withdrawnDeletions('shop.test', ['functional', 'analytics']).filter((d) => /^(_ga|sidebar-collapsed) /.test(d)),
      ].sort(),
    );
  });

  it('a form post with action=withdraw does the same and redirects back', async () => {
    const res = await sendWith(acceptAll, '/__consent', {
      method: 'POST',
      cookie: HELD,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://shop.test', 'sec-fetch-site': 'same-origin' },
      body: 'action=withdraw&return=%2Freports',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/reports');
    expect(removed(res.headers.getSetCookie())).toEqual(
      [`${consentName} host-only / Secure`, ...withdrawnDeletions('shop.test', ['functional', 'analytics'])].sort(),
    );
  });

  it('the next page view after withdrawal expires whatever of those cookies is still sent, and forwards none of them', async () => {
    const withdrawn = await sendWith(acceptAll, '/__consent', { method: 'DELETE', cookie: HELD });
    expect(withdrawn.status).toBe(200);
    // The browser, minus the consent cookie the worker cleared, still sending what a tag re-set.
    const res = await send('/api/echo/page', { headers: { ...NAVIGATION, cookie: HELD } });
    expect(removed(res.headers.getSetCookie())).toEqual(withdrawnDeletions('shop.test', ['functional', 'analytics']).sort());
    const echo = (await res.json()) as { headers: [string, string][] };
    const forwarded = echo.headers.filter(([n]) => n.toLowerCase() === 'cookie').map(([, v]) => v);
    expect(forwarded).toEqual([
      'next-auth.session-token.0=s0; next-auth.session-token.1=s1; __Host-next-auth.csrf-token=c; tnc_experiment=b',
    ]);
  });

  it('reject-all after accept-all expires the refused categories too; saving functional only keeps functional', async () => {
    const reject = await sendWith(acceptAll, '/__consent', {
      method: 'POST',
      cookie: HELD,
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ action: 'reject-all' }),
    });
    const rejectLines = reject.headers.getSetCookie();
    expect(rejectLines[0]).toMatch(new RegExp(`^${consentName}=v1\\.`));
    expect(removed(rejectLines.slice(1))).toEqual(withdrawnDeletions('shop.test', ['functional', 'analytics']).sort());

    const save = await sendWith(acceptAll, '/__consent', {
      method: 'POST',
      cookie: HELD,
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ action: 'save', categories: ['functional'] }),
    });
    expect(removed(save.headers.getSetCookie().slice(1))).toEqual(withdrawnDeletions('shop.test', ['analytics']).sort());
  });

  it('a visitor who never decided can withdraw too; only cookies they sent are expired', async () => {
    const res = await send('/__consent', { method: 'DELETE', headers: { cookie: '_ga=1' } });
    expect(res.status).toBe(200);
    expect(removed(res.headers.getSetCookie())).toEqual(['_ga Domain=shop.test /', '_ga host-only /', `${consentName} host-only / Secure`]);
  });
});

describe("the worker's own pages", () => {
  it.each(['/cookie-policy', '/__consent/preferences', '/__consent/receipt'])(
    '%s expires refused cookies on a page view, not on a fetch',
    async (path) => {
      const cookie = '_ga=GA1.1.1; sidebar-collapsed=1; next-auth.session-token=s';
      const page = await send(path, { headers: { cookie, 'sec-fetch-dest': 'document' } });
      expect(page.status).toBe(200);
      const names = page.headers.getSetCookie().map((line) => line.split('=')[0]);
      expect(names).toContain('_ga');
      expect(names).toContain('sidebar-collapsed');
      expect(names).not.toContain('next-auth.session-token');
      const fetched = await send(path, { headers: { cookie, 'sec-fetch-dest': 'empty' } });
      expect(fetched.headers.getSetCookie()).toEqual([]);
    },
  );
});

describe('a forged Cookie header of thousands of refused names', () => {
  it('still gets a page, with a bounded number of expiries', async () => {
    const cookie = Array.from({ length: 3000 }, (_, i) => `_ga_${i}=1`).join('; ');
    const res = await send('/html?size=500', { headers: { cookie, 'sec-fetch-dest': 'document' } });
    expect(res.status).toBe(200);
    const lines = res.headers.getSetCookie();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(64 * 3);
  });
});
