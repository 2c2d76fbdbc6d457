/**
 * Pure builders behind `npm run consent:export`: the SQL sent to `wrangler d1 execute` (which
 * takes no bound parameters, so every value is validated by zod first and then quoted) and the
 * CSV (RFC 4180) and JSON renderings of the rows. The policy versions records point at: versions.ts.
 */
import * as z from 'zod';
import { DecisionRecord, LogId } from '../../src/log/record';
import { DECISION_COLUMNS, type DecisionRow, fromRow, INSERT_DECISION, toRow } from '../../src/log/store';

/** A calendar day, `YYYY-MM-DD`; `--to` is inclusive. */
export const DateRange = z
  .strictObject({ from: z.iso.date().optional(), to: z.iso.date().optional() })
  .refine((r) => !r.from || !r.to || r.from <= r.to, { message: '--from must not be after --to', path: ['from'] });
export type DateRange = z.infer<typeof DateRange>;

/** The last row of a page: where the next page starts (keyset pagination by `at`, then `id`). */
export const PageCursor = z.strictObject({ at: z.iso.datetime({ offset: false }), id: LogId });
export type PageCursor = z.infer<typeof PageCursor>;

/**
 * A SQL string literal. Values are validated before they get here; quoting is the second line
 * of defence (RFC-free but SQLite's rule: a quote is written twice).
 */
export function sqlString(value: string): string {
  if (value.includes('\0')) throw new Error('NUL in SQL literal');
  return `'${value.replace(/'/g, "''")}'`;
}

/** `2026-04-30` → `2026-05-01`, so `--to 2026-04-30` includes all of 30 April. */
export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * One page of decisions in time order, of everyone or of one consent id. ISO timestamps compare
 * as strings, so a date bound is a plain string comparison and uses the `at` index.
 * @example
 * exportPageSql({ from: '2026-04-01', to: '2026-04-30' }, null, 5000)
 * // SELECT … WHERE at >= '2026-04-01' AND at < '2026-05-01' ORDER BY at, id LIMIT 5000
 */
export function exportPageSql(range: DateRange, after: PageCursor | null, limit: number, consentId?: string): string {
  const checked = DateRange.parse(range);
  const where: string[] = consentId === undefined ? [] : [`consent_id = ${sqlString(LogId.parse(consentId))}`];
  if (checked.from) where.push(`at >= ${sqlString(checked.from)}`);
  if (checked.to) where.push(`at < ${sqlString(nextDay(checked.to))}`);
  if (after) {
    const cursor = PageCursor.parse(after);
    where.push(`(at > ${sqlString(cursor.at)} OR (at = ${sqlString(cursor.at)} AND id > ${sqlString(cursor.id)}))`);
  }
  const size = z.int().min(1).max(100_000).parse(limit);
  return [
    `SELECT ${DECISION_COLUMNS.join(', ')} FROM consent_decisions`,
    where.length ? `WHERE ${where.join(' AND ')}` : '',
    `ORDER BY at, id LIMIT ${size}`,
  ]
    .filter(Boolean)
    .join(' ');
}

/** How many records one consent id has (shown before an erasure is confirmed). */
export function countForConsentSql(consentId: string): string {
  return `SELECT count(*) AS records FROM consent_decisions WHERE consent_id = ${sqlString(LogId.parse(consentId))}`;
}

/** Erases one consent id's records (see docs/consent-log.md); returns the erased ids, which local D1's meta lacks. */
export function eraseSql(consentId: string): string {
  return `DELETE FROM consent_decisions WHERE consent_id = ${sqlString(LogId.parse(consentId))} RETURNING id`;
}

/**
 * One CSV field (RFC 4180 §2): quoted when it holds a comma, a quote, CR or LF; quotes doubled.
 * @example
 * csvField('say "hi", ok') // '"say ""hi"", ok"'
 */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Visitor-supplied text (user agent, path) starting with `=`, `+`, `-`, `@`, tab or CR is run as
 * a formula by spreadsheet apps; a leading `'` keeps it text (OWASP "CSV injection"). The JSON
 * export is always byte-exact.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const FREE_TEXT = new Set(['path', 'user_agent']);

function cell(column: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (column === 'accepted' || column === 'refused') {
    try {
      const list = JSON.parse(String(value));
      if (Array.isArray(list)) return list.join(' ');
    } catch {
      // Fall through: export what is stored.
    }
  }
  if (column === 'gpc') return value === 1 || value === true ? 'true' : 'false';
  const text = String(value);
  return FREE_TEXT.has(column) ? neutralizeFormula(text) : text;
}

/** The CSV header line, CRLF-terminated (RFC 4180 §2). */
export const CSV_HEADER = `${DECISION_COLUMNS.join(',')}\r\n`;

/** Rows as CSV lines (without the header), categories space-separated, every line ending CRLF. */
export function rowsToCsv(rows: readonly DecisionRow[]): string {
  return rows.map((row) => `${DECISION_COLUMNS.map((c) => csvField(cell(c, row[c]))).join(',')}\r\n`).join('');
}

/** A row as a JSON record (camelCase, categories as arrays); a row that is not a valid record is kept raw. */
export function rowToJson(row: DecisionRow): DecisionRecord | { invalidRow: DecisionRow } {
  return fromRow(row) ?? { invalidRow: row };
}

/**
 * The idempotent insert of one validated record with its values as SQL literals, for a
 * `wrangler d1 execute --file` replay (which takes no bound parameters).
 * @example
 * insertRecordSql(record) // INSERT INTO consent_decisions (…) VALUES ('…', …) ON CONFLICT(id) DO NOTHING;
 */
export function insertRecordSql(record: DecisionRecord): string {
  const values = toRow(DecisionRecord.parse(record)).map((v) =>
    v === null ? 'NULL' : typeof v === 'number' ? String(Math.trunc(v)) : sqlString(String(v)),
  );
  return `${INSERT_DECISION.replace(/\?(\d+)/g, (_, n: string) => values[Number(n) - 1] ?? 'NULL')};`;
}

/**
 * Records found in log lines: the `consent-log.unrecorded` lines the worker writes when neither
 * the queue nor D1 took a decision, or bare records / queue messages, one JSON value per line.
 * Lines that hold no valid record are counted, never guessed at.
 */
export function recordsFromLines(text: string): { records: DecisionRecord[]; skipped: number } {
  const records: DecisionRecord[] = [];
  let skipped = 0;
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line.slice(line.indexOf('{')));
    } catch {
      skipped += 1;
      continue;
    }
    const candidate = (value as { record?: unknown } | null)?.record ?? value;
    const parsed = DecisionRecord.safeParse(candidate);
    if (parsed.success) records.push(parsed.data);
    else skipped += 1;
  }
  return { records, skipped };
}
