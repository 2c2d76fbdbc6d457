// Accessibility (axe, zero violations) of the banner, the dialog, the preferences page and the
// policy page, plus the screenshots in docs/screenshots/ (desktop and mobile, English and Hindi):
// UPDATE_SCREENSHOTS=1 node scripts/run.mjs vitest run --project browser tests/browser/a11y.test.ts
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stackHarness } from './support/fixture';

const t = stackHarness();
// The committed screenshots are refreshed on demand (UPDATE_SCREENSHOTS=1), so an ordinary test run
// leaves the work tree clean; otherwise they go to .tmp/ and the flow is still exercised.
const SHOTS = new URL(process.env.UPDATE_SCREENSHOTS ? '../../docs/screenshots/' : '../../.tmp/screenshots/', import.meta.url).pathname;

async function violations(page: Page, include?: string) {
  const builder = new AxeBuilder({ page });
  if (include) builder.include(include);
  const { violations } = await builder.analyze();
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

const openDialog = async (page: Page) => {
  await page.getByRole('link', { name: /Customize|अनुकूलित/ }).click();
  await page.locator('dialog.ce-dialog[open]').waitFor({ state: 'visible' });
};

describe('axe', () => {
  it('finds no violation in the banner', async () => {
    const { page } = await t.page();
    await page.goto(`${t.url}/`);
    await page.locator('#consent-edge').waitFor();
    expect(await violations(page, '#consent-edge')).toEqual([]);
  });

  it('finds no violation in the preferences dialog', async () => {
    const { page } = await t.page();
    await page.goto(`${t.url}/`);
    await openDialog(page);
    await page.locator('dialog.ce-dialog summary').first().click(); // a cookie table open too
    expect(await violations(page, 'dialog.ce-dialog')).toEqual([]);
  });

  it('finds no violation on the preferences page, in English and Hindi', async () => {
    for (const locale of ['en-US', 'hi-IN']) {
      const { page } = await t.page({ locale });
      await page.goto(`${t.url}/__consent/preferences?return=%2F`);
      for (const summary of await page.locator('summary').all()) await summary.click();
      expect(await violations(page), locale).toEqual([]);
    }
  });

  it('finds no violation in the contextual prompt', async () => {
    const { page } = await t.page();
    await page.goto(`${t.url}/settings`);
    await page.getByRole('button', { name: 'Reject all' }).click();
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    await page.click('#pay-button');
    await page.locator('dialog.ce-ask[open]').waitFor();
    expect(await violations(page, 'dialog.ce-ask')).toEqual([]);
  });

  it('finds no violation on the policy page', async () => {
    const { page } = await t.page();
    await page.goto(`${t.url}/cookie-policy`);
    expect(await violations(page)).toEqual([]);
  });

  it('finds no violation in dark mode', async () => {
    const { page } = await t.page({ colorScheme: 'dark', viewport: { width: 1280, height: 800 } });
    await page.goto(`${t.url}/`);
    expect(await violations(page, '#consent-edge')).toEqual([]);
    await page.screenshot({ path: `${SHOTS}banner-en-1280-dark.png` });
    await openDialog(page);
    expect(await violations(page, 'dialog.ce-dialog')).toEqual([]);
    await page.screenshot({ path: `${SHOTS}dialog-en-1280-dark.png` });
  });
});

describe('layout', () => {
  it('fits 320 px wide without horizontal scrolling, with every choice visible', async () => {
    const { page } = await t.page({ viewport: { width: 320, height: 640 } });
    await page.goto(`${t.url}/`);
    const banner = page.locator('#consent-edge');
    const box = await banner.boundingBox();
    expect(box?.width).toBeLessThanOrEqual(320);
    expect(await banner.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    for (const choice of await banner.locator('.ce-btn').all()) {
      expect(await choice.isVisible()).toBe(true);
      const size = await choice.boundingBox();
      expect(size?.height).toBeGreaterThanOrEqual(44); // touch target
      expect(size?.height).toBeLessThan(80);
    }
  });
});

describe('screenshots', () => {
  mkdirSync(SHOTS, { recursive: true });
  for (const [lang, locale] of [
    ['en', 'en-US'],
    ['hi', 'hi-IN'],
  ] as const) {
    for (const [width, height] of [
      [1280, 800],
      [375, 740],
    ] as const) {
      it(`banner and dialog, ${lang}, ${width} px`, async () => {
        const { page } = await t.page({ locale, viewport: { width, height } });
        await page.goto(`${t.url}/`);
        await page.locator('#consent-edge').waitFor();
        expect(await page.locator('#consent-edge').getAttribute('lang')).toBe(lang);
        await page.screenshot({ path: `${SHOTS}banner-${lang}-${width}.png` });
        await openDialog(page);
        await page.screenshot({ path: `${SHOTS}dialog-${lang}-${width}.png` });
      });
    }
  }
});
