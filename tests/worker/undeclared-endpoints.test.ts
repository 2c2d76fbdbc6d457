/**
 * What no one declared stays off, first-party tracking stops at the edge, and a held embed gets
 * a placeholder: through the worker in front of the real demo origin, with the deployed policy
 * and with test policies (`workerWith`).
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Bindings } from '../../src/env';
import worker from '../../src/index';
import { consentCookie, direct, NAV, origin, send, workerWith } from './helpers';

const bindings = env as unknown as Bindings;

afterEach(() => vi.restoreAllMocks());

const iframeOf = (html: string, host: string) => new RegExp(`<iframe[^>]*${host.replace(/\./g, '\\.')}[^>]*>`).exec(html)?.[0] ?? '';

describe('undeclared sources', () => {
  it('holds the demo’s unmarked video embed for every visitor, with a placeholder that names its host', async () => {
    const everything = await consentCookie('save', ['functional', 'analytics', 'third-party']);
    for (const headers of [NAV, { ...NAV, cookie: everything }]) {
      const html = await (await send('/', { headers })).text();
      const frame = iframeOf(html, 'www.youtube-nocookie.com');
      expect(frame).toContain('data-consent-category="undeclared"');
      expect(frame).toContain('data-consent-src="https://www.youtube-nocookie.com/embed/tnc-tour"');
      expect(frame).not.toMatch(/\ssrc=/);
      expect(html).toMatch(
        /<div data-consent-placeholder="undeclared" class="ce-ph" style="width:560px;height:315px" lang="en"><p>This content from www\.youtube-nocookie\.com stays off: it is not listed in our cookie policy\.<\/p><\/div><iframe/,
      );
    }
    // The visitor who accepted everything keeps the rest of the page running.
    const accepted = await (await send('/', { headers: { ...NAV, cookie: everything } })).text();
    expect(accepted).toContain('<script async src="https://www.googletagmanager.com/gtag/js?id=G-DEMO123"></script>');
  });

  it('lets them run under undeclaredSources: allow, and the visitor who accepted everything gets the splice', async () => {
    const allow = workerWith((p) => ({ ...p, undeclaredSources: 'allow' }));
    const html = await (await send('/', { headers: NAV }, {}, allow)).text();
    expect(iframeOf(html, 'www.youtube-nocookie.com')).toContain('src="https://www.youtube-nocookie.com/embed/tnc-tour"');
    expect(html).not.toContain('data-consent-placeholder="undeclared"');
  });

  it('reports each undeclared source to the drift audit by origin and path, held or not', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const probe = `https://widgets.example.net/embed/${Math.random().toString(36).slice(2, 10)}`;
    const id = `drift-${Math.random()}`;
    const stored = await fetch(`${origin()}/faults/doc?id=${encodeURIComponent(id)}`, {
      method: 'POST',
      body: `<!doctype html><html><head><title>t</title></head><body><iframe src="${probe}?autoplay=1"></iframe><script src="${probe}.js"></script></body></html>`,
    });
    expect(stored.status).toBe(204);
    await (await send(`/faults/doc?id=${encodeURIComponent(id)}`, { headers: NAV })).text();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '*/15 * * * *' }), bindings, ctx);
    await waitOnExecutionContext(ctx);
    log.mockRestore();
    const rows = await bindings.CONSENT_DB.prepare('SELECT name, source, sample_path FROM cookie_drift WHERE name LIKE ?1 ORDER BY source')
      .bind(`${probe}%`)
      .all();
    expect(rows.results).toEqual([
      { name: probe, source: 'iframe', sample_path: '/faults/doc' },
      { name: `${probe}.js`, source: 'script', sample_path: '/faults/doc' },
    ]);
  });
});

describe('placeholders', () => {
  it('stands before the held Razorpay checkout with an Allow that posts a form at the end of <body>', async () => {
    const html = await (await send('/settings', { headers: NAV })).text();
    const box = /<div data-consent-placeholder="third-party"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
    expect(box).toContain('This content from Razorpay needs Third-party cookies.');
    expect(box).toMatch(/<button type="submit" form="ce-ph-1-f" class="ce-btn" aria-describedby="ce-ph-1-t">Allow and load<\/button>/);
    // No form inside the box: an embed often sits in a form of the page's own (Razorpay's does).
    expect(box).not.toContain('<form');
    const form = /<form id="ce-ph-1-f" method="post" action="\/__consent" hidden="">[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
    for (const [name, value] of [
      ['action', 'contextual'],
      ['category', 'third-party'],
      ['surface', 'placeholder'],
      ['locale', 'en'],
      ['return', '/settings#ce-ph-1'],
    ])
      expect(form).toContain(`<input type="hidden" name="${name}" value="${value}"/>`);
    expect(html.indexOf(form)).toBeGreaterThan(html.indexOf('</main>'));
    expect(html.indexOf(form)).toBeLessThan(html.indexOf('<section id="consent-edge"'));
    // Right before the element it stands for, which is held.
    expect(html).toMatch(/<\/div><script src="https:\/\/checkout\.razorpay\.com\/v1\/checkout\.js" data-consent-placeholder/);
  });

  it('gets none for a frame no one sees (a 1×1 pixel, a hidden one)', async () => {
    const id = `pixels-${Math.random()}`;
    const stored = await fetch(`${origin()}/faults/doc?id=${encodeURIComponent(id)}`, {
      method: 'POST',
      body: '<!doctype html><html><head></head><body><iframe src="https://www.youtube.com/embed/a" width="1" height="1"></iframe><iframe src="https://www.youtube.com/embed/b" style="display:none"></iframe><iframe src="https://www.youtube.com/embed/c" hidden></iframe></body></html>',
    });
    expect(stored.status).toBe(204);
    const html = await (await send(`/faults/doc?id=${encodeURIComponent(id)}`, { headers: NAV })).text();
    expect(html.match(/data-consent-src="https:\/\/www\.youtube\.com/g)).toHaveLength(3);
    expect(html).not.toContain('<div data-consent-placeholder');
  });

  it('speaks the visitor’s language', async () => {
    const html = await (await send('/settings', { headers: { ...NAV, 'accept-language': 'hi' } })).text();
    const box = /<div data-consent-placeholder="third-party"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
    expect(box).toContain('lang="hi"');
    expect(html).toContain('<input type="hidden" name="locale" value="hi"/>');
  });

  it('without JavaScript: the form allows the category in context and the page comes back with the element in place', async () => {
    const rejected = await consentCookie('save', []);
    const body = new URLSearchParams({
      action: 'contextual',
      category: 'third-party',
      surface: 'placeholder',
      locale: 'en',
      return: '/settings#ce-ph-1',
    });
    const res = await send('/__consent', {
      method: 'POST',
      body,
      headers: { cookie: rejected, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/settings#ce-ph-1');
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const state = (await (await send('/__consent', { headers: { cookie } })).json()) as { categories: Record<string, boolean> };
    expect(state.categories).toMatchObject({ 'third-party': true, analytics: false, functional: false });
    const html = await (await send('/settings', { headers: { ...NAV, cookie } })).text();
    expect(html).not.toContain('data-consent-placeholder="third-party"');
    expect(html).toContain('<script src="https://checkout.razorpay.com/v1/checkout.js" data-consent-placeholder id="ce-ph-1"></script>');
  });
});

describe('first-party endpoints', () => {
  const tracked = workerWith((p) => ({
    ...p,
    categories: p.categories.map((c) => (c.id === 'analytics' ? { ...c, endpoints: ['/api/track*'] } : c)),
  }));
  const hits = async () => Number(await (await direct('/diag/track-hits')).text());
  const beacon = (cookie?: string) =>
    send(
      '/api/track/page?view=1',
      { method: 'POST', body: '{"event":"view"}', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) } },
      {},
      tracked,
    );

  it('answers them with 204 while the category is refused, and the origin hears nothing', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const before = await hits();
    const undecided = await beacon();
    expect(undecided.status).toBe(204);
    expect(await undecided.text()).toBe('');
    expect((await beacon(await consentCookie('save', ['functional'], tracked))).status).toBe(204);
    expect(await hits()).toBe(before);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('"event":"endpoint.blocked","path":"/api/track/page","category":"analytics"'));
  });

  it('forwards them once the category is allowed, and leaves every other path alone', async () => {
    const before = await hits();
    const res = await beacon(await consentCookie('save', ['analytics'], tracked));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(await hits()).toBe(before + 1);
    // Not an endpoint of the test policy; and the deployed policy declares none.
    expect((await send('/api/events', { method: 'POST' }, {}, tracked)).status).toBe(200);
    expect((await send('/api/track', { method: 'POST' })).status).toBe(200);
    expect(await hits()).toBe(before + 3);
  });
});
