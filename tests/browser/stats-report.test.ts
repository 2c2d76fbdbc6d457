/**
 * The consent:stats report in real Chromium, at a desktop width and a phone's: nothing wider than
 * the screen, every chart drawn at a usable size, no label smaller than 12 px.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregate, parseCells } from '../../tools/stats/aggregate';
import { renderReport } from '../../tools/stats/report';
import { launchChromium } from '../support/chromium';

/** Sixty days of grouped counts over two revisions, two locales and every surface. */
function rows() {
  const out: Record<string, unknown>[] = [];
  const surfaces = ['banner', 'dialog', 'page', 'placeholder', 'api', null];
  for (let d = 0; d < 60; d++) {
    const day = new Date(Date.UTC(2026, 3, 1 + d)).toISOString().slice(0, 10);
    const revision = d < 30 ? 1 : 2;
    surfaces.forEach((surface, i) => {
      out.push({
        day,
        action: ['accept-all', 'reject-all', 'save', 'contextual', 'withdraw'][(d + i) % 5],
        revision,
        policy_hash: String(revision).repeat(64),
        locale: i % 3 === 0 ? 'hi' : 'en',
        regime: i === 4 ? 'opt-out' : 'opt-in',
        surface,
        gpc: i === 2 ? 1 : 0,
        accepted: i % 2 ? '["essential","functional"]' : '["essential","functional","analytics","third-party"]',
        n: 20 + ((d * 7 + i * 13) % 90),
      });
    });
  }
  return out;
}

interface Layout {
  scrollWidth: number;
  charts: number;
  narrowest: number;
  lowest: number;
  timeChart: number;
  smallestText: number;
}

/** Runs in the page (a string: the project's types have no DOM). */
const MEASURE = `(() => {
  const charts = [...document.querySelectorAll('svg')].map((svg) => svg.getBoundingClientRect());
  const texts = [...document.querySelectorAll('p, li, span, summary, h1, h2')]
    .filter((el) => el.textContent.trim())
    .map((el) => Number.parseFloat(getComputedStyle(el).fontSize));
  return {
    scrollWidth: document.documentElement.scrollWidth,
    charts: charts.length,
    narrowest: Math.min(...charts.map((r) => r.width)),
    lowest: Math.min(...charts.map((r) => r.height)),
    timeChart: document.querySelector('.time svg')?.getBoundingClientRect().height ?? 0,
    smallestText: Math.min(...texts),
  };
})()`;

let browser: Browser;
let dir = '';
let file = '';

beforeAll(async () => {
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'ce-stats-report-'));
  file = join(dir, 'report.html');
  const stats = aggregate(parseCells(rows()).cells, { from: '2026-04-01', to: '2026-05-30' });
  writeFileSync(file, renderReport(stats, { where: 'local', generatedAt: new Date('2026-05-31T06:00:00Z') }));
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the consent:stats report', () => {
  for (const width of [1280, 375]) {
    it(`is readable at ${width} px: no sideways scrolling, charts drawn, text at least 12 px`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      try {
        await page.goto(`file://${file}`);
        const layout = (await page.evaluate(MEASURE)) as Layout;
        expect(layout.scrollWidth).toBeLessThanOrEqual(width);
        expect(layout.charts).toBeGreaterThanOrEqual(12);
        expect(layout.narrowest).toBeGreaterThan(width > 400 ? 400 : 150);
        expect(layout.lowest).toBeGreaterThanOrEqual(14);
        expect(layout.timeChart).toBeGreaterThanOrEqual(200);
        expect(layout.smallestText).toBeGreaterThanOrEqual(12);
      } finally {
        await page.close();
      }
    });
  }
});
