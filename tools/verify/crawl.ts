/**
 * Crawls a site in headless Chromium as one visitor: makes the visitor's choice on the real
 * banner (clicks, never a forged cookie), then visits same-origin pages breadth first, following
 * links by clicking them where the current page has one (so client-side routers navigate as they
 * would for a person) and loading them otherwise. Records every cookie in the jar (HttpOnly and
 * other domains included, through CDP) and every request the pages make, with its initiator.
 */
import type { Browser, BrowserContext, CDPSession, Page, Request } from 'playwright-core';
import { type CategoryId, isCategoryId } from '../../src/policy/schema';
import type { Initiator, SeenCookie, SeenRequest, Violation } from './judge';
import type { VisitorState } from './states';

export interface CrawlOptions {
  pages: number;
  /** Milliseconds for one navigation; also bounds waiting for the network to go quiet. */
  timeout: number;
  /** The worker's path prefix: never crawled (its forms are the banner's own). */
  prefix: string;
  progress(line: string): void;
}

export interface CrawledPage {
  url: string;
  /** How the crawler got there: `load` (typed into the address bar) or `click` (a link). */
  via: 'load' | 'click';
  status: number | null;
}

export interface CrawlResult {
  pages: CrawledPage[];
  cookies: SeenCookie[];
  requests: SeenRequest[];
  /** What the site says is allowed after the choice (`GET <prefix>`), if it answers. */
  reported: CategoryId[] | null;
  /** Problems making the choice: no banner, a decision that did not stick. */
  problems: Violation[];
}

const SKIP_EXTENSIONS = /\.(pdf|zip|gz|tgz|png|jpe?g|gif|webp|svg|ico|mp4|mp3|woff2?|css|js|json|xml|txt)$/i;

/** The page URL without its fragment, or null when it is not a same-origin http(s) page to crawl. */
export function crawlable(site: URL, href: string, prefix: string): string | null {
  let url: URL;
  try {
    url = new URL(href, site);
  } catch {
    return null;
  }
  if (url.origin !== site.origin || (url.protocol !== 'http:' && url.protocol !== 'https:')) return null;
  if (url.pathname === prefix || url.pathname.startsWith(`${prefix}/`) || SKIP_EXTENSIONS.test(url.pathname)) return null;
  url.hash = '';
  return url.href;
}

/** Names a request's initiator the way the report does, from CDP's description of it. */
export function initiatorOf(
  resourceType: string,
  isLinkPreload: boolean,
  initiatorType: string | undefined,
  isSubframe: boolean,
): Initiator {
  if (isLinkPreload || initiatorType === 'preload') return 'preload';
  if (resourceType === 'Ping') return 'beacon';
  if (resourceType === 'Document' && isSubframe) return 'iframe';
  if (resourceType === 'Image') return 'image';
  if (resourceType === 'Fetch' || resourceType === 'XHR' || resourceType === 'EventSource' || resourceType === 'WebSocket') return 'fetch';
  if (initiatorType === 'parser') return 'parser';
  if (initiatorType === 'script') return 'script';
  return 'other';
}

interface CdpRequestWillBeSent {
  request: { url: string; isLinkPreload?: boolean };
  type?: string;
  frameId?: string;
  initiator: { type: string; url?: string; stack?: { callFrames: { url: string }[] } };
}

/** Records every request of the context: CDP on each page for the initiator, Playwright for frames CDP does not see. */
async function recordRequests(context: BrowserContext, currentPage: () => string, requests: SeenRequest[]) {
  const detail = new Map<string, { initiator: Initiator; cause?: string }>();
  const mainFrames = new Set<string>();
  const attach = async (page: Page) => {
    const cdp: CDPSession = await context.newCDPSession(page);
    const tree = (await cdp.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
    mainFrames.add(tree.frameTree.frame.id);
    cdp.on('Network.requestWillBeSent', (event: CdpRequestWillBeSent) => {
      const isSubframe = event.type === 'Document' && !!event.frameId && !mainFrames.has(event.frameId);
      const cause = event.initiator.url ?? event.initiator.stack?.callFrames.find((f) => f.url)?.url;
      detail.set(event.request.url, {
        initiator: initiatorOf(event.type ?? 'Other', !!event.request.isLinkPreload, event.initiator.type, isSubframe),
        ...(cause ? { cause } : {}),
      });
    });
    await cdp.send('Network.enable');
  };
  context.on('page', (page) => void attach(page));
  // Playwright may report a request before CDP does: the initiator is filled in when the page settles.
  const pending: { entry: SeenRequest; fallback: Initiator }[] = [];
  context.on('request', (request: Request) => {
    if (request.isNavigationRequest() && request.frame() === request.frame().page().mainFrame()) return;
    const fallback: Initiator = request.resourceType() === 'document' ? 'iframe' : request.resourceType() === 'image' ? 'image' : 'other';
    const entry: SeenRequest = { url: request.url(), page: currentPage(), initiator: fallback };
    requests.push(entry);
    pending.push({ entry, fallback });
  });
  const resolve = () => {
    for (const { entry, fallback } of pending.splice(0)) {
      const known = detail.get(entry.url);
      entry.initiator = known?.initiator ?? fallback;
      if (known?.cause) entry.cause = known.cause;
    }
  };
  return { attach, resolve };
}

/** Every cookie in the browser, whatever its domain, HttpOnly included. */
async function jar(cdp: CDPSession): Promise<{ name: string; domain: string; httpOnly: boolean }[]> {
  // The page's own session: it sees the jar of this browser context, every domain included.
  const { cookies } = (await cdp.send('Network.getAllCookies')) as { cookies: { name: string; domain: string; httpOnly: boolean }[] };
  return cookies;
}

async function settle(page: Page, timeout: number) {
  await page.waitForLoadState('load', { timeout }).catch(() => {});
  await page.waitForLoadState('networkidle', { timeout: Math.min(timeout, 10_000) }).catch(() => {});
  await page.waitForTimeout(300); // tags loaded on idle (lazyOnload) start now
}

/** Makes the visitor's choice on the banner, as a person would; a problem if it cannot. */
async function decide(page: Page, state: VisitorState, timeout: number): Promise<string | null> {
  const { decision } = state;
  if (decision.action === 'none') return null;
  const banner = page.locator('#consent-edge');
  if (!(await banner.isVisible().catch(() => false))) return `no consent banner: could not choose "${state.label}"`;
  if (decision.action === 'save') {
    await banner.locator('a#cookie-settings, [data-consent-open]').first().click({ timeout });
    const dialog = page.locator('dialog[open]');
    const opened = await dialog
      .waitFor({ state: 'visible', timeout })
      .then(() => true)
      .catch(() => false);
    if (!opened) return "the banner's Customize opened no preferences dialog";
    for (const box of await dialog.locator('input[name=category]:not([disabled])').all()) {
      const value = await box.getAttribute('value');
      await box.setChecked(decision.categories.some((c) => c === value));
    }
    await dialog.locator('button[name=action][value=save]').click({ timeout });
  } else {
    await banner.locator(`button[name=action][value=${decision.action}]`).click({ timeout });
  }
  await page.waitForLoadState('load', { timeout }).catch(() => {});
  await page.waitForTimeout(500);
  return null;
}

/** Crawls the site as the visitor in `state`, in a fresh context of `browser`. */
export async function crawl(browser: Browser, site: URL, state: VisitorState, options: CrawlOptions): Promise<CrawlResult> {
  const context = await browser.newContext();
  const result: CrawlResult = { pages: [], cookies: [], requests: [], reported: null, problems: [] };
  let current = site.href;
  try {
    const { attach, resolve } = await recordRequests(context, () => current, result.requests);
    const page = await context.newPage();
    await attach(page);
    const cdp = await context.newCDPSession(page);
    const seenCookies = new Set<string>();
    const snapshot = async () => {
      resolve();
      for (const c of await jar(cdp)) {
        const key = `${c.name} ${c.domain}`;
        if (seenCookies.has(key)) continue;
        seenCookies.add(key);
        result.cookies.push({ name: c.name, domain: c.domain, httpOnly: c.httpOnly, page: current });
      }
    };

    const queue: string[] = [site.href];
    const queued = new Set(queue);
    for (let index = 0; index < queue.length && result.pages.length < options.pages; index++) {
      const target = queue[index] ?? site.href;
      current = target;
      options.progress(`${state.id}: page ${result.pages.length + 1}/${Math.min(options.pages, queue.length)} ${target}`);
      let via: CrawledPage['via'] = 'load';
      let status: number | null = null;
      const link = index === 0 ? null : page.locator(`a[href="${new URL(target).pathname}${new URL(target).search}"]:visible`).first();
      if (link && (await link.count()) > 0) {
        via = 'click';
        await link.click({ timeout: options.timeout }).catch(() => (via = 'load'));
        await page.waitForURL(target, { timeout: options.timeout }).catch(() => (via = 'load'));
      }
      if (via === 'load') {
        const response = await page.goto(target, { timeout: options.timeout, waitUntil: 'domcontentloaded' }).catch(() => null);
        status = response?.status() ?? null;
      }
      await settle(page, options.timeout);
      result.pages.push({ url: target, via, status });
      if (index === 0) {
        const problem = await decide(page, state, options.timeout).catch(
          (error: Error) => `could not choose "${state.label}": ${error.message}`,
        );
        if (problem) result.problems.push({ kind: 'decision', page: target, message: problem });
        await settle(page, options.timeout);
        result.reported = await reportedState(context, site, options.prefix);
      }
      await snapshot();
      for (const href of await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) {
        const next = crawlable(site, href, options.prefix);
        if (next && !queued.has(next)) {
          queued.add(next);
          queue.push(next);
        }
      }
    }
    await snapshot();
  } finally {
    await context.close();
  }
  return result;
}

/** The categories the site says are allowed, from its consent endpoint; null without one. */
async function reportedState(context: BrowserContext, site: URL, prefix: string): Promise<CategoryId[] | null> {
  try {
    const response = await context.request.get(new URL(prefix, site).href, { timeout: 10_000 });
    if (!response.ok()) return null;
    const body = (await response.json()) as { categories?: Record<string, boolean> };
    if (!body.categories) return null;
    return Object.entries(body.categories).flatMap(([id, on]) => (on && isCategoryId(id) ? [id] : []));
  } catch {
    return null;
  }
}
