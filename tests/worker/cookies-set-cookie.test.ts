/**
 * Issue 5, response side, end to end in workerd against the real demo origin: the exact list of
 * `Set-Cookie` headers the browser receives for every consent state and every cookie of the
 * default policy, plus undeclared, Domain-scoped, nameless, deleting and invalid ones.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConsentState } from '../../src/consent/state';
import type { ProxyContext } from '../../src/proxy/context';
import { enforceUpgrade } from '../../src/proxy/enforce';
import {
  allows,
  consentPair,
  type ConsentCase,
  policy,
  STATES,
  sendWith,
  setCookieFor,
  setCookiesPath,
  wireCookies,
} from './cookies-helpers';
import { consentState, visitWith } from '../support/fixtures';
import { send } from './helpers';

const DECLARED = wireCookies();

/** Headers every state must see treated the same way, whatever it accepted. */
const ALWAYS_BLOCKED = ['tnc_experiment=b; Path=/; Max-Age=86400', '=abc; Path=/', 'abc', '=abc', 'tnc_nameless_like=; Path=/; Max-Age=60'];
const DELETIONS = [
  '_ga=; Path=/; Max-Age=0',
  '_ga=; Domain=shop.test; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
  'sidebar-collapsed=; Path=/; Max-Age=-1',
  'tnc_experiment=; Path=/; Expires=Sun, 06 Nov 1994 08:49:37 GMT',
  '__Host-next-auth.csrf-token=; Path=/; Secure; Max-Age=0',
  'rzp_DEMO123=gone; Expires=Thu, 01-Jan-70 00:00:01 GMT',
];

/** Per state: the origin sends all of `headers`; the browser must get exactly `expected`, in order. */
function expectedFor(state: ConsentCase, headers: { line: string; category: string | null; deletion?: boolean }[]): string[] {
  return headers.filter((h) => h.deletion || (h.category !== null && allows(state, h.category as never))).map((h) => h.line);
}

async function browserGets(state: ConsentCase, lines: string[], html = false): Promise<Response> {
  return sendWith(state, setCookiesPath(lines, html), { headers: { 'sec-fetch-dest': 'document' } });
}

describe.each(STATES)('Set-Cookie for a visitor: $label', (state) => {
  it('every declared cookie (prefixed and chunked variants) passes exactly when its category is allowed', async () => {
    const headers = DECLARED.map((c) => ({ line: setCookieFor(c.name), category: c.category }));
    // Several requests keep each URL well under the origin's header limit.
    for (let i = 0; i < headers.length; i += 20) {
      const batch = headers.slice(i, i + 20);
      const res = await browserGets(
        state,
        batch.map((h) => h.line),
      );
      expect(res.status).toBe(200);
      expect(res.headers.getSetCookie()).toEqual(expectedFor(state, batch));
    }
  });

  it('undeclared and nameless cookies are blocked; deletions of any cookie always pass', async () => {
    const headers = [
      ...ALWAYS_BLOCKED.map((line) => ({ line, category: null })),
      ...DELETIONS.map((line) => ({ line, category: null, deletion: true })),
    ];
    const res = await browserGets(
      state,
      headers.map((h) => h.line),
    );
    expect(res.headers.getSetCookie()).toEqual(DELETIONS);
  });

  it('a Domain-scoped analytics cookie follows its category', async () => {
    const lines = [
      '_ga=GA1.1.123.456; Domain=shop.test; Path=/; Max-Age=63072000',
      '_ga_DEMO123=GS1.1; Domain=.shop.test; Path=/; Max-Age=63072000',
    ];
    const res = await browserGets(state, lines);
    expect(res.headers.getSetCookie()).toEqual(allows(state, 'analytics') ? lines : []);
  });

  it('on an HTML page the same headers pass, byte for byte, while the body is rewritten', async () => {
    const headers = [
      { line: setCookieFor('next-auth.session-token.0'), category: 'essential' },
      { line: setCookieFor('__Host-next-auth.csrf-token'), category: 'essential' },
      { line: setCookieFor('sidebar-collapsed'), category: 'functional' },
      { line: '_ga=GA1.1.1; Domain=shop.test; Path=/; Expires=Fri, 01 Jan 2038 00:00:00 GMT', category: 'analytics' },
      { line: setCookieFor('rzp_DEMO123'), category: 'third-party' },
      { line: 'tnc_experiment=b; Path=/', category: null },
      { line: '=abc', category: null },
      { line: 'report-filters=; Path=/; Max-Age=0', category: null, deletion: true },
    ];
    const res = await browserGets(
      state,
      headers.map((h) => h.line),
      true,
    );
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.getSetCookie()).toEqual(expectedFor(state, headers));
    const body = await res.text();
    expect(body).toContain('id="consent-state"');
    expect(body).toContain('Set 8 cookie(s).');
  });
});

describe('Set-Cookie headers are handled one by one', () => {
  it('headers with commas in Expires are never comma-joined nor split', async () => {
    const state = STATES.find((s) => s.label === 'accept-all') as ConsentCase;
    const lines = [
      '_ga=GA1.1.1; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT',
      'next-auth.csrf-token=a%7Cb; Path=/; Expires=Thu, 01 Jan 2037 00:00:00 GMT; HttpOnly',
      'sidebar-collapsed=1; Expires=Fri, 31 Dec 2037 23:59:59 GMT; Path=/',
      'tnc_experiment=x, y; Path=/',
      'report-filters="{\\"a\\":1,\\"b\\":2}"; Path=/; Expires=Sat, 01 Jan 2039 00:00:00 GMT',
    ];
    const res = await browserGets(state, lines);
    const got = res.headers.getSetCookie();
    expect(got).toEqual([lines[0], lines[1], lines[2], lines[4]]);
    // Not one of them was merged into another.
    for (const line of got) expect(got.filter((g) => g.includes(line.split('=')[0] ?? '')).length).toBe(1);
  });

  it('with nothing accepted, only the essential ones among comma-dated headers reach the browser', async () => {
    const lines = [
      '_ga=GA1.1.1; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT',
      'next-auth.csrf-token=a%7Cb; Path=/; Expires=Thu, 01 Jan 2037 00:00:00 GMT',
      '_ga_DEMO123=GS1; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT',
    ];
    const res = await send(setCookiesPath(lines));
    expect(res.headers.getSetCookie()).toEqual([lines[1]]);
  });
});

describe('Set-Cookie fails closed', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a header the parser rejects (name and value over 4096 bytes) never passes, even for an essential name', async () => {
    const huge = `next-auth.session-token.0=${'x'.repeat(4100)}; Path=/`;
    const small = 'next-auth.session-token.1=ok; Path=/';
    const res = await send(setCookiesPath([huge, small]));
    expect(res.headers.getSetCookie()).toEqual([small]);
  });

  it('a header with a control character (which a Node origin cannot send, but others can) never passes', async () => {
    // Headers allows CTLs other than NUL/CR/LF, so an origin can send them; a browser drops
    // such a header (RFC 6265bis §5.6 step 1), and so must the worker, whatever the name.
    const real = globalThis.fetch;
    const lines = [
      'next-auth.csrf-token\u0001=a; Path=/',
      'next-auth.session-token=a\u007fb; Path=/',
      '\u0007_ga=1; Path=/',
      'next-auth.callback-url=%2F; Path=/',
    ];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname !== '/ctl') return real(input, init);
      const headers = new Headers({ 'content-type': 'text/plain' });
      for (const line of lines) headers.append('set-cookie', line);
      return new Response('ok', { headers });
    });
    const state = STATES.find((s) => s.label === 'accept-all') as ConsentCase;
    const res = await sendWith(state, '/ctl');
    expect(res.headers.getSetCookie()).toEqual(['next-auth.callback-url=%2F; Path=/']);
  });

  it('only a real deletion passes as one: Max-Age wins over a past Expires, a garbled Max-Age is ignored', async () => {
    const fake = [
      '_ga=GA1.1.1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=63072000; Path=/',
      '_ga_DEMO123=GS1; Max-Age=0abc; Path=/',
      'sidebar-collapsed=1; Expires=yesterday; Path=/',
      'tnc_experiment=x; Max-Age=0 1; Path=/',
    ];
    const real = '_ga=; Max-Age=63072000; Max-Age=0; Path=/';
    const res = await send(setCookiesPath([...fake, real]));
    expect(res.headers.getSetCookie()).toEqual([real]);
  });

  it('nothing is comma-joined when the origin repeats the same cookie', async () => {
    const lines = ['next-auth.state=a; Path=/', 'next-auth.state=b; Path=/api'];
    const res = await send(setCookiesPath(lines));
    expect(res.headers.getSetCookie()).toEqual(lines);
  });
});

describe('the consent cookie the worker itself issues', () => {
  it('is a real signed cookie for every decision', async () => {
    for (const state of STATES.filter((s) => s.decision)) {
      const pair = await consentPair(state);
      expect(pair).toMatch(new RegExp(`^${policy.policy.consentCookie.name}=v1\\.`));
    }
  });
});

describe('a WebSocket handshake (101) that sets cookies', () => {
  afterEach(() => vi.restoreAllMocks());

  /** The origin answers the upgrade with 101 and cookies, as a real server may. */
  function originUpgradesWithCookies(lines: string[]) {
    const real = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname !== '/ws-cookies') return real(input, init);
      const pair = new WebSocketPair();
      pair[1].accept();
      const headers = new Headers({ upgrade: 'websocket', connection: 'Upgrade' });
      for (const line of lines) headers.append('set-cookie', line);
      return new Response(null, { status: 101, webSocket: pair[0], headers });
    });
  }
  const lines = ['_ga=GA1.1.1; Path=/; Max-Age=63072000', 'next-auth.state=x; Path=/', 'tnc_experiment=b'];
  const undecided: ConsentState = consentState();

  it('enforceUpgrade filters its Set-Cookie like any response and keeps the socket', async () => {
    originUpgradesWithCookies(lines);
    const ctx = createExecutionContext();
    const url = new URL('https://shop.test/ws-cookies');
    const p: ProxyContext = {
      request: new Request(url),
      url,
      env,
      ctx,
      policy,
      visit: visitWith(undecided),
    };
    const res = enforceUpgrade(p, await fetch('http://origin.invalid/ws-cookies'));
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(101);
    expect(res.webSocket).not.toBeNull();
    expect(res.headers.getSetCookie()).toEqual(['next-auth.state=x; Path=/']);
  });

  it('through the worker, a refused cookie on the handshake never reaches the browser', async () => {
    originUpgradesWithCookies(lines);
    const res = await send('/ws-cookies', {
      headers: {
        upgrade: 'websocket',
        connection: 'Upgrade',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'sec-websocket-version': '13',
      },
    });
    expect(res.status).toBe(101);
    expect(res.headers.getSetCookie()).toEqual(['next-auth.state=x; Path=/']);
  });
});
