// Accessibility (axe, zero violations) of the banner, the dialog, the preferences page and the
// policy page (English and Hindi, light and dark), plus the screenshots in docs/screenshots/
// (desktop and mobile, English and Hindi, with a Devanagari font loaded into the page):
// UPDATE_SCREENSHOTS=1 node scripts/run.mjs vitest run --project browser tests/browser/a11y.test.ts
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

/**
 * Chromium here has no Devanagari font: the screenshot run loads Noto Sans Devanagari (a dev
 * dependency) into the page, for Devanagari only, so Hindi renders instead of boxes.
 */
const devanagariCss = (() => {
  const files = createRequire(import.meta.url).resolve(
    '@fontsource/noto-sans-devanagari/files/noto-sans-devanagari-devanagari-400-normal.woff2',
  );
  const face = (weight: number) =>
    `@font-face{font-family:"CE Devanagari";font-weight:${weight};unicode-range:U+0900-097F,U+1CD0-1CF9,U+200C-200D,U+20A8,U+20B9,U+25CC,U+A830-A839,U+A8E0-A8FF;src:url(data:font/woff2;base64,${readFileSync(files.replace('-400-', `-${weight}-`)).toString('base64')}) format("woff2")}`;
  return `${face(400)}${face(700)}:root{--ce-font:"CE Devanagari",system-ui,sans-serif}body{font-family:"CE Devanagari",system-ui,sans-serif}`;
})();

const withDevanagari = async (page: Page) => {
  await page.addStyleTag({ content: devanagariCss });
  // Faces load when first used: load both weights before the screenshot is taken.
  await page.evaluate(async () => {
    const { fonts } = (globalThis as unknown as { document: { fonts: { load(font: string, text: string): Promise<unknown> } } }).document;
    await Promise.all([fonts.load('400 16px "CE Devanagari"', 'क'), fonts.load('700 16px "CE Devanagari"', 'क')]);
  });
};

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

describe('axe in English and Hindi, light and dark', () => {
  for (const locale of ['en-US', 'hi-IN']) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`finds no violation in the banner, dialog, preferences page and policy page (${locale}, ${colorScheme})`, async () => {
        const { page } = await t.page({ locale, colorScheme, extraHTTPHeaders: { 'Sec-GPC': '1' } });
        await page.goto(`${t.url}/`);
        await page.locator('#consent-edge .ce-gpc').waitFor();
        expect(await violations(page, '#consent-edge'), 'banner').toEqual([]);
        await page.keyboard.press('Tab'); // the skip link, shown
        expect(await violations(page, 'ce-skip'), 'skip link').toEqual([]);
        await openDialog(page);
        await page.locator('dialog.ce-dialog summary').first().click();
        expect(await violations(page, 'dialog.ce-dialog'), 'dialog').toEqual([]);
        await page.goto(`${t.url}/__consent/preferences?return=%2F`);
        for (const summary of await page.locator('summary').all()) await summary.click();
        expect(await violations(page), 'preferences page').toEqual([]);
        await page.goto(`${t.url}/cookie-policy`);
        expect(await violations(page), 'policy page').toEqual([]);
      });
    }
  }
});

describe('layout', () => {
  it('fits 320 px wide without horizontal scrolling, with every choice visible', async () => {
    const { page } = await t.page({ viewport: { width: 320, height: 640 } });
    await page.goto(`${t.url}/`);
    const banner = page.locator('#consent-edge');
    const box = await banner.boundingBox();
    expect(box?.width).toBeLessThanOrEqual(320);
    expect(await banner.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    for (const choice of await banner.locator('form > :is(button, a)').all()) {
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
      it(`banner, dialog, preferences page and policy page, ${lang}, ${width} px`, async () => {
        const { page } = await t.page({ locale, viewport: { width, height }, bypassCSP: true });
        await page.goto(`${t.url}/`);
        await page.locator('#consent-edge').waitFor();
        await withDevanagari(page);
        expect(await page.locator('#consent-edge').getAttribute('lang')).toBe(lang);
        await page.screenshot({ path: `${SHOTS}banner-${lang}-${width}.png` });
        await openDialog(page);
        await page.screenshot({ path: `${SHOTS}dialog-${lang}-${width}.png` });
        await page.goto(`${t.url}/__consent/preferences?return=%2F`);
        await withDevanagari(page);
        await page.locator('summary').first().click();
        await page.screenshot({ path: `${SHOTS}preferences-${lang}-${width}.png`, fullPage: true });
        await page.goto(`${t.url}/cookie-policy`);
        await withDevanagari(page);
        await page.locator('#cookies-essential').evaluate((el) => el.scrollIntoView()); // the generated table
        await page.screenshot({ path: `${SHOTS}policy-${lang}-${width}.png` });
      });
    }
  }
});
