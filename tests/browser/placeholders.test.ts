// On the demo in Chromium, through the worker: the unmarked video embed no one declared never
// loads, whatever the visitor accepts, and shows up in `npm run audit`; the Razorpay checkout
// waits behind a placeholder that allows it in place, with JavaScript (no reload) and without
// (the form comes back to the same place); the placeholder passes axe in light and dark and
// works from the keyboard with a visible focus ring.
import { execFileSync } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ranFlags, sleep, stackHarness } from './support/fixture';
import { recordThirdParties } from './support/third-parties';

const t = stackHarness(undefined, { consentLog: true });
const ROOT = new URL('../../', import.meta.url).pathname;

// biome-ignore lint/suspicious/noExplicitAny: browser globals, evaluated in Chromium
declare const window: any;
// biome-ignore lint/suspicious/noExplicitAny: as above
declare const document: any;
// biome-ignore lint/suspicious/noExplicitAny: as above
declare const getComputedStyle: any;

const categories = (page: Page) => page.evaluate(() => window.ConsentEdge.get().categories as Record<string, boolean>);
const placeholder = (page: Page, category: string) => page.locator(`div[data-consent-placeholder="${category}"]`);

async function violations(page: Page, include: string) {
  const { violations } = await new AxeBuilder({ page }).include(include).analyze();
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe('an embed no one declared', () => {
  it('never loads, not even after Accept all, and its placeholder says why', async () => {
    const { page, context } = await t.page();
    const third = await recordThirdParties(context);
    await page.goto(`${t.url}/`);
    const box = placeholder(page, 'undeclared');
    await box.waitFor({ state: 'visible' });
    expect(await box.textContent()).toContain('This content from www.youtube-nocookie.com stays off');
    // Sized like the embed it stands for.
    const size = await box.boundingBox();
    expect([Math.round(size?.width ?? 0), Math.round(size?.height ?? 0)]).toEqual([560, 315]);
    // The held frame itself takes no room and no focus: the placeholder stands in for it.
    expect(await page.locator('iframe[title="TrackNCloak product tour"]').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    await sleep(500);
    await page.reload();
    await page.waitForLoadState('load');
    await sleep(300);
    expect(await categories(page)).toMatchObject({ functional: true, analytics: true, 'third-party': true });
    expect(await page.locator('iframe[title="TrackNCloak product tour"]').getAttribute('src')).toBeNull();
    expect(await placeholder(page, 'undeclared').count()).toBe(1);
    // Page code inserting it again is held as well.
    await page.evaluate(() => {
      const f = document.createElement('iframe');
      f.src = 'https://www.youtube-nocookie.com/embed/again';
      document.body.append(f);
    });
    await sleep(300);
    expect(third.hosts()).not.toContain('www.youtube-nocookie.com');
    // Accepted categories still load (GA through its stand-in host).
    expect(third.hosts()).toContain('www.googletagmanager.com');
  });

  it('appears in npm run audit with a proposed policy.json entry', async () => {
    const { page } = await t.page();
    await page.goto(`${t.url}/`);
    await page.waitForLoadState('load');
    // The Cron Trigger's upkeep writes what the isolate's drift buffer holds.
    expect((await fetch(`${t.url}/__scheduled?cron=*/15+*+*+*+*`)).status).toBe(200);
    const out = execFileSync(
      process.execPath,
      ['scripts/run.mjs', 'tsx', 'scripts/audit.ts', '--local', '--persist-to', t.persist, '--json'],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
    );
    const report = JSON.parse(out) as {
      drift: { name: string; source: string }[];
      sources: { kind: string; pattern: string; category: string }[];
    };
    expect(report.drift).toContainEqual(
      expect.objectContaining({ name: 'https://www.youtube-nocookie.com/embed/tnc-tour', source: 'iframe' }),
    );
    expect(report.sources).toContainEqual(
      expect.objectContaining({ kind: 'iframes', pattern: 'https://www.youtube-nocookie.com/*', category: 'third-party' }),
    );
  }, 60_000);
});

describe('the Razorpay checkout behind a placeholder', () => {
  it('allows third-party cookies in place with JavaScript: no reload, the checkout runs, the choice is recorded there', async () => {
    const { page, context } = await t.page();
    const third = await recordThirdParties(context);
    await page.goto(`${t.url}/settings`);
    await page.getByRole('button', { name: 'Reject all' }).click();
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    const box = placeholder(page, 'third-party');
    expect(await box.textContent()).toContain('This content from Razorpay needs Third-party cookies.');
    expect((await ranFlags(page)).razorpay).toBeUndefined();
    await page.evaluate(() => {
      window.__samePage = true;
    });
    const [posted] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/__consent'),
      box.getByRole('button', { name: 'Allow and load' }).click(),
    ]);
    expect(posted.postDataJSON()).toEqual({ action: 'contextual', categories: ['third-party'], surface: 'placeholder', locale: 'en' });
    await page.waitForFunction(() => window.__razorpayRan === true);
    expect(await page.evaluate(() => window.__samePage)).toBe(true);
    expect(await box.count()).toBe(0);
    expect(await categories(page)).toMatchObject({ 'third-party': true, analytics: false, functional: false });
    expect(third.hosts()).toContain('checkout.razorpay.com');
    expect(third.hosts()).not.toContain('www.googletagmanager.com');
    await page.click('#pay-button');
    await page.waitForFunction(() => window.__razorpayOpened === true);
    // The receipt names where the choice was made, once the queue has written it to D1.
    let receipt = '';
    for (let i = 0; i < 40 && !receipt.includes('"action":"contextual"'); i++) {
      if (i) await sleep(250);
      receipt = await (await page.request.get(`${t.url}/__consent/receipt?format=json`)).text();
    }
    expect(receipt).toMatch(/"action":"contextual"[^}]*"surface":"placeholder"|"surface":"placeholder"[^}]*"action":"contextual"/);
  });

  it('works without JavaScript: the form posts, and the page comes back at the checkout with it in place', async () => {
    const { page } = await t.page({ javaScriptEnabled: false });
    await page.goto(`${t.url}/settings`);
    await Promise.all([page.waitForURL(/\/settings#ce-ph-1$/), placeholder(page, 'third-party').getByRole('button').click()]);
    expect(await placeholder(page, 'third-party').count()).toBe(0);
    const script = page.locator('script[src="https://checkout.razorpay.com/v1/checkout.js"]');
    expect(await script.getAttribute('id')).toBe('ce-ph-1');
    expect(await script.getAttribute('type')).toBeNull();
    // A decision for that category alone: the others stay refused.
    const state = await (await page.request.get(`${t.url}/__consent`)).json();
    expect(state.categories).toMatchObject({ 'third-party': true, analytics: false, functional: false });
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`passes axe and works from the keyboard with a visible focus ring (${colorScheme})`, async () => {
      const { page } = await t.page({ colorScheme });
      await page.goto(`${t.url}/settings`);
      await page.getByRole('button', { name: 'Reject all' }).click();
      await page.locator('#consent-edge').waitFor({ state: 'detached' });
      expect(await violations(page, 'div[data-consent-placeholder]')).toEqual([]);
      const allow = placeholder(page, 'third-party').getByRole('button', { name: 'Allow and load' });
      // Tab from the Pay button reaches the placeholder's Allow next.
      await page.focus('#pay-button');
      await page.keyboard.press('Tab');
      expect(await allow.evaluate((el: unknown) => el === document.activeElement)).toBe(true);
      const ring = await allow.evaluate((el: unknown) => {
        const s = getComputedStyle(el);
        return { style: s.outlineStyle, width: Number.parseFloat(s.outlineWidth) };
      });
      expect(ring.style).not.toBe('none');
      expect(ring.width).toBeGreaterThanOrEqual(2);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => window.__razorpayRan === true);
      expect(await categories(page)).toMatchObject({ 'third-party': true });
    });
  }
});
