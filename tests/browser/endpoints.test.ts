// A first-party tracking endpoint, in Chromium on the demo through the worker built with a test
// policy that declares /api/track* under analytics (the Service's published policy names none):
// while analytics is refused the worker answers 204 and the origin hears nothing, whichever way
// page code calls it; once analytics is allowed the calls reach the origin.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stackHarness } from './support/fixture';

const t = stackHarness(undefined, { entry: 'tests/fixtures/test-policy/worker.ts' });

// biome-ignore lint/suspicious/noExplicitAny: browser globals, evaluated in Chromium
declare const navigator: any;
// biome-ignore lint/suspicious/noExplicitAny: as above
declare const XMLHttpRequest: any;

const hits = async () => Number(await (await fetch(`${t.originUrl}/diag/track-hits`)).text());

/** The page calls the endpoint as tracking code does: fetch, XHR and a beacon. */
const track = (page: Page) =>
  page.evaluate(async () => {
    const fetched = await fetch('/api/track/page', { method: 'POST', body: JSON.stringify({ event: 'view' }) });
    const xhr = await new Promise<number>((resolve) => {
      const x = new XMLHttpRequest();
      x.open('POST', '/api/track/click');
      x.onloadend = () => resolve(x.status);
      x.send('{}');
    });
    return { fetch: fetched.status, body: await fetched.text(), xhr, beacon: navigator.sendBeacon('/api/track/leave', 'bye') };
  });

describe('first-party endpoints', () => {
  it('are answered at the edge with 204 while analytics is refused, and the origin hears nothing', async () => {
    const { page } = await t.page();
    const before = await hits();
    await page.goto(`${t.url}/`);
    expect(await track(page)).toEqual({ fetch: 204, body: '', xhr: 204, beacon: true });
    await page.getByRole('button', { name: 'Reject all' }).click();
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    expect(await track(page)).toMatchObject({ fetch: 204, xhr: 204 });
    await new Promise((r) => setTimeout(r, 500)); // a beacon is sent after the call returns
    expect(await hits()).toBe(before);
  });

  it('reach the origin once analytics is allowed', async () => {
    const { page } = await t.page();
    await page.goto(`${t.url}/`);
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    const before = await hits();
    expect(await track(page)).toEqual({ fetch: 200, body: '{"ok":true}', xhr: 200, beacon: true });
    for (let i = 0; i < 20 && (await hits()) < before + 3; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await hits()).toBe(before + 3);
  });
});
