/** What the in-page probe (bench/browser/page/probe.ts) hands back to the runner. */

export interface ProbeOptions {
  /** CSS selector of the tool's root element; `null` for the bare page. */
  selector: string | null;
}

export interface LongTask {
  start: number;
  duration: number;
}

/** Times are milliseconds since the navigation started (performance.now()). */
export interface ProbeReading {
  /** FCP as reported (presentation), and the end of that frame's rendering update (`paintTime`). */
  fcp: number | null;
  fcpPaint: number | null;
  /** The last LCP candidate: its time and what it was. */
  lcp: number | null;
  lcpElement: string | null;
  /** Layout shifts without recent input. */
  shifts: { start: number; value: number }[];
  longTasks: LongTask[];
  /**
   * The banner's first painted frame: its begin time, when the probe saw the banner in it (in its
   * requestAnimationFrame callback, before the frame's rendering update) and just after that
   * update (a posted message: an upper bound, late by whatever task ran first).
   */
  bannerFrame: number | null;
  bannerCheck: number | null;
  bannerPainted: number | null;
  /** The ends of rendering updates Chromium stamped: FCP's and each LCP candidate's `paintTime`. */
  paintTimes: number[];
  /** The same for the first frame in which it is painted with no animation or transition running (a fade-in over). */
  settledFrame: number | null;
  settledCheck: number | null;
  bannerSettled: number | null;
  /** When the load event's handlers had run, the document's first byte, and the time of reading. */
  loadEnd: number | null;
  ttfb: number | null;
  domContentLoaded: number | null;
  now: number;
}
