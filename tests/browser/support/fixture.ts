/**
 * One stack and one browser per test file: `const t = stackHarness()` registers the hooks; each test
 * opens its own context (fresh cookies) with `t.page()`.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { deployedPolicy } from '../../../src/policy/load';
import { launchChromium } from '../../support/chromium';
import { type Stack, type StackOptions, startStack } from './stack';

export interface Harness {
  readonly url: string;
  /** The origin's own URL, bypassing the worker. */
  readonly originUrl: string;
  /** wrangler's local state directory (the consent log's D1). */
  readonly persist: string;
  /** A new page in a new context (own cookie jar). */
  page(options?: BrowserContextOptions): Promise<{ page: Page; context: BrowserContext }>;
}

export function stackHarness(origin?: Parameters<typeof startStack>[0], options?: StackOptions): Harness {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(origin, options), launchChromium()]);
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  return {
    get url() {
      if (!stack) throw new Error('stack not started');
      return stack.url;
    },
    get originUrl() {
      if (!stack) throw new Error('stack not started');
      return stack.originUrl;
    },
    get persist() {
      if (!stack) throw new Error('stack not started');
      return stack.persist;
    },
    async page(options = {}) {
      if (!browser) throw new Error('browser not started');
      const context = await browser.newContext({ locale: 'en-US', ...options });
      contexts.push(context);
      return { page: await context.newPage(), context };
    },
  };
}

const policy = deployedPolicy();

// Evaluated in Chromium; the project's tsconfig has no DOM lib.
// biome-ignore lint/suspicious/noExplicitAny: browser global
declare const window: any;

/** Cookie names in the browser that are not essential (the consent cookie is essential). */
export async function nonEssentialCookies(context: BrowserContext): Promise<string[]> {
  return (await context.cookies()).map((c) => c.name).filter((name) => policy.classifyCookie(name)?.category !== 'essential');
}

/** The flags the demo's GA, late-tag and Razorpay stand-ins set when they execute. */
export function ranFlags(page: Page) {
  return page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return { ga: w.__gaRan, late: w.__lateTagRan, razorpay: w.__razorpayRan };
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
