// The injected head and body markup next to a React 19 app that hydrates the whole document.
import { describe, expect, it } from 'vitest';
import { startReactOrigin } from './support/react-origin.mjs';
import { stackHarness } from './support/fixture';

const t = stackHarness(startReactOrigin);

// biome-ignore lint/suspicious/noExplicitAny: browser global, evaluated in Chromium
declare const window: any;

describe('React 19 hydrateRoot(document)', () => {
  it('hydrates with the injected markup present and raises no hydration error', async () => {
    const { page } = await t.page();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.url}/`);
    await page.waitForFunction(() => window.__hydrated);
    expect(await page.locator('#consent-state').count()).toBe(1);
    expect(await page.locator('#consent-edge').isVisible()).toBe(true);
    await page.click('#count');
    await page.getByRole('button', { name: 'Clicked 1' }).waitFor(); // event handlers attached
    expect(await page.evaluate(() => window.__hydrationErrors)).toEqual([]);
    expect(errors).toEqual([]);
    // banner.js still works inside React's document.
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Cookie settings' }).click();
    await page.getByRole('dialog', { name: 'Cookie settings' }).waitFor();
    expect(await page.evaluate(() => window.__hydrationErrors)).toEqual([]);
  });
});
