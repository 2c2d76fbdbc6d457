// The visitor's experience with a keyboard and in their language, in real Chromium on the demo:
// every focused element is visible (WCAG 2.2 SC 2.4.11: never under the banner), a skip link
// leads to the banner first, focus and a polite announcement after a decision, the language
// switchers and the cookie that remembers the choice, the GPC notice, and request() guarding
// its argument.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stackHarness } from './support/fixture';

const t = stackHarness();

// Evaluated in Chromium; the project's tsconfig has no DOM lib.
// biome-ignore lint/suspicious/noExplicitAny: browser global
declare const document: any;
// biome-ignore lint/suspicious/noExplicitAny: browser global
declare const window: any;

const SIZES = [
  [1280, 800],
  [375, 700],
] as const;

interface Focused {
  /** The same number each time the same element is focused. */
  id: number;
  /** A short description of the focused element, for failure messages. */
  what: string;
  /** Not `<body>`, within the viewport, and what is painted at its centre is itself. */
  visible: boolean;
  inBanner: boolean;
  inDialog: boolean;
}

/** Where focus is and whether a sighted keyboard user can see it. */
function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { id: 0, what: 'body', visible: false, inBanner: false, inDialog: false };
    el.__walkId ??= window.__walkIds = (window.__walkIds ?? 0) + 1;
    const r = el.getBoundingClientRect();
    const w = window.innerWidth;
    const h = window.innerHeight;
    const inside = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < h && r.left < w;
    const fits = r.height > h || (r.top >= 0 && r.bottom <= h + 1);
    // A link that wraps has one box per line: the centre of each (the part inside the viewport,
    // for a large element such as the banner itself) must show the element, not what covers it.
    const boxes = [...el.getClientRects()].filter((b) => b.width > 0 && b.height > 0);
    const hits = boxes.map((b) =>
      document.elementFromPoint((Math.max(b.left, 0) + Math.min(b.right, w)) / 2, (Math.max(b.top, 0) + Math.min(b.bottom, h)) / 2),
    );
    const shown = hits.some((hit) => hit && (hit === el || el.contains(hit)));
    const hit = hits.find((x) => x) ?? null;
    const label = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent || el.value || '').trim().slice(0, 40)}"`;
    return {
      id: el.__walkId,
      what: `${label} at ${Math.round(r.top)}..${Math.round(r.bottom)} of ${h}, centre hit ${hit ? hit.tagName.toLowerCase() : 'none'}`,
      visible: inside && fits && shown,
      inBanner: !!el.closest('#consent-edge'),
      inDialog: !!el.closest('dialog'),
    };
  });
}

/**
 * Presses Tab until focus comes back to where it started (or `max` presses), checking every step;
 * returns what was focused, in order.
 */
async function walk(page: Page, max: number, stopWhen?: (f: Focused) => boolean): Promise<Focused[]> {
  const steps: Focused[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f.what === 'body') break; // past the last element, into the browser's own UI
    expect(f.visible, `step ${i + 1}: ${f.what}`).toBe(true);
    if (steps.some((s) => s.id === f.id)) break;
    steps.push(f);
    if (stopWhen?.(f)) break;
  }
  return steps;
}

describe('keyboard walk', () => {
  for (const [width, height] of SIZES) {
    it(`reaches the banner first and sees every focused element on the page, at ${width} px`, async () => {
      const { page } = await t.page({ viewport: { width, height } });
      await page.goto(`${t.url}/`);
      await page.locator('#consent-edge').waitFor();
      // The page keeps room for the banner at its bottom while it is shown.
      const reserved = await page.evaluate(() => ({
        h: Number.parseInt(document.documentElement.style.getPropertyValue('--ce-banner-h'), 10),
        banner: Math.ceil(document.getElementById('consent-edge').getBoundingClientRect().height),
      }));
      expect(reserved.h).toBe(reserved.banner);

      // The skip link comes first, then every element of the page (the footer links under the
      // banner included), then the banner's own: each one seen focused.
      const steps = await walk(page, 80);
      const names = steps.map((s) => s.what);
      expect(names[0]).toContain('Skip to cookie choices');
      expect(names.some((n) => n.includes('"Accept all"'))).toBe(true);
      expect(names.some((n) => n.includes('"Cookie settings"'))).toBe(true);
      expect(names.some((n) => n.includes('"Cookie policy"'))).toBe(true);
      expect(steps.filter((s) => !s.inBanner).length).toBeGreaterThan(5);

      // From the skip link, Enter leads straight into the banner.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.locator('.ce-skip').focus();
      expect((await focused(page)).visible).toBe(true);
      await page.keyboard.press('Enter');
      expect((await focused(page)).what).toMatch(/^section#consent-edge/);
      await page.keyboard.press('Tab');
      expect((await focused(page)).inBanner).toBe(true);
    });

    it(`walks the preferences dialog and returns focus on Escape, at ${width} px`, async () => {
      const { page } = await t.page({ viewport: { width, height } });
      await page.goto(`${t.url}/`);
      await page.locator('#consent-edge').waitFor();
      await page.getByRole('link', { name: 'Customize' }).focus();
      await page.keyboard.press('Enter');
      await page.locator('dialog.ce-dialog[open]').waitFor();
      expect((await focused(page)).inDialog).toBe(true);
      const steps = await walk(page, 40);
      expect(steps.every((s) => s.inDialog)).toBe(true);
      expect(steps.map((s) => s.what).some((n) => n.includes('"Save choices"'))).toBe(true);
      await page.keyboard.press('Escape');
      expect((await focused(page)).what).toContain('"Customize"');
    });

    it(`walks the preferences page and the policy page with every focus visible, at ${width} px`, async () => {
      const { page } = await t.page({ viewport: { width, height } });
      await page.goto(`${t.url}/__consent/preferences?return=%2F`);
      const prefs = await walk(page, 60);
      expect(prefs.map((s) => s.what).some((n) => n.includes('"English"'))).toBe(true);
      expect(prefs.map((s) => s.what).some((n) => n.includes('"Withdraw consent"'))).toBe(true);
      await page.goto(`${t.url}/cookie-policy`);
      const policy = await walk(page, 200);
      expect(policy.map((s) => s.what).some((n) => n.includes('help@trackncloak.com'))).toBe(true);
    });
  }

  it('the visibility check sees a footer link under the banner when nothing keeps it clear', async () => {
    const { page } = await t.page({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${t.url}/`);
    await page.locator('#consent-edge').waitFor();
    // What the page was like before: no room kept, nothing scrolled on focus.
    await page.addStyleTag({ content: 'html{scroll-padding-bottom:0!important}body::after{display:none!important}' });
    await page.evaluate(() => window.addEventListener('focusin', (e: { stopPropagation(): void }) => e.stopPropagation(), true));
    await page.locator('footer a[href="/cookie-policy"]').focus();
    const f = await focused(page);
    expect(f.visible, f.what).toBe(false);
  });

  it('after Reject all from the keyboard, focus goes back to the page and the choice is announced', async () => {
    const { page } = await t.page({ viewport: { width: 375, height: 700 } });
    await page.goto(`${t.url}/`);
    await page.locator('#consent-edge').waitFor();
    await page.keyboard.press('Tab'); // the skip link
    await page.keyboard.press('Enter');
    await walk(page, 10, (f) => f.what.includes('"Reject all"'));
    expect((await focused(page)).what).toContain('"Reject all"');
    await page.keyboard.press('Enter');
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    const status = page.locator('[role=status].ce-toast');
    await expect.poll(() => status.textContent()).toBe('Your choices have been saved.');
    expect(await status.getAttribute('lang')).toBe('en');
    const after = await focused(page);
    expect(after.what).not.toBe('body');
    expect(after.visible, after.what).toBe(true);
    // The page's bottom is its own again and the skip link is gone.
    expect(await page.evaluate(() => document.documentElement.style.getPropertyValue('--ce-banner-h'))).toBe('');
    expect(await page.locator('ce-skip').count()).toBe(0);
  });

  it('after a decision in the page, focus returns to the element focused before the banner', async () => {
    const { page } = await t.page();
    await page.goto(`${t.url}/`);
    await page.locator('#consent-edge').waitFor();
    await page.locator('#toggle-sidebar').focus();
    await page.getByRole('button', { name: 'Accept all' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    expect((await focused(page)).what).toContain('#toggle-sidebar');
  });
});

describe('language', () => {
  it('shows a Hindi visitor Hindi cookie tables on the preferences and policy pages', async () => {
    const { page } = await t.page({ locale: 'hi-IN' });
    await page.goto(`${t.url}/__consent/preferences?return=%2F`);
    for (const summary of await page.locator('summary').all()) await summary.click();
    await expect.poll(() => page.locator('td', { hasText: 'प्रमाणीकरण सत्र' }).count()).toBeGreaterThan(0);
    expect(await page.locator('td', { hasText: 'सत्र / 30 दिन' }).count()).toBeGreaterThan(0);
    await page.goto(`${t.url}/cookie-policy`);
    expect(await page.locator('#cookies-essential td', { hasText: 'प्रमाणीकरण सत्र' }).count()).toBeGreaterThan(0);
    // The language cookie is declared and listed like any other.
    expect(await page.locator('#cookies-essential th code', { hasText: 'ce_lang' }).count()).toBe(1);
  });

  it('lets a Hindi visitor switch to English once, from the banner, for the whole site', async () => {
    const { page, context } = await t.page({ locale: 'hi-IN' });
    await page.goto(`${t.url}/reports`);
    expect(await page.locator('#consent-edge').getAttribute('lang')).toBe('hi');
    await page.locator('#consent-edge').getByRole('link', { name: 'English' }).click();
    await page.waitForURL(`${t.url}/reports`);
    expect(await page.locator('#consent-edge').getAttribute('lang')).toBe('en');
    expect((await context.cookies()).find((c) => c.name === 'ce_lang')?.value).toBe('en');
    await page.goto(`${t.url}/`);
    expect(await page.locator('#consent-edge h2').textContent()).toBe('Cookies on TrackNCloak');
    await page.goto(`${t.url}/cookie-policy`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.goto(`${t.url}/__consent/preferences?return=%2F`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });

  it('switches language from the dialog and the preferences page, without JavaScript too', async () => {
    const { page } = await t.page({ locale: 'en-US' });
    await page.goto(`${t.url}/`);
    await page.getByRole('link', { name: 'Customize' }).click();
    await page.locator('dialog.ce-dialog[open]').getByRole('link', { name: 'हिन्दी' }).click();
    await page.waitForURL(`${t.url}/`);
    expect(await page.locator('#consent-edge').getAttribute('lang')).toBe('hi');

    const noJs = await t.page({ locale: 'en-US', javaScriptEnabled: false });
    await noJs.page.goto(`${t.url}/__consent/preferences?return=%2Freports`);
    await noJs.page.getByRole('link', { name: 'हिन्दी' }).click();
    await noJs.page.waitForURL(/\/__consent\/preferences\?return=%2Freports$/);
    expect(await noJs.page.locator('html').getAttribute('lang')).toBe('hi');
    await noJs.page.goto(`${t.url}/reports`);
    expect(await noJs.page.locator('#consent-edge').getAttribute('lang')).toBe('hi');
  });
});

describe('Global Privacy Control', () => {
  it('tells a GPC visitor, in their language, that the signal turned analytics off', async () => {
    for (const [locale, text] of [
      ['en-US', 'Global Privacy Control signal, so Analytics cookies stay off'],
      ['hi-IN', 'ग्लोबल प्राइवेसी कंट्रोल संकेत भेजा है, इसलिए एनालिटिक्स कुकीज़ तब तक बंद'],
    ] as const) {
      const { page } = await t.page({ locale, extraHTTPHeaders: { 'Sec-GPC': '1' } });
      await page.goto(`${t.url}/`);
      expect(await page.locator('#consent-edge .ce-gpc').textContent(), locale).toContain(text);
      await page.locator('#consent-edge #cookie-settings').click();
      expect(await page.locator('dialog.ce-dialog[open] .ce-gpc').textContent(), locale).toContain(text);
    }
    const { page } = await t.page();
    await page.goto(`${t.url}/`);
    expect(await page.locator('.ce-gpc').count()).toBe(0);
  });
});

describe('ConsentEdge.request', () => {
  it('rejects an unknown category with a TypeError and shows nothing', async () => {
    const { page } = await t.page();
    await page.goto(`${t.url}/`);
    const outcome = await page.evaluate(() =>
      window.ConsentEdge.request('nope').then(
        () => 'resolved',
        (e: unknown) => (e instanceof TypeError ? 'TypeError' : String(e)),
      ),
    );
    expect(outcome).toBe('TypeError');
    expect(await page.locator('dialog').count()).toBe(0);
  });
});
