/**
 * The consent log's D1 tables (migrations/): decisions and the policy versions they point at.
 * The idempotent inserts, the read of one visitor's records, and the row <-> record mapping the
 * receipt and the export share.
 */
import * as z from '../policy/zod';
import { CategoryId } from '../policy/schema';
import { DecisionRecord } from './record';
import { type PolicyVersion, ShownVersion } from './version';

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
  'locale',
  'surface',
] as const;

/** A row as D1 (and `wrangler d1 execute --json`) returns it. */
export type DecisionRow = Record<(typeof DECISION_COLUMNS)[number], unknown>;

/**
 * Keyed by the decision id: a redelivered message, a retried batch or the direct-write fallback
 * racing the queue all leave exactly one row.
 */
export const INSERT_DECISION = `INSERT INTO consent_decisions (${DECISION_COLUMNS.join(', ')})
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
ON CONFLICT(id) DO NOTHING`;

/** A record as the 15 values bound to `INSERT_DECISION`. */
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
    record.locale,
    record.surface,
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
    locale: row.locale ?? null,
    surface: row.surface ?? null,
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

/** A version is written once: the first writer wins and later ones (redeliveries, other isolates) change nothing. */
export const INSERT_VERSION = `INSERT INTO policy_versions (fingerprint, revision, effective_date, first_seen, policy, shown)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
ON CONFLICT(fingerprint) DO NOTHING`;

/** A version as the 6 values bound to `INSERT_VERSION`. */
export function versionRow(version: PolicyVersion, firstSeen: Date): unknown[] {
  return [
    version.fingerprint,
    version.revision,
    version.effectiveDate,
    firstSeen.toISOString(),
    version.policy,
    JSON.stringify(version.shown),
  ];
}

/**
 * Writes versions in one D1 batch; those already stored are left as they are.
 * @example
 * await insertVersions(env.CONSENT_DB, [await policyVersion(policy)], new Date());
 */
export async function insertVersions(db: D1Database, versions: readonly PolicyVersion[], now: Date): Promise<void> {
  if (versions.length === 0) return;
  const statement = db.prepare(INSERT_VERSION);
  await db.batch(versions.map((version) => statement.bind(...versionRow(version, now))));
}

/** A stored version's rendered texts, or null when the stored JSON is not a version this worker can read (never throws). */
export function parseShown(json: unknown): ShownVersion | null {
  if (typeof json !== 'string') return null;
  try {
    const parsed = ShownVersion.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** D1 takes at most 100 bound parameters per statement. */
const MAX_PARAMETERS = 100;

/**
 * The rendered texts of the given versions, by fingerprint; a fingerprint the log does not hold
 * is absent from the map.
 * @example
 * const shown = await shownVersions(env.CONSENT_DB, records.map((r) => r.policyHash));
 */
export async function shownVersions(db: D1Database, fingerprints: readonly string[]): Promise<Map<string, ShownVersion>> {
  const wanted = [...new Set(fingerprints)];
  const out = new Map<string, ShownVersion>();
  for (let i = 0; i < wanted.length; i += MAX_PARAMETERS) {
    const chunk = wanted.slice(i, i + MAX_PARAMETERS);
    const { results } = await db
      .prepare(`SELECT fingerprint, shown FROM policy_versions WHERE fingerprint IN (${chunk.map((_, n) => `?${n + 1}`).join(', ')})`)
      .bind(...chunk)
      .all<{ fingerprint: string; shown: string }>();
    for (const row of results) {
      const shown = parseShown(row.shown);
      if (shown) out.set(row.fingerprint, shown);
    }
  }
  return out;
}
