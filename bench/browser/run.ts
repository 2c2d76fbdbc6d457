/**
 * `npm run bench:browser [-- --quick] [-- --runs N] [-- --no-write]`: what a first-time visitor
 * sees, in real Chromium with 4× CPU throttling, on the demo dashboard served four ways: through
 * Consent Edge (its real bundle in workerd, in front of the demo origin), with vanilla-cookieconsent,
 * with klaro, and bare (those three from bench/browser/server.ts). All on 127.0.0.1.
 *
 * Every round visits every variant once, the order rotating, each in a fresh browser context.
 * Prints the table; the full run writes bench/results/browser.json, docs/benchmarks-browser.svg
 * and its section of docs/benchmarks.md.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { launchChromium } from '../../tests/support/chromium';
import { median } from '../classify';
import { buildConsentEdge, ROOT, startOriginProcess, startWorkers } from '../cluster';
import { packageVersion } from '../sizes';
import {
  type Asset,
  bannerPaints,
  CPU_THROTTLING,
  cumulativeLayoutShift,
  QUIET_MS,
  totalBlockingTime,
  VIEWPORT,
  type Visit,
  visit,
} from './measure';
import {
  type BrowserResults,
  browserChartSvg,
  browserTable,
  type RunSample,
  replaceBrowserSection,
  type Stat,
  type VariantResult,
} from './report';
import { startStaticServer } from './server';
import { barePage, VARIANT_IDS, VARIANTS, type VariantId } from './variants';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const runsArg = argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(argv[runsArg + 1]) : quick ? 3 : 9;
const write = argv.includes('--write') || (!quick && !argv.includes('--no-write'));
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number of runs');

const RESULTS = join(ROOT, 'bench/results/browser.json');
const CHART = join(ROOT, 'docs/benchmarks-browser.svg');
const DOCS = join(ROOT, 'docs/benchmarks.md');

const log = (text: string) => process.stderr.write(`${text}\n`);
const stat = (values: number[]): Stat => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

function sum(assets: Asset[], kind: Asset['kind']) {
  const mine = assets.filter((a) => a.kind === kind);
  return { bytes: mine.reduce((n, a) => n + a.bytes, 0), gzipBytes: mine.reduce((n, a) => n + a.gzipBytes, 0) };
}

async function main() {
  const started = Date.now();
  const loadBefore = load();
  log(`bench:browser: ${runs} run(s) per variant; building Consent Edge with wrangler deploy --dry-run`);
  const [origin, build, statics, browser] = await Promise.all([
    startOriginProcess(),
    buildConsentEdge(),
    startStaticServer(),
    launchChromium(),
  ]);
  const workers = await startWorkers(origin.url, build, 'bench-consent-secret');
  try {
    // The same page everywhere: what the bench server serves bare is the demo origin's own `/`.
    const originPage = await (await fetch(`${origin.url}/`, { headers: { accept: 'text/html' } })).text();
    if (originPage !== barePage()) throw new Error("the bench server's bare page differs from the demo origin's /");
    const urls: Record<VariantId, string> = {
      'consent-edge': `${workers.urls.ce}/`,
      'vanilla-cookieconsent': statics.pageUrl('vanilla-cookieconsent'),
      klaro: statics.pageUrl('klaro'),
      none: statics.pageUrl('none'),
    };

    // One untimed visit each: checks that each tool shows its banner and holds the Google tag,
    // and collects the document and the assets (also warms up the worker and the servers).
    const inspected = new Map<VariantId, Visit>();
    for (const id of VARIANT_IDS) {
      const v = await visit(browser, urls[id], VARIANTS[id].selector, { collect: true });
      if (VARIANTS[id].selector && v.reading.bannerPainted === null) throw new Error(`${id}: the banner was never painted`);
      if (v.ran.ga !== (id === 'none')) throw new Error(`${id}: the Google tag stand-in ${v.ran.ga ? 'ran' : 'did not run'}`);
      inspected.set(id, v);
      log(`  checked ${id}: banner ${v.reading.bannerPainted === null ? 'none' : `${Math.round(v.reading.bannerPainted)} ms`}`);
    }
    const bare = inspected.get('none');
    const bareAssets = new Set((bare?.assets ?? []).map((a) => a.path));
    const bareHtml = Buffer.byteLength(bare?.html ?? '');

    const samples: RunSample[] = [];
    for (let round = 0; round < runs; round++) {
      const order = VARIANT_IDS.map((_, k) => VARIANT_IDS[(k + round) % VARIANT_IDS.length] as VariantId);
      for (const id of order) {
        const { reading, quiet } = await visit(browser, urls[id], VARIANTS[id].selector);
        const fcp = reading.fcp ?? Number.NaN;
        // The banner's time and FCP's paintTime are the same moment of a frame: its rendering update's end.
        const fcpPaint = reading.fcpPaint ?? Number.NaN;
        const { painted, settled } = bannerPaints(reading);
        const sample: RunSample = {
          round: round + 1,
          variant: id,
          bannerAfterFcp: painted === null ? null : painted.at - fcpPaint,
          bannerExact: painted?.exact ?? null,
          bannerUpperAfterFcp: reading.bannerPainted === null ? null : reading.bannerPainted - fcpPaint,
          bannerAt: painted?.at ?? null,
          bannerShownAfterFcp: settled === null ? null : settled.at - fcpPaint,
          domContentLoaded: reading.domContentLoaded ?? Number.NaN,
          ttfb: reading.ttfb ?? Number.NaN,
          fcp,
          fcpPaint,
          lcp: reading.lcp ?? Number.NaN,
          lcpElement: reading.lcpElement,
          cls: cumulativeLayoutShift(reading),
          tbt: totalBlockingTime(reading),
          longTasks: reading.longTasks.length,
          loadEnd: reading.loadEnd ?? Number.NaN,
          quiet,
        };
        samples.push(sample);
        const banner = sample.bannerAfterFcp === null ? '     —' : sample.bannerAfterFcp.toFixed(0).padStart(6);
        const shown = sample.bannerShownAfterFcp === null ? '     —' : sample.bannerShownAfterFcp.toFixed(0).padStart(6);
        log(
          `  round ${round + 1}/${runs} ${id.padEnd(22)} banner−FCP ${banner} ms${sample.bannerExact === false ? '*' : ''}  shown ${shown} ms  DCL ${sample.domContentLoaded.toFixed(0)}  FCP ${fcp.toFixed(0)}  LCP ${sample.lcp.toFixed(0)}  TBT ${sample.tbt.toFixed(0)}  CLS ${sample.cls.toFixed(3)}${quiet ? '' : '  (not quiet)'}`,
        );
      }
    }

    const variants: VariantResult[] = VARIANT_IDS.map((id) => {
      const mine = samples.filter((s) => s.variant === id);
      const v = inspected.get(id);
      const own = (v?.assets ?? []).filter((a) => !bareAssets.has(a.path));
      const banner = mine.map((s) => s.bannerAfterFcp).filter((n): n is number => n !== null);
      const shown = mine.map((s) => s.bannerShownAfterFcp).filter((n): n is number => n !== null);
      const at = mine.map((s) => s.bannerAt).filter((n): n is number => n !== null);
      const info = VARIANTS[id];
      return {
        id,
        name: info.name,
        version: info.pkg ? packageVersion(info.pkg) : id === 'consent-edge' ? projectVersion() : null,
        selector: info.selector,
        loading: info.loading,
        bannerAfterFcp: banner.length ? stat(banner) : null,
        bannerShownAfterFcp: shown.length ? stat(shown) : null,
        bannerAt: at.length ? stat(at) : null,
        ttfb: stat(mine.map((s) => s.ttfb)),
        fcp: stat(mine.map((s) => s.fcp)),
        lcp: stat(mine.map((s) => s.lcp)),
        cls: stat(mine.map((s) => s.cls)),
        tbt: stat(mine.map((s) => s.tbt)),
        lcpElements: [...new Set(mine.map((s) => s.lcpElement ?? 'none'))],
        js: sum(own, 'js'),
        css: sum(own, 'css'),
        assets: own,
        htmlAdded: Buffer.byteLength(v?.html ?? '') - bareHtml,
        notQuiet: mine.filter((s) => !s.quiet).length,
        bannerExact: mine.filter((s) => s.bannerExact).length,
      };
    });

    const results: BrowserResults = {
      mode: quick ? 'quick' : 'full',
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      runs,
      cpuThrottling: CPU_THROTTLING,
      viewport: VIEWPORT,
      quietMs: QUIET_MS,
      chromium: browser.version(),
      playwright: packageVersion('playwright-core'),
      machine: { cpu: `${cpus()[0]?.model ?? 'unknown'}, nproc ${availableParallelism()}`, load: `${loadBefore} → ${load()}` },
      page: 'the demo dashboard (`/`, demo/pages.mjs `appPage` + `dashboardMain`)',
      variants,
      samples,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    console.log(`\n${quick ? 'Quick mode: indicative only.\n\n' : ''}${browserTable(results)}\n`);
    if (write) {
      writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
      writeFileSync(CHART, browserChartSvg(results));
      writeFileSync(DOCS, replaceBrowserSection(readFileSync(DOCS, 'utf8'), results));
      log('bench:browser: wrote bench/results/browser.json, docs/benchmarks-browser.svg and its section of docs/benchmarks.md');
    }
  } finally {
    await browser.close();
    await statics.close();
    await workers.close();
    await origin.close();
    rmSync(dirname(build.scriptPath), { recursive: true, force: true });
  }
}

function projectVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
