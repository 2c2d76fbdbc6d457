/**
 * How long decision records are kept (policy.json `retention`), and the batched purge of what is
 * past it. A record proves a consent while the consent is relied on (at most its lifetime) and
 * must still answer a complaint or a claim about that time: it is deleted `lifetimeDays +
 * claimsPeriodDays` after it was made. Keeping it longer would break storage limitation (GDPR
 * Art. 5(1)(e)).
 */
import type { Policy } from '../policy/schema';

const DAY_MS = 86_400_000;

/**
 * Days a record is kept after it was made.
 * @example
 * retentionDays(policy) // 2008 with the defaults: 182-day consent + 1826-day claims period
 */
export function retentionDays(policy: Pick<Policy, 'consentCookie' | 'retention'>): number {
  return policy.consentCookie.lifetimeDays + policy.retention.claimsPeriodDays;
}

/**
 * The oldest `at` still kept at `now`: records made before it are past retention. ISO 8601, so
 * it compares with `at` as a string and uses the `at` index.
 * @example
 * retentionCutoff(policy, new Date('2032-10-01T00:00:00Z')) // '2027-04-03T00:00:00.000Z' with the defaults
 */
export function retentionCutoff(policy: Pick<Policy, 'consentCookie' | 'retention'>, now: Date): string {
  return new Date(now.getTime() - retentionDays(policy) * DAY_MS).toISOString();
}

/**
 * One batch: the oldest records before the cutoff, at most `?2` of them. SQLite's DELETE takes no
 * LIMIT unless built with it, so the batch is chosen by rowid through the `at` index.
 */
export const PURGE_BATCH = `DELETE FROM consent_decisions WHERE rowid IN (
  SELECT rowid FROM consent_decisions WHERE at < ?1 ORDER BY at LIMIT ?2
)`;

export interface PurgeOptions {
  /** Rows per DELETE: each is one short write transaction (4 rows written per record with the indexes). */
  batchSize: number;
  /** Batches per run, so one run stays far below D1's 30 s per query and the Worker's limits. */
  maxBatches: number;
}

/** 50,000 records a run; at a run every 15 minutes, 4.8 million a day. */
export const PURGE_DEFAULTS: PurgeOptions = { batchSize: 1000, maxBatches: 50 };

export interface PurgeResult {
  cutoff: string;
  deleted: number;
  batches: number;
  /** The last batch was full: records past retention may remain for the next run. */
  more: boolean;
}

/**
 * Deletes records made before `cutoff`, oldest first, batch by batch.
 * @example
 * await purgeExpired(env.CONSENT_DB, retentionCutoff(policy, new Date(controller.scheduledTime)));
 */
export async function purgeExpired(db: D1Database, cutoff: string, options: PurgeOptions = PURGE_DEFAULTS): Promise<PurgeResult> {
  const statement = db.prepare(PURGE_BATCH);
  let deleted = 0;
  let batches = 0;
  let more = false;
  while (batches < options.maxBatches) {
    const { meta } = await statement.bind(cutoff, options.batchSize).run();
    batches += 1;
    deleted += meta.changes;
    more = meta.changes >= options.batchSize;
    if (!more) break;
  }
  return { cutoff, deleted, batches, more };
}
