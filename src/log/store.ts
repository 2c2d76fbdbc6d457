/**
 * The consent log's D1 table (migrations/0001_consent_log.sql): the idempotent insert, the read
 * of one visitor's records, and the row <-> record mapping the receipt and the export share.
 */
import * as z from 'zod';
import { CategoryId } from '../policy/schema';
import { DecisionRecord } from './record';

/** Column order of every read, so the worker and `npm run consent:export` see the same rows. */
export const DECISION_COLUMNS = [
  'id',
  'consent_id',
  'at',
  'action',
  'accepted',
  'refused',
  'revision',
  'policy_hash',
  'regime',
  'country',
  'gpc',
  'path',
  'user_agent',
] as const;

/** A row as D1 (and `wrangler d1 execute --json`) returns it. */
export type DecisionRow = Record<(typeof DECISION_COLUMNS)[number], unknown>;

/**
 * Keyed by the decision id: a redelivered message, a retried batch or the direct-write fallback
 * racing the queue all leave exactly one row.
 */
export const INSERT_DECISION = `INSERT INTO consent_decisions (${DECISION_COLUMNS.join(', ')})
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
ON CONFLICT(id) DO NOTHING`;

/** A record as the 13 values bound to `INSERT_DECISION`. */
export function toRow(record: DecisionRecord): unknown[] {
  return [
    record.id,
    record.consentId,
    record.at,
    record.action,
    JSON.stringify(record.accepted),
    JSON.stringify(record.refused),
    record.revision,
    record.policyHash,
    record.regime,
    record.country,
    record.gpc ? 1 : 0,
    record.path,
    record.userAgent,
  ];
}

const Categories = z.array(CategoryId);

function categories(value: unknown): z.infer<typeof Categories> | null {
  if (typeof value !== 'string') return null;
  try {
    const parsed = Categories.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A stored row as a record, or null when the row does not hold a valid record (never throws). */
export function fromRow(row: DecisionRow): DecisionRecord | null {
  const parsed = DecisionRecord.safeParse({
    id: row.id,
    consentId: row.consent_id,
    at: row.at,
    action: row.action,
    accepted: categories(row.accepted),
    refused: categories(row.refused),
    revision: row.revision,
    policyHash: row.policy_hash,
    regime: row.regime,
    country: row.country ?? null,
    gpc: row.gpc === 1 || row.gpc === true,
    path: row.path,
    userAgent: row.user_agent,
  });
  return parsed.success ? parsed.data : null;
}

/**
 * Writes records in one D1 batch (one implicit transaction): all or nothing, so a failure can be
 * retried whole without partial duplicates to worry about.
 * @example
 * await insertDecisions(env.CONSENT_DB, [record]);
 */
export async function insertDecisions(db: D1Database, records: readonly DecisionRecord[]): Promise<void> {
  if (records.length === 0) return;
  const statement = db.prepare(INSERT_DECISION);
  await db.batch(records.map((record) => statement.bind(...toRow(record))));
}

/** At most this many records on a receipt; a visitor makes a handful of decisions a year. */
export const RECEIPT_LIMIT = 500;

/**
 * One consent id's records, newest first.
 * @example
 * const records = await decisionsFor(env.CONSENT_DB, state.consentId);
 */
export async function decisionsFor(db: D1Database, consentId: string, limit = RECEIPT_LIMIT): Promise<DecisionRecord[]> {
  const { results } = await db
    .prepare(`SELECT ${DECISION_COLUMNS.join(', ')} FROM consent_decisions WHERE consent_id = ?1 ORDER BY at DESC, id LIMIT ?2`)
    .bind(consentId, limit)
    .all<DecisionRow>();
  return results.flatMap((row) => fromRow(row) ?? []);
}
