/**
 * Runs in the page before any of its own scripts (an init script, bundled by bench/browser/run.ts):
 * records paint timing, LCP, layout shifts and long tasks, and the frame in which the consent
 * tool's banner is first painted. The runner reads `window.__probe.read()` once the page is quiet.
 *
 * "Painted" is the first animation frame in which the tool's root element is in the DOM, visible
 * (`checkVisibility` with opacity and visibility, ancestors included) and has a non-empty box
 * (itself, or one of its visible descendants: some roots are zero-size fixed wrappers). The check
 * runs in a requestAnimationFrame loop, so it sees the DOM the frame is about to paint; the time
 * taken is just after that frame's rendering update (a message posted from the rAF callback is
 * delivered after it). That is the moment Chromium stamps as a paint entry's `paintTime`; the
 * frame reaches the screen later (`startTime`, the presentation), for the banner as for FCP.
 */

import type { ProbeOptions, ProbeReading } from '../reading';

interface ProbeWindow extends Window {
  __probeOptions?: ProbeOptions;
  __probe?: { read(): ProbeReading };
}

interface LayoutShiftEntry extends PerformanceEntry {
  value: number;
  hadRecentInput: boolean;
}

/** Chromium's paint timing: `startTime` is when the frame was presented, `paintTime` when its rendering update ended. */
interface PaintEntry extends PerformanceEntry {
  paintTime?: number;
}

interface LcpEntry extends PerformanceEntry {
  paintTime?: number;
  renderTime: number;
  loadTime: number;
  element: Element | null;
}

const w = window as ProbeWindow;
const selector = w.__probeOptions?.selector ?? null;

const reading: ProbeReading = {
  fcp: null,
  fcpPaint: null,
  lcp: null,
  lcpElement: null,
  shifts: [],
  longTasks: [],
  bannerFrame: null,
  paintTimes: [],
  bannerCheck: null,
  bannerPainted: null,
  settledFrame: null,
  settledCheck: null,
  bannerSettled: null,
  loadEnd: null,
  ttfb: null,
  domContentLoaded: null,
  now: 0,
};

function describe(el: Element | null): string | null {
  if (!el) return null;
  const id = el.id ? `#${el.id}` : '';
  const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
  const text = (el.textContent ?? '').trim().slice(0, 40);
  return `${el.tagName.toLowerCase()}${id}${cls}${text ? ` "${text}"` : ''}`;
}

function observe(type: string, handle: (entries: PerformanceEntryList) => void): void {
  try {
    new PerformanceObserver((list) => handle(list.getEntries())).observe({ type, buffered: true });
  } catch {
    // Not supported: the reading stays empty and the runner reports it.
  }
}

observe('paint', (entries) => {
  for (const e of entries as PaintEntry[]) {
    if (e.name !== 'first-contentful-paint') continue;
    reading.fcp = e.startTime;
    reading.fcpPaint = e.paintTime ?? e.startTime;
    if (e.paintTime !== undefined) reading.paintTimes.push(e.paintTime);
  }
});
observe('largest-contentful-paint', (entries) => {
  for (const e of entries as LcpEntry[]) {
    reading.lcp = e.startTime;
    reading.lcpElement = describe(e.element);
    if (e.paintTime !== undefined) reading.paintTimes.push(e.paintTime);
  }
});
observe('layout-shift', (entries) => {
  for (const e of entries as LayoutShiftEntry[]) if (!e.hadRecentInput) reading.shifts.push({ start: e.startTime, value: e.value });
});
observe('longtask', (entries) => {
  for (const e of entries) reading.longTasks.push({ start: e.startTime, duration: e.duration });
});

addEventListener('load', () => {
  // After the load handlers have run.
  setTimeout(() => {
    reading.loadEnd = performance.now();
  }, 0);
});

const VISIBLE: CheckVisibilityOptions = { opacityProperty: true, visibilityProperty: true };

function hasBox(el: Element): boolean {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0;
}

/** In the DOM, visible, and a non-empty box of its own or of a visible descendant. */
function painted(root: Element): boolean {
  if (!root.checkVisibility(VISIBLE)) return false;
  if (hasBox(root)) return true;
  for (const el of root.querySelectorAll('*')) if (hasBox(el) && el.checkVisibility(VISIBLE)) return true;
  return false;
}

/** Painted, and no animation or transition running on it or inside it (a fade-in has ended). */
function settled(root: Element): boolean {
  return painted(root) && root.getAnimations({ subtree: true }).every((a) => a.playState !== 'running');
}

/** Stamps `set` just after the current frame's rendering update. */
function afterFrame(set: (t: number) => void): void {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    set(performance.now());
    channel.port1.close();
  };
  channel.port2.postMessage(0);
}

if (selector) {
  const frame = (start: number) => {
    const root = document.querySelector(selector);
    if (root && reading.bannerFrame === null && painted(root)) {
      reading.bannerFrame = start;
      reading.bannerCheck = performance.now();
      afterFrame((t) => {
        reading.bannerPainted = t;
      });
    }
    if (root && reading.bannerFrame !== null && settled(root)) {
      reading.settledFrame = start;
      reading.settledCheck = performance.now();
      afterFrame((t) => {
        reading.bannerSettled = t;
      });
      return;
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

w.__probe = {
  read: () => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return {
      ...reading,
      shifts: [...reading.shifts],
      paintTimes: [...reading.paintTimes],
      longTasks: [...reading.longTasks],
      ttfb: nav?.responseStart ?? null,
      domContentLoaded: nav?.domContentLoadedEventEnd || null,
      now: performance.now(),
    };
  },
};
