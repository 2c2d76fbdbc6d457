/**
 * `npm run consent:stats`: consent figures for ops from the local (`npm start`) or the remote D1
 * database: a self-contained HTML report with charts, and a short table in the terminal. D1 does
 * the counting (a GROUP BY per few days, tools/stats/sql.ts); a progress line shows long reads.
 * Usage: `npm run consent:stats -- --help`.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { type D1Target, d1Execute } from '../tools/d1/execute';
import { aggregate, type Cell, parseCells, type VersionInfo } from '../tools/stats/aggregate';
import { renderReport } from '../tools/stats/report';
import { cellsSql, chunkDaysFor, chunks, spanSql, VERSIONS_SQL } from '../tools/stats/sql';
import { formatSummary } from '../tools/stats/terminal';

const USAGE = `usage: npm run consent:stats -- [options]

  --from YYYY-MM-DD     first day (UTC, inclusive); default: the first decision
  --to YYYY-MM-DD       last day (UTC, inclusive); default: the latest decision
  --out FILE            the HTML report (default consent-stats.html)
  --json                print the figures as JSON instead of the table
  --local               the local database of npm start / wrangler dev (default)
  --remote              the production database (needs wrangler login or CLOUDFLARE_API_TOKEN)
  --persist-to DIR      local state directory (default .wrangler/state)
  --chunk-days N        days per wrangler call (default: as many as hold ~200,000 decisions,
                        1 to 31)`;

const Options = z
  .strictObject({
    from: z.iso.date({ message: '--from must be a date like 2026-04-01' }).optional(),
    to: z.iso.date({ message: '--to must be a date like 2026-04-30' }).optional(),
    out: z.string().min(1).default('consent-stats.html'),
    json: z.boolean().default(false),
    local: z.boolean().default(false),
    remote: z.boolean().default(false),
    'persist-to': z.string().min(1).optional(),
    'chunk-days': z.coerce.number().int().min(1).max(366).optional(),
    help: z.boolean().default(false),
  })
  .refine((o) => !(o.local && o.remote), { message: 'choose --local or --remote, not both' })
  .refine((o) => !o.from || !o.to || o.from <= o.to, { message: '--from must not be after --to' });
type Options = z.infer<typeof Options>;

function parse(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      local: { type: 'boolean' },
      remote: { type: 'boolean' },
      'persist-to': { type: 'string' },
      'chunk-days': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  return Options.parse(values);
}

const Span = z.object({ first: z.string().nullable(), last: z.string().nullable(), decisions: z.number() });
const VersionRow = z.object({ fingerprint: z.string(), revision: z.number(), first_seen: z.string() });

/** A line on stderr that rewrites itself on a terminal, and one line per step elsewhere (CI logs). */
function progress(text: string, done: boolean): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}${done ? '\n' : ''}`);
  else process.stderr.write(`${text}\n`);
}

function read(options: Options): { range: { from: string; to: string }; cells: Cell[]; skipped: number; versions: VersionInfo[] } {
  const target: D1Target = { remote: options.remote, persistTo: options['persist-to'] ? resolve(options['persist-to']) : undefined };
  const span = Span.parse(d1Execute(spanSql(options), target)[0]?.results[0] ?? {});
  const today = new Date().toISOString().slice(0, 10);
  const from = options.from ?? span.first?.slice(0, 10) ?? today;
  const to = options.to ?? span.last?.slice(0, 10) ?? from;
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  const parts = span.decisions ? chunks(from, to, options['chunk-days'] ?? chunkDaysFor(span.decisions, days)) : [];
  const cells: Cell[] = [];
  let skipped = 0;
  let counted = 0;
  parts.forEach(([start, until], i) => {
    const parsed = parseCells(d1Execute(cellsSql(start, until), target)[0]?.results ?? []);
    cells.push(...parsed.cells);
    skipped += parsed.skipped;
    counted += parsed.cells.reduce((n, c) => n + c.n, 0);
    if (parts.length > 1) {
      const last = new Date(Date.parse(`${until}T00:00:00.000Z`) - 86_400_000).toISOString().slice(0, 10);
      progress(`reading ${start} … ${last} (${i + 1}/${parts.length}): ${counted} of ${span.decisions} decisions`, i === parts.length - 1);
    }
  });
  const versions = (d1Execute(VERSIONS_SQL, target)[0]?.results ?? []).flatMap((row) => {
    const parsed = VersionRow.safeParse(row);
    return parsed.success
      ? [{ fingerprint: parsed.data.fingerprint, revision: parsed.data.revision, firstSeen: parsed.data.first_seen }]
      : [];
  });
  return { range: { from, to }, cells, skipped, versions };
}

export function main(argv: string[]): number {
  let options: Options;
  try {
    options = parse(argv);
  } catch (error) {
    const message = error instanceof z.ZodError ? z.prettifyError(error) : (error as Error).message;
    console.error(`${message}\n\n${USAGE}`);
    return 64;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    const where = options.remote ? 'remote' : 'local';
    const { range, cells, skipped, versions } = read(options);
    const stats = aggregate(cells, range, versions, skipped);
    const out = resolve(options.out);
    writeFileSync(out, renderReport(stats, { where, generatedAt: new Date() }));
    console.log(options.json ? JSON.stringify(stats, null, 2) : formatSummary(stats, where));
    console.error(`Report: ${out}`);
    return 0;
  } catch (error) {
    console.error(`consent:stats: ${(error as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.dirname ?? '', 'consent-stats.ts')) {
  process.exitCode = main(process.argv.slice(2));
}
