import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { ConsentState } from '../../src/consent/state';
import type { AppEnv } from '../../src/env';
import { preferencesRoutes } from '../../src/pages/preferences';
import { visitWith } from '../support/fixtures';
import { policy, state } from './banner-fixtures';

function app(consent: ConsentState = state(), locale = 'en') {
  const a = new Hono<AppEnv>();
  a.use(async (c, next) => {
    c.set('policy', policy);
    c.set('visit', visitWith(consent, { locale }));
    await next();
  });
  a.route('/__consent', preferencesRoutes());
  return a;
}

const get = async (path: string, consent?: ConsentState, locale?: string) => {
  const res = await app(consent, locale).request(path);
  return { res, html: await res.text() };
};

describe('GET /__consent/preferences', () => {
  it('is a full page with a checkbox per optional category, none pre-ticked, essential locked on', async () => {
    const { res, html } = await get('/__consent/preferences?return=%2Freports');
    expect(res.status).toBe(200);
    expect(html.startsWith('<!doctype html><html lang="en">')).toBe(true);
    for (const id of ['functional', 'analytics', 'third-party']) {
      expect(html).toMatch(new RegExp(`<input type="checkbox" name="category" value="${id}" aria-describedby="ce-d-${id}"/>`));
    }
    expect(html).toMatch(/value="essential" checked="" disabled=""/);
    expect(html).toContain('Always active');
    expect(html).toContain('<input type="hidden" name="return" value="/reports"/>');
    for (const action of ['save', 'accept-all', 'reject-all', 'withdraw']) expect(html).toContain(`name="action" value="${action}"`);
    expect(html).toContain('href="/cookie-policy"');
    expect(html).toContain('href="/__consent/receipt"');
  });

  it('lists each category cookies, third-party ones with their provider and domain', async () => {
    const { html } = await get('/__consent/preferences');
    expect(html).toContain('<code>sidebar-collapsed</code>');
    expect(html).toContain('<code>_ga_*</code>');
    expect(html).toMatch(/<code>rzp_\*<\/code>.*?Razorpay \(razorpay\.com\)/s);
  });

  it("ticks the visitor's current choices", async () => {
    const { html } = await get('/__consent/preferences', state({ decided: true, categories: { essential: true, analytics: true } }));
    expect(html).toMatch(/value="analytics" checked=""/);
    expect(html).not.toMatch(/value="functional" checked=""/);
  });

  it('sends strict security headers: no script at all, no inline style', async () => {
    const { res, html } = await get('/__consent/preferences');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('script-src');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(html).not.toMatch(/<script|style=|<style/);
  });

  it('refuses a cross-site return path', async () => {
    const { html } = await get('/__consent/preferences?return=%2F%2Fevil.example%2F');
    expect(html).toContain('name="return" value="/"');
  });

  it('answers ?fragment=1 with just the labelled dialog, ASCII-only in Hindi', async () => {
    const { html } = await get('/__consent/preferences?fragment=1&return=%2F', state(), 'hi');
    expect(html.startsWith('<dialog class="ce-dialog" aria-labelledby="ce-pref-title" lang="hi">')).toBe(true);
    expect(html).toContain('id="ce-pref-title"');
    expect(html).toContain('data-consent-close');
    expect(/[\u0080-\uffff]/.test(html)).toBe(false);
    expect(html).not.toContain('<html');
  });
});
