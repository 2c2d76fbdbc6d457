/**
 * Turns the benchmark's measurements into docs/benchmarks.md (machine, method, table, chart,
 * targets) and docs/benchmarks.svg (throughput ratios), and the table printed to the terminal.
 */
import { browserSectionFromFile } from './browser/report';
import type { ClassifyResult } from './classify';
import type { ShippedAssets } from './sizes';

export interface LoadRow {
  scenario: string;
  html: boolean;
  visitor: 'undecided' | 'decided';
  pass: { rps: number; p50: number; p99: number };
  /** Medians over rounds of the per-round ratio to the pass-through. */
  ce: Ratios;
  naive: Ratios;
  /** Medians over rounds of each worker's workerd CPU time per response, in µs (NaN off Linux). */
  cpuUs: { pass: number; ce: number; naive: number };
}

export interface Ratios {
  rps: number;
  /** Lowest and highest per-round req/s ratio: how much the noise moved it. */
  rpsRange: [number, number];
  p50: number;
  p99: number;
}

export interface TtfbRow {
  variant: string;
  /** Medians over samples, milliseconds. */
  firstByteMs: number;
  totalMs: number;
  bytes: number;
}

export interface BytesRow {
  size: string;
  origin: number;
  added: { pass: number; ceUndecided: number; ceDecided: number; naive: number };
  /** Of `added`, what holding the page's own tags takes (held attributes, placeholders). */
  holding: { pass: number; ceUndecided: number; ceDecided: number; naive: number };
}

export interface Target {
  name: string;
  goal: string;
  figure: string;
  pass: boolean;
}

export interface Report {
  mode: 'quick' | 'full';
  date: string;
  machine: Record<string, string>;
  method: string[];
  load: LoadRow[];
  ttfb: TtfbRow[];
  ttfbUrl: string;
  bytes: BytesRow[];
  shipped: ShippedAssets[];
  bundle: { bytes: number; gzipBytes: number; wrangler: string };
  classify: ClassifyResult[];
  targets: Target[];
  /** Hand-written analysis of what limits each missed target (bench/analysis.md). */
  analysis: string;
  notes: string[];
}

const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** workerd CPU time per response: what bounds each worker's throughput here. */
export function cpuTable(rows: readonly LoadRow[]): string {
  const head =
    '| Response | Visitor | Pass-through µs | **Consent Edge** µs | Consent Edge extra µs | Naive µs |\n|---|---|--:|--:|--:|--:|';
  const us = (n: number) => (Number.isFinite(n) ? int(n) : 'n/a');
  const body = rows.map(
    (r) =>
      `| ${r.scenario} | ${r.visitor} | ${us(r.cpuUs.pass)} | **${us(r.cpuUs.ce)}** | ${extraUs(r.cpuUs.ce - r.cpuUs.pass)} | ${us(r.cpuUs.naive)} |`,
  );
  return [head, ...body].join('\n');
}

/** µs over the pass-through, signed. */
const extraUs = (n: number) => (Number.isFinite(n) ? `${n >= 0 ? '+' : '−'}${int(Math.abs(n))}` : 'n/a');

/**
 * One CPU table per HTML page size: each worker's workerd CPU time per response, for both
 * visitors (undecided, and the one who accepted everything), and what it adds to the pass-through.
 */
export function cpuBySizeTables(rows: readonly LoadRow[]): string {
  const us = (n: number) => (Number.isFinite(n) ? int(n) : 'n/a');
  const sizes = [...new Set(rows.filter((r) => r.html).map((r) => r.scenario))];
  return sizes
    .map((size) => {
      const undecided = rows.find((r) => r.scenario === size && r.visitor === 'undecided');
      const decided = rows.find((r) => r.scenario === size && r.visitor === 'decided');
      const base = undecided ?? decided;
      if (!base) return '';
      const line = (worker: string, visitor: string, value: number) =>
        `| ${worker} | ${visitor} | ${us(value)} | ${worker === 'Pass-through' ? '' : extraUs(value - base.cpuUs.pass)} |`;
      return [
        `#### ${size}`,
        '',
        '| Worker | Visitor | µs per response | over the pass-through µs |',
        '|---|---|--:|--:|',
        line('Pass-through', 'any', base.cpuUs.pass),
        ...(undecided ? [line('**Consent Edge**', 'undecided', undecided.cpuUs.ce)] : []),
        ...(decided ? [line('**Consent Edge**', 'accepted all', decided.cpuUs.ce)] : []),
        line('Naive buffer + replace', 'any', base.cpuUs.naive),
      ].join('\n');
    })
    .filter(Boolean)
    .join('\n\n');
}

/** The load table in Markdown (also what the terminal shows). */
export function loadTable(rows: readonly LoadRow[]): string {
  const head =
    '| Response | Visitor | Pass-through req/s | p50 ms | p99 ms | **Consent Edge** req/s × | p50 × | p99 × | Naive req/s × | p50 × | p99 × |\n' +
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|';
  const body = rows.map(
    (r) =>
      `| ${r.scenario} | ${r.visitor} | ${int(r.pass.rps)} | ${f(r.pass.p50)} | ${f(r.pass.p99)} | **${f(r.ce.rps)}** (${f(r.ce.rpsRange[0])}–${f(r.ce.rpsRange[1])}) | ${f(r.ce.p50)} | ${f(r.ce.p99)} | ${f(r.naive.rps)} (${f(r.naive.rpsRange[0])}–${f(r.naive.rpsRange[1])}) | ${f(r.naive.p50)} | ${f(r.naive.p99)} |`,
  );
  return [head, ...body].join('\n');
}

export function targetsTable(targets: readonly Target[]): string {
  return [
    '| Target | Goal | Measured | Result |',
    '|---|---|---|---|',
    ...targets.map((t) => `| ${t.name} | ${t.goal} | ${t.figure} | ${t.pass ? 'pass' : '**MISS**'} |`),
  ].join('\n');
}

/** Horizontal bars of the throughput ratios, with each row's target as a dashed line. */
export function chartSvg(rows: readonly LoadRow[]): string {
  const width = 760;
  const label = 190;
  const barH = 11;
  const rowH = 2 * barH + 10;
  const top = 34;
  const height = top + rows.length * rowH + 30;
  const max = 1.2;
  const x = (ratio: number) => label + (Math.max(0, Math.min(ratio, max)) / max) * (width - label - 60);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    '<rect width="100%" height="100%" fill="#fff"/>',
    '<text x="10" y="16" font-size="13" font-weight="600">Throughput as a share of the bare pass-through worker (same run; higher is better)</text>',
    `<rect x="${label}" y="22" width="10" height="8" fill="#1d3f9e"/><text x="${label + 14}" y="30">Consent Edge</text>`,
    `<rect x="${label + 110}" y="22" width="10" height="8" fill="#b0b0b0"/><text x="${label + 124}" y="30">naive buffer + replace</text>`,
    `<text x="${label + 270}" y="30">dashed: target</text>`,
  ];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line x1="${x(tick)}" y1="${top}" x2="${x(tick)}" y2="${height - 24}" stroke="#eee"/>`,
      `<text x="${x(tick)}" y="${height - 10}" text-anchor="middle">${tick.toFixed(2)}</text>`,
    );
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const target = r.html ? 0.85 : 0.95;
    parts.push(
      `<text x="${label - 8}" y="${y + barH + 4}" text-anchor="end">${r.scenario}, ${r.visitor}</text>`,
      `<rect x="${label}" y="${y}" width="${x(r.ce.rps) - label}" height="${barH}" fill="#1d3f9e"/>`,
      `<text x="${x(r.ce.rps) + 4}" y="${y + barH - 2}">${f(r.ce.rps)}</text>`,
      `<rect x="${label}" y="${y + barH}" width="${x(r.naive.rps) - label}" height="${barH}" fill="#b0b0b0"/>`,
      `<text x="${x(r.naive.rps) + 4}" y="${y + 2 * barH - 2}">${f(r.naive.rps)}</text>`,
      `<line x1="${x(target)}" y1="${y - 2}" x2="${x(target)}" y2="${y + 2 * barH + 2}" stroke="#b3261e" stroke-dasharray="3,2"/>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** A text bar chart of the same ratios, for terminals and plain-text readers. */
export function textChart(rows: readonly LoadRow[]): string {
  const bar = (ratio: number) => '█'.repeat(Math.max(0, Math.round(Math.min(ratio, 1.2) * 40)));
  return rows
    .flatMap((r) => [
      `${`${r.scenario}, ${r.visitor}`.padEnd(26)} CE    ${bar(r.ce.rps)} ${f(r.ce.rps)}`,
      `${''.padEnd(26)} naive ${bar(r.naive.rps)} ${f(r.naive.rps)}`,
    ])
    .join('\n');
}

/** The whole of docs/benchmarks.md. */
export function markdown(report: Report): string {
  const machine = Object.entries(report.machine)
    .map(([k, v]) => `- ${k}: ${v}`)
    .join('\n');
  const ttfb = [
    '| Worker | First body byte (ms, median) | Whole page (ms) | Bytes |',
    '|---|--:|--:|--:|',
    ...report.ttfb.map((t) => `| ${t.variant} | ${f(t.firstByteMs, 1)} | ${f(t.totalMs, 0)} | ${int(t.bytes)} |`),
  ].join('\n');
  const bytes = [
    '| Page | Origin bytes | Pass-through | Consent Edge, undecided | Consent Edge, decided | Naive |',
    '|---|--:|--:|--:|--:|--:|',
    ...report.bytes.map(
      (b) =>
        `| ${b.size} | ${int(b.origin)} | +${int(b.added.pass)} | +${int(b.added.ceUndecided)} (${int(b.holding.ceUndecided)} holding) | +${int(b.added.ceDecided)} (${int(b.holding.ceDecided)} holding) | +${int(b.added.naive)} |`,
    ),
  ].join('\n');
  const shipped = [
    '| Tool | Version | Files | Bytes | gzip -9 |',
    '|---|---|---|--:|--:|',
    ...report.shipped.map(
      (s) => `| ${s.name} | ${s.version} | ${s.files.join(' + ')} | ${int(s.bytes)} | ${int(s.gzipBytes)} (${kb(s.gzipBytes)}) |`,
    ),
  ].join('\n');
  const base = report.classify[0]?.nsPerHeader ?? Number.NaN;
  const classify = [
    '| Declared cookies | ns per Set-Cookie (median) | × the 10-cookie cost |',
    '|--:|--:|--:|',
    ...report.classify.map((c) => `| ${int(c.declared)} | ${int(c.nsPerHeader)} | ${f(c.nsPerHeader / base)} |`),
  ].join('\n');
  return `# Benchmarks

Generated by \`npm run bench\`${report.mode === 'quick' ? ' -- --quick (quick mode: one short round, indicative only)' : ''} on ${report.date}. Do not edit by hand; run it again.

## Targets

${targetsTable(report.targets)}

## Machine

${machine}

## Method

${report.method.map((m) => `- ${m}`).join('\n')}

## Throughput and latency, as ratios to the bare pass-through worker

Pass-through columns are absolute (medians over rounds). The ratio columns are the median over
rounds of (variant ÷ pass-through in the same round), with the lowest and highest round in
brackets: req/s above 1 is faster than the pass-through, latency above 1 is slower.

${loadTable(report.load)}

![Throughput ratios](benchmarks.svg)

### CPU time per response, in workerd

One workerd thread serves all of a worker's requests, and under this load it is busy all the
time, so each worker's req/s is about one over its CPU time per response. These are the
medians over rounds of that CPU time (user + system, read from \`/proc\` around each run). They
move less with the noise than req/s does, and \`Consent Edge extra\` is the figure that carries
over to other machines. Under Miniflare every worker also pays Miniflare's entry worker (see the
analysis below).

${report.load.some((r) => Number.isFinite(r.cpuUs.pass)) ? cpuTable(report.load) : 'Not measured: /proc is not available on this machine.'}

### CPU time per HTML page, by size

The same medians, one table per page size, for a visitor who has not decided (every refused tag
held, the banner shown) and one who accepted everything (with the default \`undeclaredSources:
"block"\` the page still has undeclared sources to hold, so it takes the same streaming pass;
under \`"allow"\` the head part is spliced in and the rest piped). The CPU targets above are the
undecided rows' extra µs.

${report.load.some((r) => Number.isFinite(r.cpuUs.pass)) ? cpuBySizeTables(report.load) : 'Not measured: /proc is not available on this machine.'}

\`\`\`text
${textChart(report.load)}
\`\`\`

## Time to first byte on a slowly streamed page

\`${report.ttfbUrl}\`: the origin sends the document head at once, then about 2 MB over two
seconds. First body byte measured on a fresh connection, undecided visitor.

${ttfb}

## Bytes added to each HTML page

Body length through each worker minus the origin's body (uncompressed). In brackets, the part
that holds the page's own refused and undeclared tags (their held attributes and an embed's
placeholder), which grows with the page's tags; the rest (state, asset tags, banner) is what
every page pays.

${bytes}

## Banner assets beside the alternatives

${shipped}

## Worker bundle

\`wrangler deploy --dry-run --outdir\`: ${int(report.bundle.bytes)} bytes, ${int(report.bundle.gzipBytes)} bytes gzip -9
(${kb(report.bundle.gzipBytes)}). Wrangler's own summary: \`${report.bundle.wrangler}\`.

## Classifying one Set-Cookie

${classify}

${browserSectionFromFile()}${report.analysis ? `## What limits the missed targets\n\n${report.analysis}\n\n` : ''}${report.notes.length ? `## Notes\n\n${report.notes.map((n) => `- ${n}`).join('\n')}\n` : ''}`;
}
