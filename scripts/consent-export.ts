/**
 * `npm run consent:export`: the consent log for ops, by date range or for one consent id, as CSV
 * or JSON (with the policy versions the records point at: the texts and cookie tables shown),
 * from the local (`npm start`) or the remote D1 database; and `--erase <consentId> --yes` for one
 * visitor's records; `--replay` for records that only reached the logs.
 * Usage: `npm run consent:export -- --help`.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, type WriteStream, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { withShown } from '../src/log/evidence';
import { type DecisionRecord, LogId } from '../src/log/record';
import type { DecisionRow } from '../src/log/store';
import { type D1Target, d1Execute } from '../tools/d1/execute';
import {
  CSV_HEADER,
  countForConsentSql,
  DateRange,
  eraseSql,
  exportPageSql,
  insertRecordSql,
  type PageCursor,
  recordsFromLines,
  rowsToCsv,
  rowToJson,
} from '../tools/export/export';
import { type ExportedVersion, parseVersionRows, VERSIONS_PER_READ, versionsSql } from '../tools/export/versions';

const USAGE = `usage: npm run consent:export -- [options]

  --from YYYY-MM-DD     first day (UTC, inclusive); default: the beginning
  --to YYYY-MM-DD       last day (UTC, inclusive); default: the latest record
  --format csv|json     default csv (RFC 4180, CRLF), one flat row per record; json is
                        {"records": [...], "versions": {fingerprint: version}}: each record's
                        texts and cookie tables are versions[policyHash].shown.locales[locale]
  --consent-id ID       only this visitor's records; in JSON each carries what it was shown
                        ("shown": texts in the record's language), as the receipt does
  --out FILE            write to FILE instead of stdout
  --local               the local database of npm start / wrangler dev (default)
  --remote              the production database (needs wrangler login or CLOUDFLARE_API_TOKEN)
  --persist-to DIR      local state directory (default .wrangler/state)
  --erase CONSENT_ID    delete every record of one consent id; shows the count unless --yes
  --yes                 confirm --erase
  --replay FILE         insert the records found in log lines (consent-log.unrecorded events,
                        one JSON per line) that neither the queue nor D1 took; idempotent
  --page-size N         rows per wrangler call (default 5000)`;

const Options = z.strictObject({
  from: z.iso.date({ message: '--from must be a date like 2026-04-01' }).optional(),
  to: z.iso.date({ message: '--to must be a date like 2026-04-30' }).optional(),
  format: z.enum(['csv', 'json'], { message: '--format must be csv or json' }).default('csv'),
  out: z.string().min(1).optional(),
  local: z.boolean().default(false),
  remote: z.boolean().default(false),
  'persist-to': z.string().min(1).optional(),
  erase: z.optional(LogId),
  'consent-id': z.optional(LogId),
  yes: z.boolean().default(false),
  replay: z.string().min(1).optional(),
  'page-size': z.coerce.number().int().min(1).max(100_000).default(5000),
  help: z.boolean().default(false),
});
type Options = z.infer<typeof Options>;

function parse(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      local: { type: 'boolean' },
      remote: { type: 'boolean' },
      'persist-to': { type: 'string' },
      erase: { type: 'string' },
      'consent-id': { type: 'string' },
      yes: { type: 'boolean' },
      replay: { type: 'string' },
      'page-size': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const options = Options.parse(values);
  if (options.local && options.remote) throw new Error('choose --local or --remote, not both');
  DateRange.parse({ from: options.from, to: options.to });
  return options;
}

function target(options: Options): D1Target {
  return { remote: options.remote, persistTo: options['persist-to'] ? resolve(options['persist-to']) : undefined };
}

function erase(options: Options & { erase: string }): number {
  const where = options.remote ? 'remote' : 'local';
  if (!options.yes) {
    const count = Number(d1Execute(countForConsentSql(options.erase), target(options))[0]?.results[0]?.records ?? 0);
    console.error(`${count} record(s) of consent id ${options.erase} in the ${where} database. Re-run with --yes to erase them.`);
    return count === 0 ? 0 : 2;
  }
  const erased = d1Execute(eraseSql(options.erase), target(options))[0]?.results.length ?? 0;
  console.error(`Erased ${erased} record(s) of consent id ${options.erase} from the ${where} database.`);
  return 0;
}

/** Puts records recovered from logs back into the log; a record already there is left alone. */
function replay(options: Options & { replay: string }): number {
  const { records, skipped } = recordsFromLines(readFileSync(options.replay, 'utf8'));
  if (skipped) console.error(`${skipped} line(s) without a valid decision record were skipped.`);
  if (records.length === 0) {
    console.error('No records to replay.');
    return skipped ? 1 : 0;
  }
  const dir = mkdtempSync(join(tmpdir(), 'consent-replay-'));
  try {
    const file = join(dir, 'replay.sql');
    writeFileSync(file, records.map(insertRecordSql).join('\n'));
    d1Execute({ file }, target(options));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.error(
    `Replayed ${records.length} record(s) into the ${options.remote ? 'remote' : 'local'} database (existing ids left unchanged).`,
  );
  return 0;
}

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise((done) => stream.once('drain', done));
}

/** The stored versions among `fingerprints`, a few per wrangler call. */
async function readVersions(fingerprints: readonly string[], options: Options): Promise<ExportedVersion[]> {
  const out: ExportedVersion[] = [];
  for (let i = 0; i < fingerprints.length; i += VERSIONS_PER_READ) {
    const rows = d1Execute(versionsSql(fingerprints.slice(i, i + VERSIONS_PER_READ)), target(options))[0]?.results ?? [];
    out.push(...(await parseVersionRows(rows)));
  }
  return out;
}

/** The versions as the JSON export's `versions` object, and what a reader should know about them. */
function versionsJson(versions: readonly ExportedVersion[], wanted: ReadonlySet<string>): string {
  const found = new Set(versions.map((v) => v.fingerprint));
  const missing = [...wanted].filter((f) => !found.has(f));
  const unverified = versions.filter((v) => !v.verified).map((v) => v.fingerprint);
  if (missing.length) console.error(`${missing.length} policy version(s) that records point at are not in the log: ${missing.join(', ')}`);
  if (unverified.length) console.error(`policy version(s) whose policy JSON does not hash to their fingerprint: ${unverified.join(', ')}`);
  const entries = versions.map((v) => `${JSON.stringify(v.fingerprint)}: ${JSON.stringify(v)}`);
  return `"versions": {${entries.length ? `\n${entries.join(',\n')}\n` : ''}}`;
}

async function exportRecords(options: Options): Promise<number> {
  const out: NodeJS.WritableStream = options.out ? createWriteStream(options.out) : process.stdout;
  const range = { from: options.from, to: options.to };
  const consentId = options['consent-id'];
  const json = options.format === 'json';
  const fingerprints = new Set<string>();
  // One visitor's records are few: kept to join them with their texts once the versions are read.
  const held: DecisionRecord[] = [];
  let cursor: PageCursor | null = null;
  let total = 0;
  await write(out, json ? '{"records": [' : CSV_HEADER);
  for (;;) {
    const sql = exportPageSql(range, cursor, options['page-size'], consentId);
    const rows = (d1Execute(sql, target(options))[0]?.results ?? []) as DecisionRow[];
    if (!json) await write(out, rowsToCsv(rows));
    else
      for (const row of rows) {
        const record = rowToJson(row);
        if ('policyHash' in record) fingerprints.add(record.policyHash);
        if (consentId && 'policyHash' in record) held.push(record);
        else await write(out, `${total === 0 ? '\n' : ',\n'}${JSON.stringify(record)}`);
        total += 1;
      }
    if (!json) total += rows.length;
    const last = rows.at(-1);
    if (rows.length < options['page-size'] || !last) break;
    cursor = { at: String(last.at), id: String(last.id) };
  }
  if (json) {
    const versions = await readVersions([...fingerprints], options);
    const shown = new Map(versions.map((v) => [v.fingerprint, v.shown]));
    const evidence = withShown(held, shown).map((r, i) => `${i === 0 && total === held.length ? '\n' : ',\n'}${JSON.stringify(r)}`);
    await write(out, `${evidence.join('')}${total ? '\n' : ''}],\n${versionsJson(versions, fingerprints)}}\n`);
  }
  if (options.out) await new Promise((done) => (out as WriteStream).end(done));
  const where = options.remote ? 'remote' : 'local';
  console.error(
    `${total} record(s) exported from the ${where} database.${json ? '' : ' The texts shown are in the JSON export (--format json).'}`,
  );
  return 0;
}

export async function main(argv: string[]): Promise<number> {
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
    if (options.replay) return replay({ ...options, replay: options.replay });
    return options.erase ? erase({ ...options, erase: options.erase }) : await exportRecords(options);
  } catch (error) {
    console.error(`consent:export: ${(error as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.dirname ?? '', 'consent-export.ts')) {
  process.exitCode = await main(process.argv.slice(2));
}
