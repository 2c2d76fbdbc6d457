/**
 * Drift audit: cookies the policy does not declare, seen in origin `Set-Cookie` or request
 * `Cookie` headers, and cross-origin `<script>`/`<iframe>` sources no category declares, seen in
 * the pages the worker rewrites (named by origin and path, without the query). Sightings are counted in the isolate and flushed to D1 as one upsert batch at
 * most every 30 s (or when the buffer fills), never one write per request. Counts are lower
 * bounds: what an isolate holds when it is evicted is lost (docs/consent-log.md).
 */
import type { Bindings } from '../env';

export type DriftSource = 'set-cookie' | 'cookie' | 'script' | 'iframe';

export interface DriftEntry {
  name: string;
  source: DriftSource;
  count: number;
  /** Unix milliseconds. */
  firstSeen: number;
  lastSeen: number;
  samplePath: string;
}

export interface DriftBuffer {
  entries: Map<string, DriftEntry>;
  /** Unix ms of the last flush; -Infinity before the first, so a new isolate reports at once. */
  lastFlushAt: number;
  /** Sightings of new names refused while the buffer was full (reported with the next flush). */
  dropped: number;
}

export interface DriftOptions {
  /** Flush when this much time has passed since the last flush. */
  intervalMs: number;
  /** Flush early when this many distinct names are held (one D1 batch). */
  maxNames: number;
  /** Even a full buffer waits this long between flushes, so a flood of random names cannot buy one write per request. */
  minGapMs: number;
}

export const DRIFT_DEFAULTS: DriftOptions = { intervalMs: 30_000, maxNames: 100, minGapMs: 5_000 };

/** RFC 6265 token, and a sane length: anything else is garbage, not a cookie worth reporting. */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}$/;
const MAX_SAMPLE_PATH = 512;
const MAX_SOURCE = 512;

/** The name a sighting is counted under, or null for garbage: a cookie name, or a source's origin and path. */
function sightingName(name: string, source: DriftSource): string | null {
  if (source === 'set-cookie' || source === 'cookie') return COOKIE_NAME.test(name) ? name : null;
  try {
    const url = new URL(name);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    const bare = `${url.origin}${url.pathname}`;
    return bare.length <= MAX_SOURCE ? bare : null;
  } catch {
    return null;
  }
}

export function createDriftBuffer(): DriftBuffer {
  return { entries: new Map(), lastFlushAt: Number.NEGATIVE_INFINITY, dropped: 0 };
}

/**
 * Counts sightings into the buffer (plain data, no I/O).
 * @example
 * noteSightings(buffer, ['tnc_experiment'], 'set-cookie', '/signin', Date.now());
 */
export function noteSightings(
  buffer: DriftBuffer,
  names: readonly string[],
  source: DriftSource,
  path: string,
  now: number,
  options: DriftOptions = DRIFT_DEFAULTS,
): void {
  const samplePath = (path.replace(/[?#].*$/s, '') || '/').slice(0, MAX_SAMPLE_PATH);
  for (const seen of names) {
    const name = sightingName(seen, source);
    if (name === null) continue;
    const key = `${source} ${name}`;
    const entry = buffer.entries.get(key);
    if (entry) {
      entry.count += 1;
      entry.firstSeen = Math.min(entry.firstSeen, now);
      entry.lastSeen = Math.max(entry.lastSeen, now);
    } else if (buffer.entries.size < options.maxNames) {
      buffer.entries.set(key, { name, source, count: 1, firstSeen: now, lastSeen: now, samplePath });
    } else {
      buffer.dropped += 1;
    }
  }
}

/**
 * The entries to write now, emptying the buffer, or null when no flush is due.
 * @example
 * const due = takeDueEntries(buffer, Date.now()); // null until 30 s after the last flush
 */
export function takeDueEntries(buffer: DriftBuffer, now: number, options: DriftOptions = DRIFT_DEFAULTS): DriftEntry[] | null {
  if (buffer.entries.size === 0) return null;
  const since = now - buffer.lastFlushAt;
  const full = buffer.entries.size >= options.maxNames;
  if (since < options.intervalMs && !(full && since >= options.minGapMs)) return null;
  const entries = [...buffer.entries.values()];
  buffer.entries.clear();
  buffer.lastFlushAt = now;
  return entries;
}

/** Puts entries back after a failed write, so a short D1 outage costs no counts. */
export function restoreEntries(buffer: DriftBuffer, entries: readonly DriftEntry[], options: DriftOptions = DRIFT_DEFAULTS): void {
  for (const old of entries) {
    const key = `${old.source} ${old.name}`;
    const entry = buffer.entries.get(key);
    if (entry) {
      entry.count += old.count;
      entry.firstSeen = Math.min(entry.firstSeen, old.firstSeen);
      entry.lastSeen = Math.max(entry.lastSeen, old.lastSeen);
    } else if (buffer.entries.size < options.maxNames) {
      buffer.entries.set(key, { ...old });
    } else {
      buffer.dropped += old.count;
    }
  }
}

/** Adds to an existing row: counts sum, the earliest first sighting and the latest last one win. */
export const UPSERT_DRIFT = `INSERT INTO cookie_drift (name, source, count, first_seen, last_seen, sample_path)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
ON CONFLICT(name, source) DO UPDATE SET
  count = count + excluded.count,
  first_seen = min(first_seen, excluded.first_seen),
  last_seen = max(last_seen, excluded.last_seen)`;

/** Writes entries as one D1 batch (one round trip, one transaction). */
export async function writeDrift(db: D1Database, entries: readonly DriftEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const statement = db.prepare(UPSERT_DRIFT);
  await db.batch(
    entries.map((e) =>
      statement.bind(e.name, e.source, e.count, new Date(e.firstSeen).toISOString(), new Date(e.lastSeen).toISOString(), e.samplePath),
    ),
  );
}

/** The isolate's buffer: module state lives as long as the isolate does. */
const isolateBuffer = createDriftBuffer();

/**
 * Reports undeclared cookie names (or absolute source URLs) seen on one request. Cheap (a map update); at most one D1
 * batch per flush interval runs in `ctx.waitUntil`. Never throws.
 * @example
 * noteUndeclared(c.env, c.executionCtx, ['tnc_experiment'], 'set-cookie', url.pathname);
 */
export function noteUndeclared(
  env: Bindings,
  ctx: Pick<ExecutionContext, 'waitUntil'>,
  names: readonly string[],
  source: DriftSource,
  path: string,
  now: number = Date.now(),
  buffer: DriftBuffer = isolateBuffer,
  options: DriftOptions = DRIFT_DEFAULTS,
): void {
  if (names.length === 0) return;
  try {
    noteSightings(buffer, names, source, path, now, options);
    flushDue(env, ctx, buffer, takeDueEntries(buffer, now, options), options);
  } catch (error) {
    console.error(JSON.stringify({ event: 'cookie-drift.error', error: String(error) }));
  }
}

/**
 * Writes whatever the buffer holds now, due or not. The scheduled upkeep (src/log/scheduled.ts)
 * calls it: the isolate the Cron Trigger runs in writes what it holds without waiting for another
 * request (it cannot reach other isolates' buffers). Never throws.
 * @example
 * flushDrift(env, ctx);
 */
export function flushDrift(
  env: Bindings,
  ctx: Pick<ExecutionContext, 'waitUntil'>,
  now: number = Date.now(),
  buffer: DriftBuffer = isolateBuffer,
  options: DriftOptions = DRIFT_DEFAULTS,
): void {
  try {
    const entries = buffer.entries.size ? [...buffer.entries.values()] : null;
    buffer.entries.clear();
    if (entries) buffer.lastFlushAt = now;
    flushDue(env, ctx, buffer, entries, options);
  } catch (error) {
    console.error(JSON.stringify({ event: 'cookie-drift.error', error: String(error) }));
  }
}

function flushDue(
  env: Bindings,
  ctx: Pick<ExecutionContext, 'waitUntil'>,
  buffer: DriftBuffer,
  entries: DriftEntry[] | null,
  options: DriftOptions,
): void {
  if (!entries) return;
  const dropped = buffer.dropped;
  buffer.dropped = 0;
  if (dropped > 0) console.warn(JSON.stringify({ event: 'cookie-drift.dropped', sightings: dropped }));
  ctx.waitUntil(
    writeDrift(env.CONSENT_DB, entries).catch((error: unknown) => {
      restoreEntries(buffer, entries, options);
      console.warn(JSON.stringify({ event: 'cookie-drift.write-failed', names: entries.length, error: String(error) }));
    }),
  );
}
