// Requests page code makes to a refused category's hosts, in Chromium on the demo through the
// worker: fetch, XHR, sendBeacon, images, resource hints, EventSource and WebSocket fail as a
// blocked request would and never leave the browser; after Accept all they go out; same-origin
// requests are never touched.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stackHarness } from './support/fixture';
import { recordThirdParties } from './support/third-parties';

const t = stackHarness();

// biome-ignore lint/suspicious/noExplicitAny: browser globals, evaluated in Chromium
declare const window: any;
// biome-ignore lint/suspicious/noExplicitAny: as above
declare const document: any;
// biome-ignore lint/suspicious/noExplicitAny: as above
declare const navigator: any;
// biome-ignore lint/suspicious/noExplicitAny: as above
declare const XMLHttpRequest: any;
// biome-ignore lint/suspicious/noExplicitAny: as above
declare const EventSource: any;
// biome-ignore lint/suspicious/noExplicitAny: as above
declare const WebSocket: any;
// biome-ignore lint/suspicious/noExplicitAny: as above
declare const Image: any;

/** Every kind of request page code makes, to Google Analytics hosts; how each ended. */
const tryEverything = (page: Page) =>
  page.evaluate(async () => {
    const settle = (p: Promise<unknown>, ms = 3000) => Promise.race([p, new Promise((r) => setTimeout(() => r('pending'), ms))]);
    const image = (make: (src: string) => unknown) =>
      settle(
        new Promise((resolve) => {
          const img = new Image();
          img.onload = () => resolve('load');
          img.onerror = () => resolve('error');
          make.call(img, 'https://www.google-analytics.com/collect?v=1&t=pageview');
        }),
      );
    return {
      fetch: await settle(
        fetch('https://region1.google-analytics.com/g/collect?v=2').then(
          () => 'sent',
          (e: unknown) => (e instanceof TypeError ? 'TypeError' : String(e)),
        ),
      ),
      xhr: await settle(
        new Promise((resolve) => {
          const x = new XMLHttpRequest();
          x.open('POST', 'https://www.google-analytics.com/g/collect');
          x.onerror = () => resolve(`error ${x.readyState} ${x.status}`);
          x.onload = () => resolve(`load ${x.status}`);
          x.send('v=2');
        }),
      ),
      beacon: navigator.sendBeacon('https://region1.analytics.google.com/g/collect', 'v=2'),
      image: await image(function (this: { src: string }, src) {
        this.src = src;
      }),
      imgAttribute: await image(function (this: { setAttribute(n: string, v: string): void }, src) {
        this.setAttribute('src', src);
      }),
      preload: await (async () => {
        const link = document.createElement('link');
        link.rel = 'preload';
        link.as = 'script';
        link.href = 'https://www.googletagmanager.com/gtag/js?id=G-LATER';
        document.head.appendChild(link);
        return link.hasAttribute('href') ? 'kept' : 'held';
      })(),
      eventSource: await settle(
        new Promise((resolve) => {
          const es = new EventSource('https://stats.g.doubleclick.net/events');
          es.onerror = () => {
            resolve(`error ${es.readyState}`);
            es.close();
          };
          es.onopen = () => resolve('open');
        }),
      ),
      webSocket: await settle(
        new Promise((resolve) => {
          const ws = new WebSocket('wss://region1.google-analytics.com/socket');
          ws.onerror = () => resolve('error');
          ws.onopen = () => resolve('open');
        }),
      ),
      sameOrigin: await fetch('/api/echo').then((r: { status: number }) => r.status),
    };
  });

describe('requests page code makes', () => {
  it('fail as blocked requests while analytics is refused, and nothing reaches Google', async () => {
    const { page, context } = await t.page();
    const third = await recordThirdParties(context);
    await page.goto(`${t.url}/`);
    await page.waitForLoadState('load');
    expect(await tryEverything(page)).toEqual({
      fetch: 'TypeError',
      xhr: 'error 4 0',
      beacon: false,
      image: 'error',
      imgAttribute: 'error',
      preload: 'held',
      eventSource: 'error 0', // a blocked stream is retried, as the browser retries one it cannot reach
      webSocket: 'error',
      sameOrigin: 200,
    });
    await page.waitForTimeout(300);
    expect(third.requests).toEqual([]);
  });

  it('go out once analytics is accepted, without a reload, and none from before is replayed', async () => {
    const { page, context } = await t.page();
    const third = await recordThirdParties(context);
    await page.goto(`${t.url}/`);
    await page.evaluate(() => fetch('https://www.google-analytics.com/g/collect?before=1').catch(() => null));
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    const results = await page.evaluate(() =>
      fetch('https://region1.google-analytics.com/g/collect?v=2').then(
        () => 'sent',
        () => 'failed',
      ),
    );
    expect(results).toBe('sent');
    await page.waitForTimeout(300);
    const urls = third.requests.map((r) => r.url);
    expect(urls).toContain('https://region1.google-analytics.com/g/collect?v=2');
    expect(urls.filter((u) => u.includes('before=1'))).toEqual([]);
  });

  it('gates cookieStore.set in both call forms like document.cookie', async () => {
    const { page, context } = await t.page();
    await page.goto(`${t.url}/`);
    const write = () =>
      page.evaluate(async () => {
        await window.cookieStore.set('_ga', 'GA1.1.form1');
        await window.cookieStore.set({ name: '_ga_DEMO123', value: 'GS1.form2', path: '/' });
        await window.cookieStore.set({ name: 'sidebar-collapsed', value: 'true' });
      });
    await write();
    const names = async () => (await context.cookies()).map((c) => c.name).sort();
    expect(await names()).toEqual([]);
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    await write();
    expect(await names()).toEqual(expect.arrayContaining(['_ga', '_ga_DEMO123', 'sidebar-collapsed']));
    expect(await names()).not.toContain('[object Object]');
  });

  it("reaches none of a refused category's hosts on the demo's pages after Reject all: tags, hints, late tags, the checkout", async () => {
    const { page, context } = await t.page();
    const third = await recordThirdParties(context);
    await page.goto(`${t.url}/`);
    await page.getByRole('button', { name: 'Reject all' }).click();
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    for (const path of ['/', '/reports', '/settings']) {
      await page.goto(`${t.url}${path}`);
      await page.waitForLoadState('load');
    }
    await page.waitForTimeout(500); // the late tag is inserted after load
    expect(await tryEverything(page)).toMatchObject({ fetch: 'TypeError', beacon: false, image: 'error', preload: 'held' });
    expect(third.hosts()).toEqual([]);
  });
});
