// The worker in front of a real Next.js 16 App Router app (tests/fixtures/next-app): next-auth,
// next/script, @next/third-parties, a pasted GA snippet, a streamed Suspense page, next/link.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { nonEssentialCookies, sleep, stackHarness } from './support/fixture';
import { buildNextFixture, startNextOrigin } from './support/next-origin';
import { recordThirdParties } from './support/third-parties';

// A cold `next build` takes about a minute on two cores; later runs reuse it.
beforeAll(() => buildNextFixture(), 300_000);
const t = stackHarness(startNextOrigin);

// biome-ignore lint/suspicious/noExplicitAny: browser global, evaluated in Chromium
declare const document: any;
// biome-ignore lint/suspicious/noExplicitAny: as above
declare const window: any;

/** Console errors and warnings, and uncaught errors, apart from Chromium's unused-preload notes. */
function problems(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !/was preloaded using link preload but not used/.test(m.text())) {
      seen.push(`${m.type()}: ${m.text()}`);
    }
  });
  page.on('pageerror', (e) => seen.push(`pageerror: ${e.message}`));
  return seen;
}

const heldScripts = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('script[type="text/plain"]')].map((s) => ({
      category: s.getAttribute('data-consent-category'),
      src: s.getAttribute('data-consent-src') ?? '',
      inline: !s.getAttribute('data-consent-src') && s.textContent.length > 0,
    })),
  );

describe('in front of a Next.js app', () => {
  it("holds the Google tags while undecided and never holds Next.js's own scripts", async () => {
    const { page, context } = await t.page();
    await recordThirdParties(context);
    const seen = problems(page);
    await page.goto(`${t.url}/`);
    await page.waitForLoadState('load');
    await page.locator('#consent-edge').waitFor({ state: 'visible' });
    const held = await heldScripts(page);
    expect(held.length).toBeGreaterThan(0);
    for (const script of held) {
      expect(script.src, JSON.stringify(script)).toMatch(/^https:\/\/www\.googletagmanager\.com\//);
      expect(script.category).toBe('analytics');
    }
    // Next.js's chunks, flight data and bootstrap all run: the app hydrated and routes on the client.
    const nextScripts = await page.evaluate(() =>
      [...document.querySelectorAll('script')].filter((s) => (s.src || '').includes('/_next/') || /self\.__next_f/.test(s.textContent)),
    );
    expect(nextScripts).not.toEqual([]);
    expect(await page.locator('script[type="text/plain"][src*="/_next/"]').count()).toBe(0);
    await page.getByRole('link', { name: 'About' }).click();
    await page.locator('#about').waitFor();
    expect(await page.evaluate(() => window.ConsentEdge.get().decided)).toBe(false);
    expect(seen).toEqual([]);
  });

  it('holds an undeclared embed behind its placeholder without upsetting hydration, on full loads and soft navigations', async () => {
    const { page, context } = await t.page();
    const third = await recordThirdParties(context);
    const seen = problems(page);
    await page.goto(`${t.url}/about`);
    await page.waitForLoadState('load');
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    await page.reload();
    await page.waitForLoadState('load');
    await sleep(500);
    const box = page.locator('div[data-consent-placeholder="undeclared"]');
    expect(await box.textContent()).toContain('www.youtube-nocookie.com');
    expect(await page.locator('#tour').getAttribute('data-consent-category')).toBe('undeclared');
    expect(await page.locator('#tour').isVisible()).toBe(false);
    // banner.js put it back right before its embed once React had hydrated it.
    expect(
      await page.evaluate(() => document.getElementById('tour').previousElementSibling?.getAttribute('data-consent-placeholder')),
    ).toBe('undeclared');
    // The app still routes on the client (it hydrated), and a soft navigation back holds the
    // embed React inserts itself.
    await page.getByRole('link', { name: 'Home' }).click();
    await page.waitForURL(`${t.url}/`);
    await page.getByRole('link', { name: 'About' }).click();
    await page.locator('#about').waitFor();
    await sleep(300);
    expect(await page.locator('#tour').getAttribute('src')).toBeNull();
    expect(third.hosts()).not.toContain('www.youtube-nocookie.com');
    expect(seen).toEqual([]);
  });

  it('keeps only essential cookies after Reject all, sign-in with next-auth and page code writing a cookie', async () => {
    const { page, context } = await t.page();
    await recordThirdParties(context);
    const seen = problems(page);
    await page.goto(`${t.url}/signin`);
    await page.getByRole('button', { name: 'Reject all' }).click();
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    await page.getByLabel('Password').fill('demo');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${t.url}/dashboard`);
    await page.locator('#who', { hasText: 'Signed in as ada' }).waitFor();
    await page.click('#toggle-sidebar');
    await sleep(200);
    const names = (await context.cookies()).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['ce_consent', 'next-auth.session-token', 'next-auth.csrf-token']));
    expect(await nonEssentialCookies(context)).toEqual([]);
    await page.click('#sign-out');
    await page.waitForURL(`${t.url}/`);
    expect((await context.cookies()).map((c) => c.name)).not.toContain('next-auth.session-token');
    expect(seen).toEqual([]);
  });

  it('keeps the functional cookie page code writes once functional is accepted', async () => {
    const { page, context } = await t.page();
    await recordThirdParties(context);
    await page.goto(`${t.url}/dashboard`);
    await page.locator('#consent-edge form > a', { hasText: 'Customize' }).click();
    await page.getByRole('dialog', { name: 'Cookie settings' }).waitFor();
    await page.getByRole('checkbox', { name: 'Functional cookies' }).check();
    await page.getByRole('button', { name: 'Save choices' }).click();
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    await page.click('#toggle-sidebar');
    await sleep(200);
    expect(await nonEssentialCookies(context)).toEqual(['sidebar-collapsed']);
  });

  it('contacts no Google or Razorpay host after Reject all, on full loads and client-side navigations', async () => {
    const { page, context } = await t.page();
    const third = await recordThirdParties(context);
    const seen = problems(page);
    await page.goto(`${t.url}/`);
    await page.getByRole('button', { name: 'Reject all' }).click();
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    for (const [name, marker] of [
      ['About', '#about'],
      ['Checkout', '#checkout'],
      ['Stream', '#streamed'],
      ['Dashboard', '#who'],
      ['Home', '#home'],
    ] as const) {
      await page.getByRole('link', { name, exact: true }).click();
      await page.locator(marker).waitFor();
    }
    await page.goto(`${t.url}/checkout`);
    await page.waitForLoadState('load');
    await sleep(1500); // lazyOnload tags start when the page is idle
    expect(third.hosts()).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('runs every tag exactly once after Accept all, without a reload, and again once after soft navigations', async () => {
    const { page, context } = await t.page();
    const third = await recordThirdParties(context);
    const seen = problems(page);
    await page.goto(`${t.url}/`);
    await page.waitForLoadState('load');
    await sleep(500);
    expect(third.hosts()).toEqual([]);
    await page.evaluate(() => (window.__mark = 1));
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    const runs = () => page.evaluate(() => [...(window.__tagRuns ?? [])].sort());
    await page.waitForFunction(() => (window.__tagRuns ?? []).length >= 4);
    await sleep(500);
    const expected = [
      'https://www.googletagmanager.com/gtag/js?id=G-AFTER',
      'https://www.googletagmanager.com/gtag/js?id=G-FIXTURE',
      'https://www.googletagmanager.com/gtag/js?id=G-PASTED',
      'https://www.googletagmanager.com/gtm.js?id=GTM-FIXTURE',
    ];
    expect(await runs()).toEqual(expected);
    expect(await page.evaluate(() => window.__mark)).toBe(1); // no reload
    // The held hints came back too.
    expect(await page.locator('link[data-consent-src]').count()).toBe(0);
    await page.getByRole('link', { name: 'About', exact: true }).click();
    await page.locator('#about').waitFor();
    await page.getByRole('link', { name: 'Checkout', exact: true }).click();
    await page.locator('#checkout').waitFor();
    await page.waitForFunction(() => (window.__tagRuns ?? []).some((u: string) => u.includes('razorpay')));
    await sleep(500);
    expect(await runs()).toEqual([...expected, 'https://checkout.razorpay.com/v1/checkout.js'].sort());
    expect(seen).toEqual([]);
  });
});
