/**
 * Drift audit against real D1: a busy page costs at most one write per flush interval, counts
 * add up across flushes and isolates, and a failed write keeps its counts for the next flush.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Bindings } from '../../src/env';
import { createDriftBuffer, DRIFT_DEFAULTS, flushDrift, noteUndeclared } from '../../src/log/drift';

const bindings = env as unknown as Bindings;
const T0 = Date.parse('2026-04-01T00:00:00.000Z');

/** The real D1 binding, counting the batches sent to it (each flush is one batch). */
function countingDb(real: D1Database = bindings.CONSENT_DB) {
  let batches = 0;
  const db = {
    prepare: (sql: string) => real.prepare(sql),
    batch: (statements: D1PreparedStatement[]) => {
      batches += 1;
      return real.batch(statements);
    },
  } as unknown as D1Database;
  return { db, batches: () => batches };
}

async function driftRow(name: string, source = 'set-cookie') {
  return bindings.CONSENT_DB.prepare('SELECT * FROM cookie_drift WHERE name = ?1 AND source = ?2').bind(name, source).first();
}

const unique = (label: string) => `${label}_${Math.random().toString(36).slice(2, 10)}`;

afterEach(() => vi.restoreAllMocks());

describe('noteUndeclared', () => {
  it('writes at most once per flush interval however many requests report, and the counts add up', async () => {
    const name = unique('tnc_experiment');
    const { db, batches } = countingDb();
    const buffer = createDriftBuffer();
    const ctx = createExecutionContext();

    // 1,000 requests over 59 s: one flush at the first sighting, one 30 s later.
    for (let i = 0; i < 1000; i++) {
      noteUndeclared({ ...bindings, CONSENT_DB: db }, ctx, [name], 'set-cookie', `/page/${i}?q=secret`, T0 + i * 59, buffer);
    }
    await waitOnExecutionContext(ctx);
    expect(batches()).toBe(2);

    // The rest is written by the next due flush.
    const later = createExecutionContext();
    flushDrift({ ...bindings, CONSENT_DB: db }, later, T0 + 60_000, buffer);
    await waitOnExecutionContext(later);
    expect(batches()).toBe(3);

    expect(await driftRow(name)).toEqual({
      name,
      source: 'set-cookie',
      count: 1000,
      first_seen: new Date(T0).toISOString(),
      last_seen: new Date(T0 + 999 * 59).toISOString(),
      sample_path: '/page/0',
    });
  });

  it('merges counts from several isolates into one row per name and source', async () => {
    const name = unique('_ga');
    const isolates = [createDriftBuffer(), createDriftBuffer(), createDriftBuffer()];
    const ctx = createExecutionContext();
    isolates.forEach((buffer, i) => {
      for (let n = 0; n <= i; n++) noteUndeclared(bindings, ctx, [name], 'cookie', '/', T0 + i * 1000 + n, buffer);
      flushDrift(bindings, ctx, T0 + 10_000, buffer);
    });
    noteUndeclared(bindings, ctx, [name], 'set-cookie', '/x', T0, createDriftBuffer());
    await waitOnExecutionContext(ctx);

    expect(await driftRow(name, 'cookie')).toMatchObject({
      count: 6,
      first_seen: new Date(T0).toISOString(),
      last_seen: new Date(T0 + 2002).toISOString(),
    });
    expect(await driftRow(name, 'set-cookie')).toMatchObject({ count: 1 });
  });

  it('keeps the counts of a failed write and adds them to the next flush', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const name = unique('lost_then_found');
    const buffer = createDriftBuffer();
    const down = {
      prepare: (sql: string) => bindings.CONSENT_DB.prepare(sql),
      batch: () => Promise.reject(new Error('D1 down')),
    } as unknown as D1Database;

    const ctx = createExecutionContext();
    noteUndeclared({ ...bindings, CONSENT_DB: down }, ctx, [name, name], 'set-cookie', '/', T0, buffer);
    await waitOnExecutionContext(ctx);
    expect(await driftRow(name)).toBeNull();

    const again = createExecutionContext();
    noteUndeclared(bindings, again, [name], 'set-cookie', '/', T0 + DRIFT_DEFAULTS.intervalMs, buffer);
    await waitOnExecutionContext(again);
    expect(await driftRow(name)).toMatchObject({ count: 3 });
  });

  it('ignores names that are not cookie names and never throws', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const buffer = createDriftBuffer();
    const ctx = createExecutionContext();
    expect(() => noteUndeclared(bindings, ctx, ['bad name', '', 'x'.repeat(200), 'semi;colon'], 'cookie', '/', T0, buffer)).not.toThrow();
    expect(buffer.entries.size).toBe(0);
    expect(() => noteUndeclared({} as Bindings, ctx, ['ok_name'], 'cookie', '/', T0, createDriftBuffer())).not.toThrow();
    await waitOnExecutionContext(ctx);
  });
});
