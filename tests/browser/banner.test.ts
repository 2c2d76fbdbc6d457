// biome-ignore-all lint/suspicious/noDocumentCookie: writing document.cookie is what these tests check
// The banner and banner.js in real Chromium, on the demo served through `wrangler dev`.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { nonEssentialCookies, ranFlags, sleep, stackHarness } from './support/fixture';

const t = stackHarness();

// The page.evaluate callbacks below run in Chromium; the project's tsconfig has no DOM lib (it
// would clash with the Workers types), so the browser globals are declared here, for this file.
// biome-ignore lint/suspicious/noExplicitAny: browser globals, typed by the browser at run time
declare const window: any;
// biome-ignore lint/suspicious/noExplicitAny: as above
declare const document: any;
// biome-ignore lint/suspicious/noExplicitAny: as above
declare function getComputedStyle(el: unknown): any;

/** Marks the current document, to tell later whether the page was reloaded. */
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { __mark: number }).__mark = 1));
const marked = (page: Page) => page.evaluate(() => (window as unknown as { __mark?: number }).__mark === 1);
const consentState = (page: Page) => page.evaluate(() => window.ConsentEdge.get());

describe('banner', () => {
  it('shows on the first visit with three equal choices', async () => {
    const { page } = await t.page();
    await page.goto(`${t.url}/`);
    const banner = page.locator('#consent-edge');
    await banner.waitFor({ state: 'visible' });
    const choices = banner.locator('form > :is(button, a)');
    expect(await choices.allInnerTexts()).toEqual(['Accept all', 'Reject all', 'Customize']);
    const looks = await choices.evaluateAll((els) =>
      els.map((el) => {
        const s = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        return {
          w: Math.round(r.width),
          h: Math.round(r.height),
          weight: s.fontWeight,
          size: s.fontSize,
          bg: s.backgroundColor,
          fg: s.color,
        };
      }),
    );
    expect(new Set(looks.map((l) => JSON.stringify(l))).size).toBe(1);
    expect(await banner.locator('input[type=checkbox]').count()).toBe(0);
    expect(await page.evaluate(() => window.ConsentEdge.get().decided)).toBe(false);
  });

  it('Reject all leaves only essential cookies and no GA or Razorpay script runs', async () => {
    const { page, context } = await t.page();
    await page.goto(`${t.url}/settings`);
    await page.waitForLoadState('load');
    await mark(page);
    await page.getByRole('button', { name: 'Reject all' }).click();
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    expect(await marked(page)).toBe(true); // decided without a reload
    // The page keeps working: functional and undeclared cookies written by it are dropped.
    await page.click('#toggle-sidebar');
    await page.evaluate(() => fetch('/api/sidebar?collapsed=1', { method: 'POST' }));
    await page.goto(`${t.url}/api/auth/signin`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${t.url}/`);
    await page.goto(`${t.url}/settings`);
    await page.waitForLoadState('load');
    await sleep(500);
    expect(await page.locator('#consent-edge').count()).toBe(0);
    expect(await ranFlags(page)).toEqual({ ga: undefined, late: undefined, razorpay: undefined });
    expect(await nonEssentialCookies(context)).toEqual([]);
    expect((await context.cookies()).map((c) => c.name)).toContain('ce_consent');
  });

  it('Accept all runs the held and late tags at once, without a reload', async () => {
    const { page } = await t.page();
    await page.goto(`${t.url}/settings`);
    await page.waitForLoadState('load');
    await sleep(300);
    expect(await ranFlags(page)).toEqual({ ga: undefined, late: undefined, razorpay: undefined });
    await mark(page);
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page.waitForFunction(() => {
      const w = window as unknown as Record<string, unknown>;
      return w.__gaRan && w.__lateTagRan && w.__razorpayRan;
    });
    expect(await marked(page)).toBe(true);
    expect(await page.locator('#consent-edge').count()).toBe(0);
    expect((await consentState(page)).categories).toEqual({ essential: true, functional: true, analytics: true, 'third-party': true });
    await page.getByRole('status').filter({ hasText: 'Your choices have been saved.' }).waitFor();
  });

  it('dispatches consentchange and pushes a Consent Mode update', async () => {
    const { page } = await t.page();
    await page.goto(`${t.url}/`);
    await page.evaluate(() => {
      document.addEventListener('consentchange', (e: { detail: unknown }) => {
        window.__change = e.detail;
      });
    });
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page.waitForFunction(() => (window as unknown as { __change?: unknown }).__change);
    const { change, update } = await page.evaluate(() => {
      const w = window as unknown as { __change: { categories: Record<string, boolean> }; dataLayer: IArguments[] };
      const last = [...w.dataLayer].reverse().find((a) => a[0] === 'consent');
      return { change: w.__change, update: last && [...last] };
    });
    expect(change.categories.analytics).toBe(true);
    expect(update?.[1]).toBe('update');
    expect(update?.[2]).toMatchObject({ analytics_storage: 'granted', ad_storage: 'denied', security_storage: 'granted' });
  });

  // One retry: this test timed out once in four full runs under load (never alone), cause not
  // yet found. A failed attempt still prints its trail (URL, console, failed requests) to stderr.
  it('the footer "Cookie settings" link reopens preferences and a change takes effect', { retry: 1 }, async () => {
    const { page, context } = await t.page();
    await page.goto(`${t.url}/`);
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page.waitForFunction(() => (window as unknown as { __gaRan?: boolean }).__gaRan);
    expect((await context.cookies()).map((c) => c.name)).toContain('_ga');
    // If the dialog never shows, say where the page was and what failed, not only "timeout".
    const trail: string[] = [];
    page.on('console', (m) => trail.push(`console.${m.type()}: ${m.text()}`));
    page.on('requestfailed', (r) => trail.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on('framenavigated', (f) => f === page.mainFrame() && trail.push(`navigated: ${f.url()}`));
    await page.getByRole('link', { name: 'Cookie settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cookie settings' });
    await dialog.waitFor({ state: 'visible' }).catch((error: Error) => {
      const report = `${error.message}\nat ${page.url()}\n${trail.join('\n')}`;
      console.error(`footer Cookie settings link: no dialog\n${report}`);
      throw new Error(report);
    });
    const analytics = dialog.getByRole('checkbox', { name: 'Analytics cookies' });
    expect(await analytics.isChecked()).toBe(true);
    await analytics.uncheck();
    // Revoking a category reloads: a tag that already ran cannot be stopped in place.
    await Promise.all([page.waitForNavigation(), dialog.getByRole('button', { name: 'Save choices' }).click()]);
    await page.waitForLoadState('load');
    await sleep(300);
    expect((await consentState(page)).categories).toMatchObject({ analytics: false, functional: true });
    expect((await ranFlags(page)).ga).toBeUndefined();
    expect((await context.cookies()).map((c) => c.name)).not.toContain('_ga');
  });

  it('contextual request() asks in place and releases Razorpay before paying', async () => {
    const { page } = await t.page();
    await page.goto(`${t.url}/settings`);
    await page.getByRole('button', { name: 'Reject all' }).click();
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    await page.click('#pay-button');
    const ask = page.getByRole('dialog', { name: /third-party cookies/i });
    await ask.waitFor({ state: 'visible' });
    await ask.getByRole('button', { name: 'Allow' }).click();
    await page.waitForFunction(() => (window as unknown as { __razorpayOpened?: boolean }).__razorpayOpened);
    expect(await page.locator('#pay-status').textContent()).toContain('Razorpay checkout opened');
    expect((await consentState(page)).categories).toMatchObject({ 'third-party': true, analytics: false });
  });
});

describe('banner.js guards', () => {
  it('drops document.cookie and cookieStore writes of refused categories, keeps deletions', async () => {
    const { page } = await t.page();
    await page.goto(`${t.url}/`);
    await page.getByRole('button', { name: 'Reject all' }).click();
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    const after = await page.evaluate(async () => {
      document.cookie = '_ga=x; path=/';
      document.cookie = 'sidebar-collapsed=1; path=/';
      document.cookie = 'made-up=1; path=/';
      // Stored by the browser although they look like deletions (RFC 6265bis).
      document.cookie = '_ga_Y1=1; path=/; expires=Thu, 01 Jan 69 00:00:00 GMT';
      document.cookie = '_ga_Y2=1; path=/; max-age=0; max-age=63072000';
      document.cookie = '_ga_Y3=1; path=/; max-age=0x';
      document.cookie = '_ga_Y4=1; path=/; max-age=-0.5';
      await (window as unknown as { cookieStore?: { set(n: string, v: string): Promise<void> } }).cookieStore?.set('_ga_X', 'y');
      return document.cookie;
    });
    expect(after).not.toMatch(/_ga|sidebar-collapsed|made-up/);
    expect(after).toContain('ce_consent=');
    await page.getByRole('link', { name: 'Cookie settings' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Accept all' }).click();
    await page.waitForFunction(() => window.ConsentEdge.get().categories.analytics);
    const accepted = await page.evaluate(() => {
      document.cookie = '_ga=x; path=/';
      const set = document.cookie;
      document.cookie = '_ga=; max-age=0; path=/';
      return { set, deleted: document.cookie };
    });
    expect(accepted.set).toContain('_ga=x');
    expect(accepted.deleted).not.toContain('_ga=x');
  });

  it('holds tags page code inserts and releases them in document order', async () => {
    const { page } = await t.page();
    await page.route('**/__order/*.js', async (route) => {
      const name = /\/__order\/(\w+)\.js/.exec(route.request().url())?.[1] ?? '?';
      if (name === 'a') await sleep(400); // a slow first script must still run first
      await route.fulfill({ contentType: 'text/javascript', body: `window.__order.push('${name}')` });
    });
    await page.route('https://www.googletagmanager.com/gtm.js*', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: "window.__order.push('gtm')" }),
    );
    await page.goto(`${t.url}/`);
    const held = await page.evaluate(() => {
      (window as unknown as { __order: string[] }).__order = [];
      const add = (attrs: Record<string, string>, text?: string) => {
        const s = document.createElement('script');
        for (const [k, v] of Object.entries(attrs)) s.setAttribute(k, v);
        if (text) s.text = text;
        document.body.appendChild(s);
        return s;
      };
      add({ 'data-consent-category': 'analytics', src: '/__order/a.js' });
      add({ 'data-consent-category': 'analytics' }, "window.__order.push('b')");
      const gtm = document.createElement('script');
      gtm.src = 'https://www.googletagmanager.com/gtm.js?id=GTM-ORDER'; // held by source pattern
      document.body.append(gtm);
      const late = document.createElement('script');
      document.body.insertBefore(late, null);
      late.dataset.consentCategory = 'analytics';
      late.src = '/__order/c.js'; // src set on a connected element
      const frame = document.createElement('iframe');
      frame.title = 'held frame';
      frame.dataset.consentCategory = 'functional';
      document.body.prepend(frame);
      frame.setAttribute('src', '/__order/frame.html');
      return [...document.querySelectorAll('script[data-consent-src],iframe[data-consent-src]')]
        .map((e) => e.getAttribute('data-consent-src'))
        .filter((src) => /__order|GTM-ORDER/.test(src ?? ''));
    });
    expect(held).toEqual(['/__order/frame.html', '/__order/a.js', 'https://www.googletagmanager.com/gtm.js?id=GTM-ORDER', '/__order/c.js']);
    await sleep(600);
    expect(await page.evaluate(() => (window as unknown as { __order: string[] }).__order)).toEqual([]);
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page.waitForFunction(() => (window as unknown as { __order: string[] }).__order.length === 4);
    expect(await page.evaluate(() => (window as unknown as { __order: string[] }).__order)).toEqual(['a', 'b', 'gtm', 'c']);
    expect(await page.locator('iframe[title="held frame"]').getAttribute('src')).toBe('/__order/frame.html');
  });
});

/** Answers GTM's URL with a stand-in that counts its runs in `window.__runs[id]`, and frames under /__markup/. */
async function standIns(page: Page): Promise<string[]> {
  const frames: string[] = [];
  await page.route('https://www.googletagmanager.com/gtm.js*', (route) => {
    const id = new URL(route.request().url()).searchParams.get('id') ?? '?';
    return route.fulfill({
      contentType: 'text/javascript',
      body: `(window.__runs=window.__runs||{})[${JSON.stringify(id)}]=1`,
    });
  });
  await page.route('**/__markup/*', (route) => {
    frames.push(new URL(route.request().url()).pathname);
    return route.fulfill({ contentType: 'text/html', body: '<p>frame</p>' });
  });
  return frames;
}

const runs = (page: Page) => page.evaluate(() => Object.keys((window as unknown as { __runs?: object }).__runs ?? {}).sort());

async function acceptAll(page: Page) {
  await page.getByRole('button', { name: 'Accept all' }).click();
  await page.waitForFunction(() => window.ConsentEdge.get().decided);
}

describe('banner.js guards: script types and markup', () => {
  it('holds inserted scripts of every executable type (x- variants, padded, any case)', async () => {
    const { page } = await t.page();
    await standIns(page);
    await page.goto(`${t.url}/`);
    const types = ['application/x-javascript', ' text/javascript', 'TEXT/JavaScript\n', 'text/jscript'];
    const held = await page.evaluate((list: string[]) => {
      return list.map((type, i) => {
        const s = document.createElement('script');
        s.setAttribute('type', type);
        s.src = `https://www.googletagmanager.com/gtm.js?id=T${i}`;
        document.head.appendChild(s);
        return [s.getAttribute('type'), s.getAttribute('data-consent-type')];
      });
    }, types);
    expect(held).toEqual(types.map((type) => ['text/plain', type]));
    await sleep(500);
    expect(await runs(page)).toEqual([]);
    await acceptAll(page);
    await page.waitForFunction(() => Object.keys((window as unknown as { __runs?: object }).__runs ?? {}).length === 4);
    expect(await runs(page)).toEqual(['T0', 'T1', 'T2', 'T3']);
  });

  it('holds refused iframes inserted as markup (innerHTML, outerHTML, insertAdjacentHTML) until allowed', async () => {
    const { page } = await t.page();
    const frames = await standIns(page);
    await page.goto(`${t.url}/`);
    await page.evaluate(() => {
      const frame = (name: string) => `<iframe title="${name}" data-consent-category="functional" src="/__markup/${name}.html"></iframe>`;
      const box = document.createElement('div');
      document.body.append(box);
      box.innerHTML = `<p>inner</p>${frame('inner')}`;
      box.insertAdjacentHTML('beforeend', frame('adjacent'));
      const old = document.createElement('span');
      box.append(old);
      old.outerHTML = frame('outer');
      const table = document.createElement('table');
      box.append(table);
      table.innerHTML = `<tr><td>${frame('cell')}</td></tr>`; // parsed in the table's context
      const host = document.createElement('div');
      host.id = 'shadow-host';
      box.append(host);
      host.attachShadow({ mode: 'open' }).innerHTML = frame('shadow');
      // A script inserted as markup never runs; it stays as the browser leaves it.
      box.insertAdjacentHTML('afterbegin', '<script src="https://www.googletagmanager.com/gtm.js?id=MARKUP"></script>');
      box.insertAdjacentHTML('afterend', '<iframe title="free" src="/__markup/free.html"></iframe>'); // no category: loads
    });
    await sleep(500);
    expect(frames).toEqual(['/__markup/free.html']);
    expect(
      await page.evaluate(() =>
        document.getElementById('shadow-host')?.shadowRoot?.querySelector('iframe')?.getAttribute('data-consent-src'),
      ),
    ).toBe('/__markup/shadow.html');
    const held = await page.evaluate(() =>
      [...document.querySelectorAll('iframe[data-consent-src^="/__markup/"]')].map((f) => [f.title, f.getAttribute('src')]),
    );
    expect(held).toEqual([
      ['inner', null],
      ['adjacent', null],
      ['outer', null],
      ['cell', null],
    ]);
    expect(await page.locator('table td iframe').count()).toBe(1);
    await acceptAll(page);
    await page.waitForFunction(() => document.querySelectorAll('iframe[src^="/__markup/"]').length === 5);
    await sleep(300);
    expect([...frames].sort()).toEqual([
      '/__markup/adjacent.html',
      '/__markup/cell.html',
      '/__markup/free.html',
      '/__markup/inner.html',
      '/__markup/outer.html',
    ]);
    expect(await runs(page)).toEqual([]);
  });

  it('holds refused scripts and iframes written by document.write while the page parses', async () => {
    const { page } = await t.page();
    const frames = await standIns(page);
    const written =
      'document.write(\'<script src="https://www.googletagmanager.com/gtm.js?id=WRITE"><\\/script>\');' +
      'document.writeln(\'<iframe title="written" data-consent-category="functional" src="/__markup/written.html"></iframe>\');' +
      "document.write('<p id=\"after-write\">', 'plain', '</p>');";
    await page.route(`${t.url}/`, async (route) => {
      const res = await route.fetch();
      const headers = { ...res.headers() };
      delete headers['content-length'];
      delete headers['content-encoding'];
      const body = (await res.text()).replace('</body>', `<script>${written}</script></body>`);
      await route.fulfill({ status: res.status(), headers, body });
    });
    await page.goto(`${t.url}/`);
    await page.waitForLoadState('load');
    await sleep(500);
    expect(await runs(page)).toEqual([]);
    expect(frames).toEqual([]);
    expect(await page.locator('#after-write').textContent()).toBe('plain');
    expect(await page.locator('script[data-consent-src*="id=WRITE"]').getAttribute('type')).toBe('text/plain');
    expect(await page.locator('iframe[title="written"]').getAttribute('data-consent-src')).toBe('/__markup/written.html');
    await acceptAll(page);
    await page.waitForFunction(() => (window as unknown as { __runs?: { WRITE?: number } }).__runs?.WRITE === 1);
    await page.waitForFunction(() => document.querySelector('iframe[title="written"]')?.getAttribute('src') === '/__markup/written.html');
    expect(frames).toEqual(['/__markup/written.html']);
  });
});

describe('under the origin CSP', () => {
  it("runs banner.js and the Consent Mode default with the page's nonce, and decides", async () => {
    const { page } = await t.page();
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) refused.push(m.text());
    });
    await page.goto(`${t.url}/csp`);
    await page.locator('#consent-edge').waitFor();
    expect(await page.evaluate(() => typeof window.ConsentEdge?.open)).toBe('function');
    expect(await page.evaluate(() => window.dataLayer?.[0]?.[1])).toBe('default');
    await page.getByRole('link', { name: 'Cookie settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cookie settings' });
    await dialog.getByRole('button', { name: 'Reject all' }).click();
    await page.locator('#consent-edge').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => window.ConsentEdge.get().decided)).toBe(true);
    expect(refused).toEqual([]);
  });

  it('loads dialog.js and dialog.css under a nonce-only CSP, and shows the dialog and the prompt styled', async () => {
    const { page } = await t.page();
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) refused.push(m.text());
    });
    // What a dialog looks like at the moment it is shown: dialog.css sets its padding (20px).
    await page.addInitScript(() => {
      const proto = window.HTMLDialogElement.prototype;
      const show = proto.showModal;
      proto.showModal = function (this: unknown) {
        window.__shown ??= [];
        window.__shown.push(getComputedStyle(this).padding);
        show.call(this);
      };
    });
    await page.goto(`${t.url}/csp-strict`);
    await page.locator('#consent-edge').waitFor();
    // Nothing of the dialog is fetched before it is asked for.
    expect(await page.locator('link[href*="/dialog.css"],script[src*="/dialog.js"]').count()).toBe(0);
    await page.locator('footer a[href="#cookie-settings"]').click();
    const dialog = page.getByRole('dialog', { name: 'Cookie settings' });
    await dialog.waitFor();
    expect(await page.evaluate(() => window.__shown)).toEqual(['20px']);
    // Each carries the nonce of its kind: the script banner.js's, the stylesheet banner.css's.
    const nonces = await page.evaluate(() => ({
      js: document.querySelector('script[src*="/dialog.js"]')?.nonce,
      css: document.querySelector('link[href*="/dialog.css"]')?.nonce,
    }));
    expect(nonces).toEqual({ js: 'demoNonce123', css: 'demoStyle456' });
    expect(await dialog.evaluate((el) => getComputedStyle(el).maxWidth)).toBe('640px');
    expect(
      await dialog
        .locator('.ce-cat')
        .first()
        .evaluate((el) => getComputedStyle(el).borderTopStyle),
    ).toBe('solid');
    expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // The prompt uses the same two files, fetched once.
    const asked = page.evaluate(() => window.ConsentEdge.request('functional'));
    const prompt = page.getByRole('dialog', { name: /This feature needs Functional cookies/ });
    await prompt.waitFor();
    expect(await page.evaluate(() => window.__shown)).toEqual(['20px', '20px']);
    expect(await prompt.evaluate((el) => getComputedStyle(el).maxWidth)).toBe('416px');
    await prompt.getByRole('button', { name: 'Close' }).click();
    expect(await asked).toBe(false);
    expect(await page.locator('link[href*="/dialog.css"],script[src*="/dialog.js"]').count()).toBe(2);
    expect(refused).toEqual([]);
  });
});

describe('when dialog.js cannot be loaded', () => {
  it('request() resolves false, the next use loads it, and open() falls back to the preferences page', async () => {
    const { page } = await t.page();
    await page.route('**/__consent/dialog.js*', (route) => route.abort());
    await page.goto(`${t.url}/reports`);
    await page.locator('#consent-edge').waitFor();
    expect(await page.evaluate(() => window.ConsentEdge.request('functional'))).toBe(false);
    // A failed load is not remembered: once it can be fetched, the prompt comes.
    await page.unroute('**/__consent/dialog.js*');
    const asked = page.evaluate(() => window.ConsentEdge.request('functional'));
    const prompt = page.getByRole('dialog', { name: /This feature needs Functional cookies/ });
    await prompt.waitFor();
    await page.keyboard.press('Escape');
    expect(await asked).toBe(false);

    const { page: other } = await t.page();
    await other.route('**/__consent/dialog.js*', (route) => route.abort());
    await other.goto(`${t.url}/reports?period=weekly`);
    await other.locator('#consent-edge').waitFor();
    await other.locator('footer a[href="#cookie-settings"]').click();
    await other.waitForURL(/\/__consent\/preferences\?return=%2Freports%3Fperiod%3Dweekly/);
    // The page links dialog.css after banner.css: its categories are styled.
    expect(
      await other
        .locator('.ce-cat')
        .first()
        .evaluate((el) => getComputedStyle(el).borderTopStyle),
    ).toBe('solid');
  });
});

describe('without JavaScript', () => {
  it('the visitor can decide from the banner and change it on the preferences page', async () => {
    const { page, context } = await t.page({ javaScriptEnabled: false });
    await page.goto(`${t.url}/reports?period=weekly`);
    await page.getByRole('button', { name: 'Reject all' }).click();
    await page.waitForURL(`${t.url}/reports?period=weekly`);
    expect(await page.locator('#consent-edge').count()).toBe(0);
    expect((await context.cookies()).map((c) => c.name)).toContain('ce_consent');
    // The footer's #cookie-settings link reveals the injected target (CSS :target), which leads
    // to the preferences page.
    const target = page.locator('#cookie-settings a');
    expect(await target.isVisible()).toBe(false);
    await page.locator('footer a[href="#cookie-settings"]').click();
    await target.waitFor({ state: 'visible' });
    await target.click();
    await page.waitForURL(/\/__consent\/preferences\?return=%2Freports%3Fperiod%3Dweekly/);
    await page.getByRole('checkbox', { name: 'Functional cookies' }).check();
    await page.getByRole('button', { name: 'Save choices' }).click();
    await page.waitForURL(`${t.url}/reports?period=weekly`);
    const state = await (await context.request.get(`${t.url}/__consent`)).json();
    expect(state.categories).toEqual({ essential: true, functional: true, analytics: false, 'third-party': false });
  });

  it("the banner's Customize leads to the preferences page", async () => {
    const { page, context } = await t.page({ javaScriptEnabled: false });
    await page.goto(`${t.url}/`);
    await page.getByRole('link', { name: 'Customize' }).click();
    await page.waitForURL(/\/__consent\/preferences\?return=%2F$/);
    await page.getByRole('checkbox', { name: 'Analytics cookies' }).check();
    await page.getByRole('button', { name: 'Save choices' }).click();
    await page.waitForURL(`${t.url}/`);
    expect(await page.locator('#consent-edge').count()).toBe(0);
    expect((await (await context.request.get(`${t.url}/__consent`)).json()).categories.analytics).toBe(true);
  });
});

describe('keyboard only', () => {
  it('reaches the choices, opens the dialog, traps focus, closes on Escape and saves', async () => {
    const { page } = await t.page();
    await page.goto(`${t.url}/`);
    await page.waitForLoadState('load');
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    let steps = 0;
    while ((await focused()) !== 'Customize' && steps++ < 60) await page.keyboard.press('Tab');
    expect(await focused()).toBe('Customize');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Cookie settings' });
    await dialog.waitFor({ state: 'visible' });
    const inDialog = () => page.evaluate(() => !!document.activeElement?.closest('dialog'));
    expect(await inDialog()).toBe(true);
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      const where = await page.evaluate(() =>
        document.activeElement === document.body ? 'body' : document.activeElement?.closest('dialog') ? 'dialog' : 'page',
      );
      expect(where).not.toBe('page');
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focused()).toBe('Customize');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'visible' });
    steps = 0;
    while ((await page.evaluate(() => document.activeElement?.value)) !== 'analytics' && steps++ < 30) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Space');
    steps = 0;
    while ((await page.evaluate(() => document.activeElement?.value)) !== 'save' && steps++ < 30) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as unknown as { __gaRan?: boolean }).__gaRan);
    expect((await consentState(page)).categories).toMatchObject({ analytics: true, functional: false });
    expect(await page.locator('#consent-edge').count()).toBe(0);
  });
});

// The worker leaves Connection, Keep-Alive, TE, Trailer, Transfer-Encoding and Upgrade to the
// runtime's HTTP layer (src/proxy/headers.ts); this checks that claim on the wire, in workerd.
describe('hop-by-hop fields on the wire', () => {
  it("passes none of the origin's hop-by-hop response fields to the client", async () => {
    const { request } = await import('node:http');
    const names = await new Promise<string[]>((resolve, reject) => {
      request(`${t.url}/hop-by-hop`, (res) => {
        res.resume();
        resolve(res.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase()));
      })
        .on('error', reject)
        .end();
    });
    expect(names).toContain('x-end-to-end');
    for (const name of ['keep-alive', 'x-hop', 'proxy-connection', 'proxy-authenticate', 'te', 'trailer', 'upgrade']) {
      expect(names, name).not.toContain(name);
    }
  });
});
