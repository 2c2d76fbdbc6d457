/**
 * The worker and the page decide alike: the same policy and the same tags go to the worker's
 * classifier (what the HTML stream holds, which `Set-Cookie` passes) and to the real banner.js in
 * Chromium (what page code may insert, which `document.cookie`/`cookieStore` writes pass), for
 * every category, declared and undeclared cases, prefixes, chunks, marked tags and sources.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headMarkup } from '../../src/banner/markup';
import type { ConsentState } from '../../src/consent/state';
import { hold, type HoldableElement } from '../../src/core/hold';
import type { GatedKind } from '../../src/core/tags';
import { filterSetCookies } from '../../src/cookies/set-cookie';
import { type CompiledPolicy, compilePolicy } from '../../src/policy/compile';
import { deployedPolicy } from '../../src/policy/load';
import type { CategoryId, Policy } from '../../src/policy/schema';
import { consentState } from '../support/fixtures';
import { launchChromium } from '../support/chromium';

// The page.evaluate callbacks run in Chromium; this project's tsconfig has no DOM lib.
// biome-ignore lint/suspicious/noExplicitAny: browser globals, typed by the browser at run time
declare const window: any;
// biome-ignore lint/suspicious/noExplicitAny: as above
declare const document: any;

const SITE = 'https://parity.test';
const PAGE = `${SITE}/shop/page`;

const deployed = deployedPolicy();

/** The deployed policy with more kinds of pattern: nested prefixes, same-origin paths, iframes, an exact URL. */
function widened(undeclared: Policy['undeclared']): CompiledPolicy {
  const base = deployed.policy;
  const extra: Partial<Record<CategoryId, { scripts?: string[]; iframes?: string[] }>> = {
    functional: { scripts: ['/shop/track*', 'https://cdn.example.com/widgets/menu.js'], iframes: ['https://www.youtube.com/embed/*'] },
    analytics: { scripts: ['https://cdn.example.com/*'], iframes: ['/embed/*'] },
    'third-party': { scripts: ['https://cdn.example.com/pay/*'], iframes: ['https://checkout.razorpay.com/*'] },
  };
  const categories = base.categories.map((c) => ({
    ...c,
    scripts: [...c.scripts, ...(extra[c.id]?.scripts ?? [])],
    iframes: [...c.iframes, ...(extra[c.id]?.iframes ?? [])],
  }));
  return compilePolicy({ ...base, categories, undeclared });
}

interface Tag {
  kind: GatedKind;
  attrs: Record<string, string>;
}

const GTM = 'https://www.googletagmanager.com/gtag/js?id=G-1';
const TAGS: Tag[] = [
  ...[
    GTM,
    'https://www.google-analytics.com/analytics.js',
    'https://checkout.razorpay.com/v1/checkout.js',
    'https://cdn.example.com/lib.js',
    'https://cdn.example.com/pay/sdk.js',
    'https://cdn.example.com/widgets/menu.js',
    'https://cdn.example.com/widgets/menu.js?v=2',
    '/static/app.js',
    '/shop/track.js',
    'track.js',
    '../shop/tracker.js',
    `${SITE}/shop/track.js`,
    'https://elsewhere.test/shop/track.js',
    '//checkout.razorpay.com/v1/x.js',
    'HTTPS://WWW.GOOGLETAGMANAGER.COM/gtm.js',
    'https://www.googletagmanager.com.evil.test/x.js',
    '  https://www.googletagmanager.com/padded.js  ',
    'https://user@www.googletagmanager.com/x.js',
    'http://www.googletagmanager.com/x.js',
    'http://[bad',
    '',
  ].map((src): Tag => ({ kind: 'script', attrs: { src } })),
  { kind: 'script', attrs: { 'data-consent-category': 'analytics' } },
  { kind: 'script', attrs: { 'data-consent-category': ' functional ', src: '/static/app.js' } },
  { kind: 'script', attrs: { 'data-consent-category': 'marketing', src: GTM } },
  { kind: 'script', attrs: { 'data-consent-category': 'marketing' } },
  { kind: 'script', attrs: { 'data-consent-category': 'essential', src: GTM } },
  { kind: 'script', attrs: { type: 'module', src: GTM } },
  { kind: 'script', attrs: { type: ' TEXT/JavaScript ', src: GTM } },
  { kind: 'script', attrs: { type: 'application/x-javascript', src: GTM } },
  { kind: 'script', attrs: { type: 'text/plain', src: GTM } },
  { kind: 'script', attrs: { type: 'application/json', 'data-consent-category': 'analytics' } },
  { kind: 'script', attrs: { type: 'text/javascript1.6', src: GTM } },
  { kind: 'script', attrs: { type: 'importmap', 'data-consent-category': 'functional' } },
  ...[
    'https://www.youtube.com/embed/x',
    'https://www.youtube.com/watch?v=x',
    GTM,
    '/embed/widget',
    'embed/widget',
    'https://checkout.razorpay.com/frame',
    'about:blank',
  ].map((src): Tag => ({ kind: 'iframe', attrs: { src } })),
  { kind: 'iframe', attrs: { 'data-consent-category': 'third-party', src: 'https://example.org/' } },
  { kind: 'iframe', attrs: { 'data-consent-category': 'functional', type: 'text/plain' } },
  { kind: 'iframe', attrs: { 'data-consent-category': 'nope', src: '/embed/x' } },
];

const COOKIES = [
  '_ga=GA1.1.1.1; path=/; max-age=63072000',
  '_ga_XYZ123=GS1.1',
  '_gax=1',
  'sidebar-collapsed=1; path=/',
  'report-filters=%7B%7D',
  'next-auth.session-token=x',
  'next-auth.session-token.0=x',
  'next-auth.session-token.12=x',
  '__Secure-next-auth.session-token.1=x; Secure',
  '__Host-next-auth.csrf-token=x; Secure; Path=/',
  '__host-_ga=1',
  'next-auth.csrf-token.0=x',
  'authjs.session-token.3=x',
  'rzp_device_id=1',
  'rzp_=1',
  'ce_consent=v1',
  'tnc_experiment=1',
  '_ga',
  '=x',
  '  _ga  =1',
  '_ga=; max-age=0',
  '_ga=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/',
  '_ga=1; expires=Thu, 01 Jan 69 00:00:00 GMT',
  '_ga=1; expires=Fri, 01 Jan 2100 00:00:00 GMT',
  '_ga=1; max-age=0; max-age=60',
  '_ga=1; max-age=60; max-age=0',
  '_ga=1; max-age=0x',
  'tnc_experiment=; Max-Age=-1',
  'a=b\u0001',
  `${'x'.repeat(4097)}=1`,
];

/** cookieStore.set in both call forms: a name, or an options object (possibly expired). */
const STORE_WRITES: Array<[string | { name: string; value?: string; expires?: number }, string?]> = [
  ['_ga', '1'],
  ['sidebar-collapsed', '1'],
  ['tnc_experiment', '1'],
  ['next-auth.session-token.2', 'x'],
  [{ name: 'rzp_x', value: '1' }],
  [{ name: '_ga', value: '', expires: 0 }],
  [{ name: 'report-filters', value: '1', expires: Date.parse('2100-01-01') }],
];

const ALLOWED: CategoryId[][] = [[], ['functional'], ['analytics'], ['third-party'], ['functional', 'analytics', 'third-party']];

function stateFor(policy: CompiledPolicy, accepted: CategoryId[]): ConsentState {
  const categories: ConsentState['categories'] = {};
  for (const id of policy.ids) categories[id] = id === policy.required || accepted.includes(id);
  return consentState({ decided: accepted.length > 0, categories });
}

/** An element as plain data, for the worker's side of the comparison. */
function attributes(initial: Record<string, string>): HoldableElement & { list(): string[] } {
  const map = new Map(Object.entries(initial));
  return {
    getAttribute: (name) => map.get(name) ?? null,
    setAttribute: (name, value) => map.set(name, value),
    removeAttribute: (name) => map.delete(name),
    list: () => [...map].map(([k, v]) => `${k}=${v}`).sort(),
  };
}

/** What the worker does with each tag in the stream: its attributes after the HTML pass. */
function workerTags(policy: CompiledPolicy, allowed: ReadonlySet<CategoryId>, page: URL): string[][] {
  return TAGS.map(({ kind, attrs }) => {
    const element = attributes(attrs);
    const category = policy.classifyTag(
      kind,
      { category: attrs['data-consent-category'] ?? null, src: attrs.src ?? null, type: attrs.type ?? null },
      page,
    );
    if (category && policy.refuses(category, allowed)) hold(element, kind, category);
    return element.list();
  });
}

/** Which writes the worker's Set-Cookie filter lets through. */
function workerCookies(policy: CompiledPolicy, allowed: ReadonlySet<CategoryId>): boolean[] {
  return COOKIES.map((line) => filterSetCookies([line], allowed, policy, Date.now()).pass.length === 1);
}

function workerStore(policy: CompiledPolicy, allowed: ReadonlySet<CategoryId>): boolean[] {
  return STORE_WRITES.map(([a]) => {
    const o = typeof a === 'object' ? a : { name: a };
    const past = 'expires' in o && o.expires !== undefined && o.expires <= Date.now();
    return filterSetCookies([`${o.name}=${past ? '; max-age=0' : ''}`], allowed, policy, Date.now()).pass.length === 1;
  });
}

interface PageVerdicts {
  inserted: string[][];
  assigned: string[][];
  cookies: boolean[];
  store: boolean[];
}

/**
 * Loads a page the worker would have served for this policy and visitor (its head markup, the
 * built banner.js), with recorders installed under banner.js: what reaches the native cookie
 * setter and `cookieStore.set` is what banner.js let through.
 */
async function pageVerdicts(browser: Browser, policy: CompiledPolicy, state: ConsentState): Promise<PageVerdicts> {
  const context = await browser.newContext();
  try {
    const page: Page = await context.newPage();
    const recorder = `<script>(function(){var d=Object.getOwnPropertyDescriptor(Document.prototype,'cookie');window.__cookies=[];Object.defineProperty(Document.prototype,'cookie',{configurable:true,get:d.get,set:function(v){window.__cookies.push(String(v))}});window.__store=[];if(window.cookieStore){window.cookieStore.set=function(a,b){window.__store.push([a,b]);return Promise.resolve()}}})()</script>`;
    const html = `<!doctype html><html><head>${recorder}${headMarkup({ policy, consent: state, locale: 'en' })}</head><body></body></html>`;
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url === PAGE) return route.fulfill({ contentType: 'text/html; charset=utf-8', body: html });
      if (url.startsWith(`${SITE}/__consent/banner.js`))
        return route.fulfill({ contentType: 'text/javascript', body: policy.assets.js('en') });
      if (url.startsWith(`${SITE}/__consent/banner.css`)) return route.fulfill({ contentType: 'text/css', body: policy.assets.css });
      return route.fulfill({ status: 204, body: '' });
    });
    await page.goto(PAGE);
    expect(await page.evaluate(() => typeof window.ConsentEdge?.get)).toBe('function');
    return await page.evaluate(
      ({ tags, cookies, store }) => {
        const list = (el: { attributes: Iterable<{ name: string; value: string }> }) =>
          [...el.attributes].map((a) => `${a.name}=${a.value}`).sort();
        // Page code inserting a tag with its attributes already set.
        const inserted = tags.map(({ kind, attrs }: { kind: string; attrs: Record<string, string> }) => {
          const el = document.createElement(kind);
          for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
          document.head.appendChild(el);
          return list(el);
        });
        // Page code giving a connected tag its source afterwards (next/script, GTM).
        const assigned = tags
          .filter(({ attrs }: { attrs: Record<string, string> }) => 'src' in attrs)
          .map(({ kind, attrs }: { kind: string; attrs: Record<string, string> }) => {
            const el = document.createElement(kind);
            for (const [name, value] of Object.entries(attrs)) if (name !== 'src') el.setAttribute(name, value);
            document.body.appendChild(el);
            el.src = attrs.src;
            return list(el);
          });
        for (const line of cookies) document.cookie = line;
        const passed = new Set(window.__cookies);
        for (const [a, b] of store) window.cookieStore.set(a, b);
        const stored = window.__store.map((write: unknown[]) => JSON.stringify(write[0]));
        return {
          inserted,
          assigned,
          cookies: cookies.map((line: string) => passed.has(line)),
          store: store.map((write: unknown[]) => stored.includes(JSON.stringify(write[0]))),
        };
      },
      { tags: TAGS, cookies: COOKIES, store: STORE_WRITES },
    );
  } finally {
    await context.close();
  }
}

let browser: Browser | undefined;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const POLICIES: Array<[string, CompiledPolicy]> = [
  ['the deployed policy', deployed],
  ['a policy with more patterns, undeclared cookies blocked', widened('block')],
  ['a policy with more patterns, undeclared cookies allowed', widened('allow')],
];

describe('the worker and banner.js decide alike', () => {
  for (const [name, policy] of POLICIES) {
    for (const accepted of ALLOWED) {
      it(`${name}, allowing ${['essential', ...accepted].join(' + ')}`, async () => {
        if (!browser) throw new Error('no browser');
        const state = stateFor(policy, accepted);
        const allowed = new Set<CategoryId>(['essential', ...accepted]);
        const inPage = await pageVerdicts(browser, policy, state);
        const page = new URL(PAGE);
        const stream = workerTags(policy, allowed, page);
        const label = (i: number) => JSON.stringify(TAGS[i]);
        // A tag held in the stream is held in the page, under the same category, in the same form.
        for (const [i, expected] of stream.entries()) expect(inPage.inserted[i], label(i)).toEqual(expected);
        // A source assigned later is held like one the stream saw (the held form keeps it aside).
        const withSrc = TAGS.map((t, i) => [t, i] as const).filter(([t]) => 'src' in t.attrs);
        for (const [j, [tag, i]] of withSrc.entries()) {
          const held = (stream[i] ?? []).some((a) => a.startsWith('data-consent-src='));
          expect(
            (inPage.assigned[j] ?? []).some((a) => a.startsWith('data-consent-src=')),
            `src assigned: ${JSON.stringify(tag)}`,
          ).toBe(held);
        }
        const cookies = workerCookies(policy, allowed);
        for (const [i, line] of COOKIES.entries()) expect(inPage.cookies[i], `document.cookie = ${JSON.stringify(line)}`).toBe(cookies[i]);
        const store = workerStore(policy, allowed);
        for (const [i, write] of STORE_WRITES.entries()) expect(inPage.store[i], `cookieStore.set ${JSON.stringify(write)}`).toBe(store[i]);
      });
    }
  }

  it('covers every category, held and not, and cookies passed and dropped', () => {
    const policy = widened('block');
    const page = new URL(PAGE);
    const held = new Set<string>();
    for (const tag of TAGS) {
      const category = policy.classifyTag(
        tag.kind,
        { category: tag.attrs['data-consent-category'] ?? null, src: tag.attrs.src ?? null, type: tag.attrs.type ?? null },
        page,
      );
      if (category) held.add(`${tag.kind}:${category}`);
    }
    for (const id of policy.ids) expect(held.has(`script:${id}`) || id === 'essential', id).toBe(true);
    expect(held.has('iframe:functional') && held.has('iframe:analytics') && held.has('iframe:third-party')).toBe(true);
    const verdicts = workerCookies(policy, new Set(['essential']));
    expect(verdicts.includes(true) && verdicts.includes(false)).toBe(true);
  });
});
