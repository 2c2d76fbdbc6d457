/**
 * Proof of consent through the whole local stack (`wrangler dev`, its queue and D1), in Chromium:
 * each choice is recorded with where it was made and the language shown, without a place the
 * runtime does not know, and the receipt shows the texts the visitor read.
 */
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ReceiptJson } from '../../src/pages/receipt';
import { deployedPolicy } from '../../src/policy/load';
import { sleep, stackHarness } from './support/fixture';

const t = stackHarness(undefined, { consentLog: true });
const policy = deployedPolicy().policy;

/** The receipt once it holds `count` records: the queue batches for up to two seconds. */
async function receiptWith(context: BrowserContext, count: number): Promise<ReceiptJson> {
  let body: ReceiptJson = { consentId: null, records: [] };
  for (let i = 0; i < 60 && body.records.length < count; i++) {
    if (i) await sleep(500);
    body = (await (await context.request.get(`${t.url}/__consent/receipt?format=json`)).json()) as ReceiptJson;
  }
  return body;
}

describe('the consent log from the browser', () => {
  it('records the banner and the settings dialog as the surfaces, in the language shown, with no invented place', async () => {
    const { page, context } = await t.page({ locale: 'hi-IN', extraHTTPHeaders: { 'accept-language': 'hi-IN,hi;q=0.9' } });
    await page.goto(`${t.url}/`);
    await page.locator('#consent-edge button[value="reject-all"]').click();
    await expect.poll(() => page.evaluate('window.ConsentEdge.get().decided')).toBe(true);
    await page.locator('footer a[href="#cookie-settings"]').first().click();
    await page.locator('dialog input[value="functional"]').check();
    await page.locator('dialog button[value="save"]').click();

    const body = await receiptWith(context, 2);
    const byTime = [...body.records].reverse();
    expect(byTime.map((r) => [r.action, r.surface, r.locale, r.country])).toEqual([
      ['reject-all', 'banner', 'hi', null],
      ['save', 'dialog', 'hi', null],
    ]);
    expect(byTime[0]?.shown?.texts.banner.body).toBe(policy.locales.hi?.banner.body);
    expect(byTime[1]?.shown?.texts.dialog.intro).toBe(policy.locales.hi?.preferences.intro);

    // The receipt page fits a phone.
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${t.url}/__consent/receipt`);
    await expect.poll(() => page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    expect(await page.locator('article').count()).toBe(2);
  });

  it('records the page without JavaScript as its own surface', async () => {
    const { page, context } = await t.page({ javaScriptEnabled: false });
    await page.goto(`${t.url}/__consent/preferences?return=/`);
    await page.locator('input[value="analytics"]').check();
    await page.locator('button[value="save"]').click();
    const body = await receiptWith(context, 1);
    expect(body.records.map((r) => [r.action, r.surface, r.locale, r.accepted])).toEqual([
      ['save', 'page', 'en', ['essential', 'analytics']],
    ]);
  });
});
