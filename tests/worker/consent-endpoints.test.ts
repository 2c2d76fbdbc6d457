/**
 * The consent endpoints end to end in workerd (docs/enforcement.md, docs/wire-formats.md): deciding, reading and
 * withdrawing consent, every refusal, a missing secret, and key rotation.
 */
import { describe, expect, it } from 'vitest';
import { signConsent, verifyConsent } from '../../src/consent/cookie';
import type { ConsentState } from '../../src/consent/state';
import { PUBLIC, send } from './helpers';

const CURRENT = 'test-secret-current';
const PREVIOUS = 'test-secret-previous';
const MAX_AGE = 182 * 86_400;
const ALL = { essential: true, functional: true, analytics: true, 'third-party': true };
const ESSENTIAL_ONLY = { essential: true, functional: false, analytics: false, 'third-party': false };
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin', origin: PUBLIC };
const PARIS = { country: 'FR', regionCode: 'IDF' } as IncomingRequestCfProperties;

/** A request from a place (docs/enforcement.md: tests pass `cf` explicitly). */
function at(path: string, init: RequestInit = {}, cf: IncomingRequestCfProperties = PARIS): Request {
  return new Request(new URL(path, PUBLIC), { ...init, cf } as RequestInit);
}

function form(fields: [string, string][], headers: Record<string, string> = SAME_ORIGIN, cookie?: string): RequestInit {
  return { method: 'POST', body: new URLSearchParams(fields), headers: { ...headers, ...(cookie ? { cookie } : {}) }, redirect: 'manual' };
}

function json(body: unknown, headers: Record<string, string> = SAME_ORIGIN, cookie?: string): RequestInit {
  return {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers, ...(cookie ? { cookie } : {}) },
  };
}

/** The `ce_consent` Set-Cookie line of a response. */
function consentLine(res: Response): string | undefined {
  return res.headers.getSetCookie().find((line) => line.startsWith('ce_consent='));
}

/** `name=value` of the consent cookie, as the browser would send it back. */
function consentPair(res: Response): string {
  const line = consentLine(res);
  if (!line) throw new Error(`no consent cookie in ${JSON.stringify(res.headers.getSetCookie())}`);
  return line.split(';')[0] ?? '';
}

function attributes(line: string): string[] {
  return line
    .split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase());
}

async function stateOf(cookie?: string, headers: Record<string, string> = {}, cf?: IncomingRequestCfProperties): Promise<ConsentState> {
  const res = await send(at('/__consent', { headers: { ...headers, ...(cookie ? { cookie } : {}) } }, cf));
  expect(res.status).toBe(200);
  return (await res.json()) as ConsentState;
}

async function decide(fields: [string, string][], cookie?: string): Promise<Response> {
  return send(at('/__consent', form(fields, SAME_ORIGIN, cookie)));
}

describe('GET /__consent', () => {
  it('answers exactly the docs/wire-formats.md fields, undecided and essential only for a new visitor', async () => {
    const res = await send(at('/__consent'));
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('cache-control')).toContain('no-store');
    const state = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(state).sort()).toEqual(
      ['categories', 'consentId', 'decided', 'expiresAt', 'gpc', 'issuedAt', 'regime', 'revision'].sort(),
    );
    expect(state).toEqual({
      revision: 1,
      decided: false,
      categories: ESSENTIAL_ONLY,
      gpc: false,
      regime: 'opt-in',
      consentId: null,
      issuedAt: null,
      expiresAt: null,
    });
  });

  it('reports Sec-GPC and the regime of the place (the deployed policy is opt-in everywhere)', async () => {
    const state = await stateOf(undefined, { 'sec-gpc': '1' }, { country: 'US', regionCode: 'CA' } as IncomingRequestCfProperties);
    expect(state).toMatchObject({ gpc: true, regime: 'opt-in', categories: ESSENTIAL_ONLY });
  });
});

describe('POST /__consent with a form', () => {
  it('accept-all answers 303 to the return path and sets the consent cookie as docs/enforcement.md says', async () => {
    const res = await decide([
      ['action', 'accept-all'],
      ['return', '/reports?period=7d'],
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/reports?period=7d');
    expect(res.headers.get('cache-control')).toContain('no-store');
    const line = consentLine(res) ?? '';
    const attrs = attributes(line);
    expect(attrs).toContain('path=/');
    expect(attrs).toContain('samesite=lax');
    expect(attrs).toContain('secure');
    expect(attrs).toContain(`max-age=${MAX_AGE}`);
    expect(attrs).not.toContain('httponly');
    expect(attrs.some((a) => a.startsWith('domain='))).toBe(false);
  });

  it('writes the value in the docs/wire-formats.md format, signed with the current key', async () => {
    const res = await decide([['action', 'accept-all']]);
    const value = consentPair(res).slice('ce_consent='.length);
    expect(value).toMatch(/^v1\.1\.functional\+analytics\+third-party\.\d{10}\.0\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    const verified = await verifyConsent(value, { current: CURRENT });
    expect(verified?.decision.categories).toEqual(['functional', 'analytics', 'third-party']);
    expect(Math.abs((verified?.decision.issued ?? 0) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('leaves Secure off on plain http (local development)', async () => {
    const res = await send(
      new Request('http://localhost:8787/__consent', { ...form([['action', 'reject-all']], {}), cf: PARIS } as RequestInit),
    );
    expect(res.status).toBe(303);
    expect(attributes(consentLine(res) ?? '')).not.toContain('secure');
  });

  it('gives a cookie the next request honours: decided, with the chosen categories', async () => {
    const accepted = await stateOf(consentPair(await decide([['action', 'accept-all']])));
    expect(accepted).toMatchObject({ decided: true, categories: ALL, revision: 1 });
    expect(accepted.expiresAt).toBe((accepted.issuedAt ?? 0) + MAX_AGE);

    const rejected = await stateOf(consentPair(await decide([['action', 'reject-all']])));
    expect(rejected).toMatchObject({ decided: true, categories: ESSENTIAL_ONLY });

    const saved = await decide([
      ['action', 'save'],
      ['category', 'functional'],
      ['category', 'third-party'],
      ['return', '/settings'],
    ]);
    expect(saved.headers.get('location')).toBe('/settings');
    expect((await stateOf(consentPair(saved))).categories).toEqual({ ...ESSENTIAL_ONLY, functional: true, 'third-party': true });

    const one = await decide([
      ['action', 'save'],
      ['category', 'analytics'],
    ]);
    expect((await stateOf(consentPair(one))).categories).toEqual({ ...ESSENTIAL_ONLY, analytics: true });
  });

  it('passes the decision on to the origin (Consent-Categories) on the next proxied request', async () => {
    const cookie = consentPair(
      await decide([
        ['action', 'save'],
        ['category', 'functional'],
      ]),
    );
    const res = await send(at('/api/echo', { headers: { cookie } }));
    const echo = (await res.json()) as { headers: [string, string][] };
    expect(echo.headers.find(([n]) => n === 'consent-categories')?.[1]).toBe('essential, functional');
  });

  it('withdraw answers 303, expires the consent cookie and the cookies of withdrawn categories', async () => {
    const cookie = consentPair(await decide([['action', 'accept-all']]));
    const res = await send(
      at(
        '/__consent',
        form(
          [
            ['action', 'withdraw'],
            ['return', '/reports'],
          ],
          SAME_ORIGIN,
          `${cookie}; _ga=GA1.1.1.1; sidebar-collapsed=1; next-auth.session-token=s`,
        ),
      ),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/reports');
    const lines = res.headers.getSetCookie();
    expect(attributes(consentLine(res) ?? '')).toContain('max-age=0');
    expect(consentPair(res)).toBe('ce_consent=');
    expect(lines.some((l) => l.startsWith('_ga=;') && /max-age=0/i.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('sidebar-collapsed=;') && /max-age=0/i.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('next-auth'))).toBe(false);
    expect(await stateOf(consentPair(res))).toMatchObject({ decided: false, consentId: null, categories: ESSENTIAL_ONLY });
  });

  it('expires the cookies of categories a new decision refuses', async () => {
    const res = await send(
      at(
        '/__consent',
        form(
          [
            ['action', 'save'],
            ['category', 'functional'],
          ],
          SAME_ORIGIN,
          '_ga=GA1; _ga_ABC=GS1; sidebar-collapsed=1',
        ),
      ),
    );
    const names = res.headers.getSetCookie().map((l) => l.split('=')[0]);
    expect(names).toContain('_ga');
    expect(names).toContain('_ga_ABC');
    expect(names).not.toContain('sidebar-collapsed');
  });
});

describe('POST /__consent with JSON', () => {
  it('answers 200 with the new state and sets the cookie', async () => {
    const res = await send(at('/__consent', json({ action: 'save', categories: ['analytics'] })));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const state = (await res.json()) as ConsentState;
    expect(state).toMatchObject({
      revision: 1,
      decided: true,
      categories: { ...ESSENTIAL_ONLY, analytics: true },
      regime: 'opt-in',
      gpc: false,
    });
    expect(state.consentId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(state.expiresAt).toBe((state.issuedAt ?? 0) + MAX_AGE);
    expect(await stateOf(consentPair(res))).toEqual(state);
  });

  it('records a decision made under GPC, which then keeps its categories', async () => {
    const res = await send(at('/__consent', json({ action: 'accept-all' }, { ...SAME_ORIGIN, 'sec-gpc': '1' })));
    expect(((await res.json()) as ConsentState).categories).toEqual(ALL);
    expect(consentPair(res)).toMatch(/\.1\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect((await stateOf(consentPair(res), { 'sec-gpc': '1' })).categories).toEqual(ALL);
  });

  it('refuses the GPC categories of a decision made without GPC once the browser sends GPC', async () => {
    const cookie = consentPair(await send(at('/__consent', json({ action: 'accept-all' }))));
    expect((await stateOf(cookie, { 'sec-gpc': '1' })).categories).toEqual({ ...ALL, analytics: false });
    expect((await stateOf(cookie)).categories).toEqual(ALL);
  });

  it('contextual adds one category to the current decision', async () => {
    const cookie = consentPair(
      await decide([
        ['action', 'save'],
        ['category', 'functional'],
      ]),
    );
    const res = await send(at('/__consent', json({ action: 'contextual', categories: ['third-party'] }, SAME_ORIGIN, cookie)));
    expect(((await res.json()) as ConsentState).categories).toEqual({ ...ESSENTIAL_ONLY, functional: true, 'third-party': true });
  });

  it('cannot refuse essential', async () => {
    const res = await send(at('/__consent', json({ action: 'save', categories: [] })));
    expect(((await res.json()) as ConsentState).categories.essential).toBe(true);
  });
});

describe('DELETE /__consent', () => {
  it('withdraws: consent cookie and declared cookies of withdrawn categories expired, state undecided', async () => {
    const cookie = consentPair(await decide([['action', 'accept-all']]));
    const res = await send(
      at('/__consent', { method: 'DELETE', headers: { ...SAME_ORIGIN, cookie: `${cookie}; _ga=GA1.1; sidebar-collapsed=1; __cf_bm=x` } }),
    );
    expect(res.status).toBe(200);
    expect((await res.json()) as ConsentState).toMatchObject({ decided: false, consentId: null, categories: ESSENTIAL_ONLY });
    const lines = res.headers.getSetCookie();
    expect(consentPair(res)).toBe('ce_consent=');
    expect(attributes(consentLine(res) ?? '')).toContain('max-age=0');
    const expired = lines.filter((l) => /max-age=0/i.test(l)).map((l) => l.split('=')[0]);
    expect(expired).toEqual(expect.arrayContaining(['ce_consent', '_ga', 'sidebar-collapsed']));
    expect(expired).not.toContain('__cf_bm');
  });

  it('expires every declared variant of a withdrawn cookie (__Secure- needs Secure)', async () => {
    const res = await send(
      at('/__consent', { method: 'DELETE', headers: { ...SAME_ORIGIN, cookie: '__Secure-sidebar-collapsed=1; _ga=1' } }),
    );
    const lines = res.headers.getSetCookie();
    const prefixed = lines.filter((l) => l.startsWith('__Secure-sidebar-collapsed=;'));
    expect(prefixed.length).toBeGreaterThan(0);
    for (const line of prefixed) expect(attributes(line)).toContain('secure');
  });

  it('also works with a JSON body, an empty body (text/plain by default) and Content-Length: 0', async () => {
    const withJson = await send(
      at('/__consent', { method: 'DELETE', body: '{}', headers: { ...SAME_ORIGIN, 'content-type': 'application/json' } }),
    );
    expect(withJson.status).toBe(200);
    const empty = await send(at('/__consent', { method: 'DELETE', body: '', headers: { ...SAME_ORIGIN, 'content-length': '0' } }));
    expect(empty.status).toBe(200);
    expect(((await empty.json()) as ConsentState).decided).toBe(false);
  });

  it('still refuses a non-empty body of another type, naming content-type', async () => {
    const res = await send(
      at('/__consent', { method: 'DELETE', body: 'withdraw', headers: { ...SAME_ORIGIN, 'content-type': 'text/plain' } }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { field: string }).field).toBe('content-type');
  });

  it('cannot be turned into another action by the body', async () => {
    const res = await send(
      at('/__consent', {
        method: 'DELETE',
        body: JSON.stringify({ action: 'accept-all' }),
        headers: { ...SAME_ORIGIN, 'content-type': 'application/json' },
      }),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as ConsentState).categories).toEqual(ESSENTIAL_ONLY);
    expect(consentPair(res)).toBe('ce_consent=');
  });
});

describe('the consent id', () => {
  it('survives new decisions and is replaced after withdrawal', async () => {
    const first = await decide([['action', 'accept-all']]);
    const id = (await stateOf(consentPair(first))).consentId;
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const second = await decide([['action', 'reject-all']], consentPair(first));
    expect((await stateOf(consentPair(second))).consentId).toBe(id);
    const third = await send(at('/__consent', json({ action: 'save', categories: ['functional'] }, SAME_ORIGIN, consentPair(second))));
    expect(((await third.json()) as ConsentState).consentId).toBe(id);

    const withdrawn = await decide([['action', 'withdraw']], consentPair(third));
    const after = await decide([['action', 'accept-all']], consentPair(withdrawn));
    const newId = (await stateOf(consentPair(after))).consentId;
    expect(newId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newId).not.toBe(id);
  });

  it('survives a raised revision (an outdated cookie still carries it)', async () => {
    const old = await signConsent(
      { revision: 0, categories: ['analytics'], issued: Math.floor(Date.now() / 1000), gpc: false, id: 'kept-id-0123456789abcd' },
      CURRENT,
    );
    const res = await decide([['action', 'reject-all']], `ce_consent=${old}`);
    expect((await stateOf(consentPair(res))).consentId).toBe('kept-id-0123456789abcd');
  });
});

describe('refused writes', () => {
  const post = (headers: Record<string, string>) => send(at('/__consent', form([['action', 'accept-all']], headers)));

  it('refuses Sec-Fetch-Site: cross-site (and same-site) with 403 naming the origin check, setting nothing', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const res = await post({ 'sec-fetch-site': site, origin: 'https://evil.com' });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { field: string }).field).toBe('origin');
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    expect((await post({ 'sec-fetch-site': 'cross-site', origin: PUBLIC })).status).toBe(403);
  });

  it('refuses a foreign Origin when Sec-Fetch-Site is missing', async () => {
    expect((await post({ origin: 'https://evil.com' })).status).toBe(403);
    expect((await post({ origin: 'http://shop.test' })).status).toBe(403);
    const del = await send(at('/__consent', { method: 'DELETE', headers: { origin: 'https://evil.com' } }));
    expect(del.status).toBe(403);
  });

  it('refuses a cross-origin Referer when neither Sec-Fetch-Site nor Origin is sent, recording nothing', async () => {
    for (const referer of ['https://evil.example/page', 'http://shop.test/', 'garbage']) {
      const res = await post({ referer });
      expect(res.status, referer).toBe(403);
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    const json = await send(
      at('/__consent', {
        method: 'POST',
        headers: { 'content-type': 'application/json', referer: 'https://evil.example/page' },
        body: JSON.stringify({ action: 'accept-all' }),
      }),
    );
    expect(json.status).toBe(403);
    expect((await post({ referer: `${PUBLIC}/reports` })).status).toBe(303);
  });

  it('accepts Origin: null (a same-origin form may send it) and a request with neither header', async () => {
    expect((await post({ origin: 'null' })).status).toBe(303);
    expect((await post({})).status).toBe(303);
    expect((await post({ origin: PUBLIC })).status).toBe(303);
  });

  it.each([
    ['//evil.com', '/'],
    ['//evil.com/x', '/'],
    ['/\\evil.com', '/'],
    ['https://evil.com/', '/'],
    ['javascript:alert(1)', '/'],
    ['/x\r\nSet-Cookie: pwned=1', '/'],
    ['/x\nLocation: //evil.com', '/'],
    ['/%0d%0aSet-Cookie:x', '/%0d%0aSet-Cookie:x'],
  ])('redirects return=%j to %s', async (value, expected) => {
    const res = await decide([
      ['action', 'reject-all'],
      ['return', value],
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(expected);
    expect(res.headers.getSetCookie().some((l) => l.startsWith('pwned'))).toBe(false);
  });

  it('redirects a non-ASCII return path instead of failing', async () => {
    const res = await decide([
      ['action', 'reject-all'],
      ['return', '/rapports/été?q=日本'],
    ]);
    expect(res.status).toBe(303);
    const location = res.headers.get('location') ?? '';
    expect(new URL(location, PUBLIC).origin).toBe(PUBLIC);
    expect([new URL('/rapports/été?q=日本', PUBLIC).href.slice(PUBLIC.length), '/']).toContain(location);
  });

  it('answers 413 to an oversized body', async () => {
    const big = await send(at('/__consent', json({ action: 'save', categories: [], pad: 'x'.repeat(10_000) })));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { field: string; error: string }).error).toMatch(/larger/);
    const bigForm = await decide([
      ['action', 'save'],
      ['return', `/${'a'.repeat(10_000)}`],
    ]);
    expect(bigForm.status).toBe(413);
  });

  it('answers 400 to malformed JSON', async () => {
    const res = await send(at('/__consent', json('{"action": "accept-all"')));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'body', error: expect.stringMatching(/JSON/) });
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('answers 400 naming content-type for a body of another type, or none', async () => {
    for (const init of [
      { method: 'POST', body: 'action=accept-all', headers: { ...SAME_ORIGIN, 'content-type': 'text/plain' } },
      { method: 'POST', headers: SAME_ORIGIN },
    ]) {
      const res = await send(at('/__consent', init));
      expect(res.status).toBe(400);
      const body = (await res.json()) as { field: string; error: string };
      expect(body.field).toBe('content-type');
      expect(body.error).toMatch(/content-type/);
    }
  });

  it.each([
    ['an unknown action', json({ action: 'accept-some' }), 'action'],
    ['a missing action', json({ categories: ['analytics'] }), 'action'],
    ['an unknown category', json({ action: 'save', categories: ['analytics', 'marketing'] }), 'categories.1'],
    ['categories of the wrong type', json({ action: 'save', categories: 'analytics' }), 'categories'],
    ['an unknown field', json({ action: 'save', colour: 'blue' }), 'colour'],
    ['a non-object body', json('[1,2]'), 'body'],
    ['an unknown form action', form([['action', 'maybe']]), 'action'],
    [
      'an unknown form category',
      form([
        ['action', 'save'],
        ['category', 'functional'],
        ['category', 'marketing'],
      ]),
      'category',
    ],
    [
      'an unknown form field',
      form([
        ['action', 'save'],
        ['categories', 'functional'],
      ]),
      'categories',
    ],
  ])('answers 400 naming the field for %s', async (_, init, field) => {
    const res = await send(at('/__consent', init));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { field: string; error: string };
    expect(body.field).toBe(field);
    expect(body.error.length).toBeGreaterThan(5);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('answers 405 to other methods on the endpoint and never forwards it to the origin', async () => {
    const res = await send(at('/__consent', { method: 'PUT', body: '{}' }));
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('POST');
  });
});

describe('a missing CONSENT_SECRET', () => {
  const noSecret = { CONSENT_SECRET: undefined };

  it('shows the configuration error in GET /__consent', async () => {
    const res = await send(at('/__consent'), undefined, noSecret);
    expect(res.status).toBe(200);
    const state = (await res.json()) as ConsentState;
    expect(state.error).toMatch(/CONSENT_SECRET/);
    expect(state.categories).toEqual(ESSENTIAL_ONLY);
  });

  it('answers 503 to a decision with a clear message, setting no cookie', async () => {
    const res = await send(at('/__consent', form([['action', 'accept-all']])), undefined, noSecret);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toMatch(/CONSENT_SECRET is not configured/);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('ignores a once-valid consent cookie and still proxies pages with essential cookies only', async () => {
    const cookie = `ce_consent=${await signConsent({ revision: 1, categories: ['functional', 'analytics', 'third-party'], issued: Math.floor(Date.now() / 1000), gpc: false, id: 'abcdefghijklmnopqrstuv' }, CURRENT)}`;
    const page = await send(at('/', { headers: { cookie: `${cookie}; _ga=1`, 'sec-fetch-dest': 'document' } }), undefined, noSecret);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Dashboard');
    const echo = await send(at('/api/echo', { headers: { cookie: `${cookie}; _ga=1; sidebar-collapsed=1` } }), undefined, noSecret);
    const headers = ((await echo.json()) as { headers: [string, string][] }).headers;
    expect(headers.find(([n]) => n === 'consent-categories')?.[1]).toBe('essential');
    expect(headers.find(([n]) => n === 'cookie')?.[1] ?? '').not.toMatch(/_ga|sidebar/);
  });
});

describe('key rotation', () => {
  const decision = () => ({
    revision: 1,
    categories: ['functional' as const],
    issued: Math.floor(Date.now() / 1000) - 3600,
    gpc: false,
    id: 'rotated-id-0123456789a',
  });

  it('accepts a cookie signed with the previous key', async () => {
    const cookie = `ce_consent=${await signConsent(decision(), PREVIOUS)}`;
    expect(await stateOf(cookie)).toMatchObject({
      decided: true,
      consentId: 'rotated-id-0123456789a',
      categories: { ...ESSENTIAL_ONLY, functional: true },
    });
  });

  it('re-signs it with the current key on a proxied page, keeping the decision as it was', async () => {
    // One decision: its issue time is read from the clock once, whatever second the request ends in.
    const sent = decision();
    const cookie = `ce_consent=${await signConsent(sent, PREVIOUS)}`;
    const res = await send(at('/', { headers: { cookie, 'sec-fetch-dest': 'document' } }));
    expect(res.status).toBe(200);
    const line = consentLine(res);
    expect(line).toBeDefined();
    const value = consentPair(res).slice('ce_consent='.length);
    expect(await verifyConsent(value, { current: CURRENT })).toEqual({ decision: sent, signedWith: 'current' });
    expect(attributes(line ?? '')).toEqual(expect.arrayContaining(['path=/', 'samesite=lax', 'secure']));
  });

  it('does not re-sign a cookie already signed with the current key', async () => {
    const cookie = `ce_consent=${await signConsent(decision(), CURRENT)}`;
    expect(consentLine(await send(at('/', { headers: { cookie } })))).toBeUndefined();
  });

  it('refuses a cookie signed with neither key', async () => {
    const cookie = `ce_consent=${await signConsent(decision(), 'some-other-secret')}`;
    expect(await stateOf(cookie)).toMatchObject({ decided: false, consentId: null });
  });
});

describe('bad consent cookies are "no decision", never an error', () => {
  it.each([
    ['garbage', 'ce_consent=garbage'],
    ['empty', 'ce_consent='],
    ['percent junk', 'ce_consent=%E0%A4%A'],
    ['quoted', 'ce_consent="v1.1.-.1.0.x.y"'],
    ['very long', `ce_consent=${'v1.'.repeat(2000)}`],
    ['duplicated', 'ce_consent=a; ce_consent=b'],
    ['binary', 'ce_consent=\u00ff\u00fe'],
  ])('%s cookie: state undecided, proxied page still 200', async (_, cookie) => {
    expect(await stateOf(cookie)).toMatchObject({ decided: false, categories: ESSENTIAL_ONLY });
    const page = await send(at('/', { headers: { cookie } }));
    expect(page.status).toBe(200);
  });

  it('a tampered cookie (categories widened) is undecided', async () => {
    const value = await signConsent(
      { revision: 1, categories: [], issued: Math.floor(Date.now() / 1000), gpc: false, id: 'abcdefghijklmnopqrstuv' },
      CURRENT,
    );
    const forged = value.replace('.-.', '.functional+analytics+third-party.');
    expect(await stateOf(`ce_consent=${forged}`)).toMatchObject({ decided: false, categories: ESSENTIAL_ONLY });
    expect((await send(at('/', { headers: { cookie: `ce_consent=${forged}` } }))).status).toBe(200);
  });

  it('a decision for a raised revision (forged as revision 0, current key) asks again', async () => {
    const value = await signConsent(
      {
        revision: 0,
        categories: ['functional', 'analytics', 'third-party'],
        issued: Math.floor(Date.now() / 1000),
        gpc: false,
        id: 'abcdefghijklmnopqrstuv',
      },
      CURRENT,
    );
    expect(await stateOf(`ce_consent=${value}`)).toMatchObject({ decided: false, consentId: null, categories: ESSENTIAL_ONLY });
    const page = await send(at('/', { headers: { cookie: `ce_consent=${value}` } }));
    expect(await page.text()).toContain('id="consent-state"');
  });

  it('an expired decision asks again', async () => {
    const issued = Math.floor(Date.now() / 1000) - MAX_AGE - 10;
    const value = await signConsent({ revision: 1, categories: ['analytics'], issued, gpc: false, id: 'abcdefghijklmnopqrstuv' }, CURRENT);
    expect(await stateOf(`ce_consent=${value}`)).toMatchObject({ decided: false, categories: ESSENTIAL_ONLY });
  });
});

describe('/.well-known/gpc.json', () => {
  it('states GPC support as JSON, answered by the worker', async () => {
    const res = await send(at('/.well-known/gpc.json'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ gpc: true, lastUpdate: '2026-03-30' });
  });
});

describe('logging never fails a decision', () => {
  it('records a decision whatever the Referer says', async () => {
    for (const referer of ['::not a url', 'https://shop.test/reports?period=7d', '']) {
      const res = await send(at('/__consent', json({ action: 'reject-all' }, { ...SAME_ORIGIN, referer })));
      expect(res.status, referer).toBe(200);
      expect(consentLine(res), referer).toMatch(/^ce_consent=v1\.1\.-\./);
    }
  });
});
