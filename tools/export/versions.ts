/**
 * Policy versions for `npm run consent:export`: the SQL that reads them through `wrangler d1
 * execute` (validated fingerprints only), the rows as exported versions with their fingerprint
 * checked, and the insert a seeded or restored database needs.
 */
import * as z from 'zod';
import { parseShown, versionRow } from '../../src/log/store';
import { type PolicyVersion, type ShownVersion, verifiesFingerprint } from '../../src/log/version';
import { sqlString } from './export';

const Fingerprint = z.string().regex(/^[0-9a-f]{64}$/, 'must be SHA-256 hex');

/** Versions per `wrangler d1 execute` call: each row is tens of kilobytes. */
export const VERSIONS_PER_READ = 50;

/**
 * The stored versions among `fingerprints` (at most `VERSIONS_PER_READ` of them).
 * @example
 * versionsSql(['3f1c…']) // SELECT fingerprint, … FROM policy_versions WHERE fingerprint IN ('3f1c…')
 */
export function versionsSql(fingerprints: readonly string[]): string {
  const checked = z
    .array(Fingerprint)
    .min(1)
    .max(VERSIONS_PER_READ)
    .parse([...new Set(fingerprints)]);
  return `SELECT fingerprint, revision, effective_date, first_seen, policy, shown FROM policy_versions WHERE fingerprint IN (${checked.map(sqlString).join(', ')}) ORDER BY first_seen`;
}

/** A version as the export writes it: what the records point at, and whether its key holds. */
export interface ExportedVersion {
  fingerprint: string;
  revision: number;
  effectiveDate: string;
  firstSeen: string;
  /** SHA-256 of `policy` equals the fingerprint: the texts are the ones the records point at. */
  verified: boolean;
  /** The canonical policy JSON, to re-hash independently (`sha256sum` of it, without a newline). */
  policy: string;
  shown: ShownVersion;
}

const VersionRow = z.object({
  fingerprint: Fingerprint,
  revision: z.number(),
  effective_date: z.string(),
  first_seen: z.string(),
  policy: z.string(),
  shown: z.string(),
});

/** Rows from wrangler's JSON as exported versions; a row that is not a readable version is skipped. */
export async function parseVersionRows(rows: readonly unknown[]): Promise<ExportedVersion[]> {
  const out: ExportedVersion[] = [];
  for (const raw of rows) {
    const row = VersionRow.safeParse(raw);
    const shown = row.success ? parseShown(row.data.shown) : null;
    if (!row.success || !shown) continue;
    const { fingerprint, revision, policy } = row.data;
    out.push({
      fingerprint,
      revision,
      effectiveDate: row.data.effective_date,
      firstSeen: row.data.first_seen,
      verified: await verifiesFingerprint({ fingerprint, policy }),
      policy,
      shown,
    });
  }
  return out;
}

/**
 * The idempotent insert of one version with its values as SQL literals, for `wrangler d1 execute
 * --file` (a restored or seeded database). A version is ~35 KB: well under D1's 100 KB statement.
 */
export function insertVersionSql(version: PolicyVersion, firstSeen: Date): string {
  const values = versionRow(version, firstSeen).map((v) => (typeof v === 'number' ? String(Math.trunc(v)) : sqlString(String(v))));
  return `INSERT INTO policy_versions (fingerprint, revision, effective_date, first_seen, policy, shown) VALUES (${values.join(', ')}) ON CONFLICT(fingerprint) DO NOTHING;`;
}
