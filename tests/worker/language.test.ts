/**
 * The language a visitor chooses with a switcher, through the whole worker: the edge remembers it
 * in the declared language cookie, and every page (proxied ones with the banner, the policy and
 * preferences pages) is then in that language, whatever Accept-Language says.
 */
import { describe, expect, it } from 'vitest';
import { send } from './helpers';

const NAV = { 'sec-fetch-dest': 'document', accept: 'text/html' };
const HINDI = { ...NAV, 'accept-language': 'hi-IN,hi;q=0.9' };

describe('the language switcher', () => {
  it('remembers a declared language in ce_lang and goes back to the page', async () => {
    const res = await send('/__consent/language?lang=en&return=%2Freports%3Fx%3D1', { headers: HINDI, redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/reports?x=1');
    expect(res.headers.getSetCookie()).toEqual(['ce_lang=en; Max-Age=31536000; Path=/; Secure; SameSite=Lax']);
  });

  it('stores nothing for an undeclared language and never leaves the site', async () => {
    const res = await send('/__consent/language?lang=fr&return=%2F%2Fevil.example', { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('serves the banner in the chosen language over Accept-Language', async () => {
    const chosen = await (await send('/', { headers: { ...HINDI, cookie: 'ce_lang=en' } })).text();
    expect(chosen).toContain('<section id="consent-edge" aria-labelledby=ce-title lang=en>');
    const hindi = await (await send('/', { headers: HINDI })).text();
    expect(hindi).toContain('<section id="consent-edge" aria-labelledby=ce-title lang=hi>');
    const garbage = await (await send('/', { headers: { ...HINDI, cookie: 'ce_lang=%E0%A4' } })).text();
    expect(garbage).toContain('<section id="consent-edge" aria-labelledby=ce-title lang=hi>');
  });

  it('serves the policy and preferences pages in the chosen language', async () => {
    const policy = await send('/cookie-policy', { headers: { ...NAV, 'accept-language': 'en', cookie: 'ce_lang=hi' } });
    expect(policy.headers.get('content-language')).toBe('hi');
    const prefs = await (await send('/__consent/preferences?return=%2F', { headers: { ...NAV, cookie: 'ce_lang=hi' } })).text();
    expect(prefs).toContain('<html lang="hi">');
    expect(prefs).toContain('href="/__consent/language?lang=en&amp;return=%2F__consent%2Fpreferences%3Freturn%3D%252F"');
  });

  it('tells a GPC visitor in the banner which categories the signal refused', async () => {
    const html = await (await send('/', { headers: { ...NAV, 'sec-gpc': '1' } })).text();
    expect(html).toContain('<p class=ce-gpc>Your browser sent a Global Privacy Control signal, so Analytics cookies stay off');
    const without = await (await send('/', { headers: NAV })).text();
    expect(without).not.toContain('ce-gpc');
  });
});
