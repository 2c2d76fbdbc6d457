// The injected head and body markup next to a React 19 app that hydrates the whole document.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stackHarness } from './support/fixture';
import { startReactOrigin } from './support/react-origin.mjs';

const t = stackHarness(startReactOrigin);

// biome-ignore lint/suspicious/noExplicitAny: browser global, evaluated in Chromium
declare const window: any;

/** Loads the React page through the worker and collects console errors and hydration errors. */
async function hydrate(page: Page) {
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(`${t.url}/`);
  await page.waitForFunction(() => window.__hydrated);
  await page.click('#count');
  await page.getByRole('button', { name: 'Clicked 1' }).waitFor(); // event handlers attached
  return { consoleErrors, hydrationErrors: (await page.evaluate(() => window.__hydrationErrors)) as string[] };
}

const attributeMismatch = (m: string) => m.includes("attributes of the server rendered HTML didn't match");

describe('React 19 hydrateRoot(document)', () => {
  it('hydrates with the injected head and banner present: no hydration error, banner.js works', async () => {
    const { page } = await t.page();
    const { consoleErrors, hydrationErrors } = await hydrate(page);
    expect(await page.locator('#consent-state').count()).toBe(1);
    expect(await page.locator('#consent-edge').isVisible()).toBe(true);
    expect(hydrationErrors).toEqual([]);
    expect(consoleErrors.filter((m) => !attributeMismatch(m))).toEqual([]);
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Cookie settings' }).click();
    await page.getByRole('dialog', { name: 'Cookie settings' }).waitFor();
    expect(await page.evaluate(() => window.__hydrationErrors)).toEqual([]);
  });

  // The worker leaves the page's own markup alone (the no-JavaScript `#cookie-settings` target
  // is injected at the end of <body>), so development React reports no attribute mismatch.
  it('leaves every attribute React rendered as it was (no attribute mismatch warning)', async () => {
    const { page } = await t.page();
    const { consoleErrors } = await hydrate(page);
    expect(consoleErrors.filter(attributeMismatch)).toEqual([]);
  });
});
