/**
 * The transparent proxy in workerd against the real demo origin: every property of docs/architecture.md, docs/failures.md
 * compared with what the origin sends directly.
 */
import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import type { Bindings } from '../../src/env';
import worker from '../../src/index';
import { direct, origin, PUBLIC, send } from './helpers';

interface Echo {
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
  bodyLength: number;
}

const header = (echo: Echo, name: string) => echo.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);

describe('transparent proxy', () => {
  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('forwards %s with its body', async (method) => {
    const body = method === 'GET' ? undefined : `payload for ${method} ✓`;
    const res = await send('/api/echo/x', { method, body });
    const echo = (await res.json()) as Echo;
    expect(echo.method).toBe(method);
    expect(echo.body).toBe(body ?? '');
  });

  it('streams a large request body unchanged', async () => {
    const chunk = new TextEncoder().encode('0123456789abcdef'.repeat(4096));
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 16; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await send('/api/echo/upload', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    const echo = (await res.json()) as Echo;
    expect(echo.bodyLength).toBe(chunk.length * 16);
  });

  it('keeps path and query exactly as the URL parser yields them', async () => {
    const path = '/api/echo//a%2Fb/%7Euser/caf%C3%A9;x=1?q=%20a+b&q=2&empty=&%2F=%3D';
    const res = await send(path);
    const echo = (await res.json()) as Echo;
    const parsed = new URL(path, PUBLIC);
    expect(echo.url).toBe(parsed.pathname + parsed.search);
    expect(echo.url).toContain('//a%2Fb');
  });

  it('forwards request headers but not hop-by-hop ones, and sets X-Forwarded-*', async () => {
    const res = await send('/api/echo', {
      headers: {
        'x-custom': 'kept',
        'accept-language': 'hi-IN',
        connection: 'keep-alive, x-hop',
        'x-hop': 'dropped',
        te: 'trailers',
        'keep-alive': 'timeout=5',
        'consent-categories': 'essential, analytics',
        'cf-connecting-ip': '203.0.113.9',
      },
    });
    const echo = (await res.json()) as Echo;
    expect(header(echo, 'x-custom')).toEqual(['kept']);
    expect(header(echo, 'accept-language')).toEqual(['hi-IN']);
    expect(header(echo, 'x-hop')).toEqual([]);
    expect(header(echo, 'te')).toEqual([]);
    expect(header(echo, 'keep-alive')).toEqual([]);
    expect(header(echo, 'x-forwarded-for')).toEqual(['203.0.113.9']);
    expect(header(echo, 'x-forwarded-proto')).toEqual(['https']);
    expect(header(echo, 'x-forwarded-host')).toEqual(['shop.test']);
    // A client cannot claim consent: its Consent-Categories is replaced by the worker's.
    expect(header(echo, 'consent-categories')).toEqual(['essential']);
  });

  it("drops the origin's hop-by-hop response fields the runtime would pass on", async () => {
    const res = await send('/hop-by-hop');
    expect(res.headers.get('x-end-to-end')).toBe('kept');
    for (const name of ['x-hop', 'proxy-connection', 'proxy-authenticate']) expect(res.headers.get(name), name).toBeNull();
  });

  it('passes status, headers and body through byte for byte', async () => {
    for (const path of ['/json', '/blob?size=5000', '/gzip.json', '/range']) {
      const [viaWorker, straight] = await Promise.all([send(path), direct(path)]);
      expect(viaWorker.status, path).toBe(straight.status);
      expect(viaWorker.headers.get('content-type'), path).toBe(straight.headers.get('content-type'));
      expect(new Uint8Array(await viaWorker.arrayBuffer()), path).toEqual(new Uint8Array(await straight.arrayBuffer()));
    }
  });

  it('never follows redirects and passes a foreign Location as is', async () => {
    const res = await send('/redirect?to=https%3A%2F%2Fexample.org%2Fx%3Fa%3D1&status=307');
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe('https://example.org/x?a=1');
    const relative = await send('/redirect?to=%2Fnext%3Fq%3D%2520');
    expect(relative.status).toBe(302);
    expect(relative.headers.get('location')).toBe('/next?q=%20');
  });

  it('rewrites a Location on the separate origin host to the public host', async () => {
    const to = encodeURIComponent(`${origin()}/after/login?x=%2F#frag`);
    const res = await send(`/redirect?to=${to}`);
    expect(res.headers.get('location')).toBe(`${PUBLIC}/after/login?x=%2F#frag`);
  });

  it('answers HEAD, 204 and 304 as the origin does', async () => {
    const head = await send('/json', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const noContent = await send('/status/204');
    expect(noContent.status).toBe(204);
    expect(noContent.body).toBeNull();
    const notModified = await send('/status/304');
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBeNull();
  });

  it('passes a ranged request through as 206', async () => {
    const res = await send('/range', { headers: { range: 'bytes=10-19' } });
    const straight = await direct('/range', { headers: { range: 'bytes=10-19' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(straight.headers.get('content-range'));
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array(await straight.arrayBuffer()));
  });

  it('keeps conditional requests working (304 for a matching ETag)', async () => {
    const fresh = await send('/blob?size=10', { headers: { 'if-none-match': '"nope"' } });
    expect(fresh.status).toBe(200);
    const conditional = await send('/json', { headers: {} });
    expect(conditional.status).toBe(200);
    const etag = await send('/status/304', { headers: { 'if-none-match': '"v1"' } });
    expect(etag.status).toBe(304);
  });

  it.each(['/gzip.json', '/gzip', '/br'])(
    'delivers %s decoded, with a Content-Encoding only where the body is still encoded',
    async (path) => {
      const res = await send(path, { headers: { 'accept-encoding': 'gzip, br' } });
      expect(res.status).toBe(200);
      const text = await res.text();
      const straight = await direct(path);
      const expected = await straight.text();
      if (path.endsWith('.json')) expect(text).toBe(expected);
      else {
        // HTML is rewritten (banner injected); the origin's own markup arrives decoded and whole.
        expect(text).toContain('id="consent-state"');
        const body = expected.slice(expected.indexOf('<main'), expected.indexOf('</main>'));
        expect(body.length).toBeGreaterThan(50);
        expect(text).toContain(body);
      }
      // A page the worker rewrote is sent decoded (the edge compresses it per visitor); a body
      // passed through keeps the origin's encoding.
      if (path.endsWith('.json')) expect(res.headers.get('content-encoding')).toBe('gzip');
      else expect(res.headers.get('content-encoding')).toBeNull();
    },
  );

  it('answers 502 with a short page when the origin is unreachable', async () => {
    const res = await send('/anything', {}, { ORIGIN: 'http://127.0.0.1:9' });
    expect(res.status).toBe(502);
    const text = await res.text();
    expect(text).toContain('could not be reached');
    expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|Error/);
  });

  it('answers an unexpected fault on the proxy lane with a bare 500: no detail, no cookie', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const bindings = Object.defineProperty({ ...(env as unknown as Bindings) }, 'ORIGIN', {
      get() {
        throw new Error('binding unavailable');
      },
    });
    const request = new Request(`${PUBLIC}/page?x=1`, { headers: { cookie: '_ga=GA1.1.1' } });
    const res = await worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, bindings, createExecutionContext());
    expect(res.status).toBe(500);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await res.text()).not.toContain('binding unavailable');
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('"event":"worker.error","path":"/page"'));
    errors.mockRestore();
  });

  it('answers 504 when the origin is slower than the timeout', async () => {
    const res = await send('/slow?ms=3000', {}, { ORIGIN_TIMEOUT_MS: '200' });
    expect(res.status).toBe(504);
  });

  it('forwards to the request URL itself when ORIGIN is empty (route mode)', async () => {
    const res = await send(`${origin()}/api/echo/route-mode?z=1`, {}, { ORIGIN: '' });
    const echo = (await res.json()) as Echo;
    expect(echo.url).toBe('/api/echo/route-mode?z=1');
  });

  it('passes a WebSocket upgrade through and echoes messages', async () => {
    const res = await send('/ws', { headers: { upgrade: 'websocket' } });
    expect(res.status).toBe(101);
    const socket = res.webSocket;
    expect(socket).toBeTruthy();
    if (!socket) return;
    socket.accept();
    const reply = new Promise<string>((resolve) => socket.addEventListener('message', (e) => resolve(String(e.data))));
    socket.send('hello through the edge');
    expect(await reply).toBe('hello through the edge');
    socket.close();
  });
});

describe("the worker's own paths never reach the origin", () => {
  it.each([
    '/cookie-policy/',
    '/cookie-policy;a',
    '/cookie-policy%2F',
    '/COOKIE-POLICY',
    '/__consent%2F',
    '/__consent%2Fpolicy.json',
    '/__CONSENT',
    '/__Consent/banner.js',
    '/__consent;x/receipt',
    '/%5F%5Fconsent/receipt%FF',
    '/%5F%5Fconsent/x%ZZ',
  ])('%s', async (path) => {
    const res = await send(path, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.text()).not.toContain('consent-state');
  });

  it('answers the GPC statement however its path is spelled', async () => {
    for (const path of ['/.well-known/gpc.json', '/.well-known/gpc%2Ejson', '/%2Ewell-known/gpc.json']) {
      const res = await send(path);
      expect(res.status, path).toBe(200);
      expect(await res.json(), path).toMatchObject({ gpc: true });
    }
  });

  it('answers //__consent itself', async () => {
    const res = await send(`${PUBLIC}//__consent`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
  });

  it('still proxies look-alike paths', async () => {
    for (const path of ['/cookie-policy-old', '/__consentx', '/api/echo/__consent']) {
      expect((await send(path)).headers.get('content-type'), path).not.toBe('application/json; charset=UTF-8');
    }
    const echo = (await (await send('/api/echo/__consent')).json()) as Echo;
    expect(echo.url).toBe('/api/echo/__consent');
  });
});

describe('methods on worker paths', () => {
  it.each(['/__consent/preferences', '/__consent/receipt', '/__consent/banner.js', '/__consent/policy.json'])(
    '%s refuses PUT with 405 and Allow',
    async (path) => {
      const res = await send(path, { method: 'PUT', body: 'x' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
    },
  );
});
