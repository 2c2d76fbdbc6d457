/**
 * One visit in real Chromium: a fresh browser context (a first-time, undecided visitor), 4× CPU
 * throttling, the probe as an init script, nothing off 127.0.0.1, then waiting until the page is
 * quiet and reading what the probe saw.
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Browser, Page, Response } from 'playwright-core';
import { ROOT } from '../cluster';
import type { ProbeOptions, ProbeReading } from './reading';

export const CPU_THROTTLING = 4;
export const VIEWPORT = { width: 1280, height: 800 };
/** Quiet: this long after the load event, the banner's paint and the last long task. */
export const QUIET_MS = 1000;
/** A visit that is not quiet by then is reported as such. */
const MAX_WAIT_MS = 20_000;
/**
 * The page's third-party hosts (the real Google tag, the product-tour embed): refused by the browser itself, so nothing
 * leaves the machine and no variant waits on a DNS lookup. Any other request off 127.0.0.1 fails
 * the run.
 */
const BLOCKED_URLS = ['*://www.googletagmanager.com/*', '*://www.google-analytics.com/*', '*://www.youtube-nocookie.com/*'];

let probeSource: Promise<string> | undefined;

/** The probe, bundled to one script for `addInitScript`. */
function probe(): Promise<string> {
  probeSource ??= build({
    entryPoints: [`${ROOT}bench/browser/page/probe.ts`],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    write: false,
  }).then((r) => r.outputFiles[0]?.text ?? '');
  return probeSource;
}

export interface Asset {
  path: string;
  kind: 'js' | 'css';
  bytes: number;
  gzipBytes: number;
}

export interface Visit {
  reading: ProbeReading;
  /** False when the page was still busy at the time limit. */
  quiet: boolean;
  /** The document as received (decoded), and every script and stylesheet loaded, when collected. */
  html?: string;
  assets?: Asset[];
  /** Flags the demo's Google tag stand-in and late tag set when they run. */
  ran: { ga: boolean; late: boolean };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const loopback = (url: string) => {
  const { protocol, hostname } = new URL(url);
  return !/^https?:$/.test(protocol) || hostname === '127.0.0.1';
};

async function read(page: Page): Promise<ProbeReading> {
  return (await page.evaluate('window.__probe.read()')) as ProbeReading;
}

function quietSince(r: ProbeReading): number | null {
  if (r.loadEnd === null) return null;
  let last = r.loadEnd;
  if (r.bannerPainted !== null) last = Math.max(last, r.bannerPainted);
  if (r.bannerSettled !== null) last = Math.max(last, r.bannerSettled);
  for (const t of r.longTasks) last = Math.max(last, t.start + t.duration);
  return last;
}

export async function visit(browser: Browser, url: string, selector: string | null, options: { collect?: boolean } = {}): Promise<Visit> {
  const context = await browser.newContext({ locale: 'en-US', viewport: VIEWPORT });
  try {
    const probeOptions: ProbeOptions = { selector };
    await context.addInitScript({ content: `window.__probeOptions=${JSON.stringify(probeOptions)};\n${await probe()}` });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setBlockedURLs', { urls: BLOCKED_URLS });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLING });

    const offHost: string[] = [];
    page.on('request', (req) => {
      if (
        !loopback(req.url()) &&
        !BLOCKED_URLS.some((p) => new RegExp(`^${p.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`).test(req.url()))
      )
        offHost.push(req.url());
    });
    const responses: Response[] = [];
    if (options.collect) page.on('response', (res) => responses.push(res));

    const document = await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
    if (!document?.ok()) throw new Error(`${url} answered ${document?.status()}`);
    const started = Date.now();
    let reading = await read(page);
    let quiet = false;
    while (Date.now() - started < MAX_WAIT_MS) {
      const since = quietSince(reading);
      const bannerDone = selector === null || reading.bannerSettled !== null;
      if (since !== null && bannerDone && reading.now - since >= QUIET_MS) {
        quiet = true;
        break;
      }
      await sleep(250);
      reading = await read(page);
    }
    if (offHost.length) throw new Error(`requests left 127.0.0.1: ${offHost.join(', ')}`);
    const ran = (await page.evaluate('({ ga: window.__gaRan === true, late: window.__lateTagRan === true })')) as Visit['ran'];

    if (!options.collect) return { reading, quiet, ran };
    const html = await document.text();
    const assets: Asset[] = [];
    for (const res of responses) {
      const type = res.request().resourceType();
      if (type !== 'script' && type !== 'stylesheet') continue;
      const body = await res.body();
      assets.push({
        path: new URL(res.url()).pathname,
        kind: type === 'script' ? 'js' : 'css',
        bytes: body.length,
        gzipBytes: gzipSync(body, { level: 9 }).length,
      });
    }
    return { reading, quiet, ran, html, assets };
  } finally {
    await context.close();
  }
}

/** Blocking time after FCP: each long task's part past both its first 50 ms and FCP. */
export function totalBlockingTime(r: ProbeReading): number {
  const fcp = r.fcp ?? 0;
  return r.longTasks.reduce((sum, t) => sum + Math.max(0, t.start + t.duration - Math.max(t.start + 50, fcp)), 0);
}

/** Cumulative layout shift: the largest session window (gaps under 1 s, at most 5 s long). */
export function cumulativeLayoutShift(r: ProbeReading): number {
  let best = 0;
  let sum = 0;
  let first = Number.NEGATIVE_INFINITY;
  let prev = Number.NEGATIVE_INFINITY;
  for (const s of [...r.shifts].sort((a, b) => a.start - b.start)) {
    if (s.start - prev > 1000 || s.start - first > 5000) {
      sum = 0;
      first = s.start;
    }
    sum += s.value;
    prev = s.start;
    best = Math.max(best, sum);
  }
  return best;
}

/**
 * When a frame the probe saw was painted: the rendering-update end Chromium stamped (FCP's or an
 * LCP candidate's `paintTime`) between the probe's check in that frame and its message after it,
 * or else the message (an upper bound). `exact` says which.
 */
export function framePaint(check: number | null, message: number | null, stamps: readonly number[]): { at: number; exact: boolean } | null {
  if (check === null || message === null) return null;
  const inFrame = stamps.filter((t) => t >= check && t <= message);
  return inFrame.length ? { at: Math.min(...inFrame), exact: true } : { at: message, exact: false };
}

/** The banner's first painted frame, and the first with its fade-in over (the same frame when nothing animates). */
export function bannerPaints(r: ProbeReading) {
  const painted = framePaint(r.bannerCheck, r.bannerPainted, r.paintTimes);
  const settled =
    r.settledFrame !== null && r.settledFrame === r.bannerFrame ? painted : framePaint(r.settledCheck, r.bannerSettled, r.paintTimes);
  return { painted, settled };
}
