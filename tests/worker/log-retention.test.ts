/**
 * Retention in workerd against real D1: the worker's scheduled handler, started by a scheduled
 * event as the Cron Trigger starts it, deletes exactly the records past retention (consent
 * lifetime + claims period), in batches; stores the deployed policy version; flushes drift.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newConsentId } from '../../src/consent/cookie';
import type { Bindings } from '../../src/env';
import worker from '../../src/index';
import { noteUndeclared } from '../../src/log/drift';
import { purgeExpired, retentionCutoff, retentionDays } from '../../src/log/retention';
import { consentLogUpkeep } from '../../src/log/scheduled';
import { insertDecisions } from '../../src/log/store';
import { policyVersion } from '../../src/log/version';
import { decisionRecord, defaultPolicy } from '../support/fixtures';

const bindings = env as unknown as Bindings;
const DAY = 86_400_000;
const CRON = '*/15 * * * *';

/** The Cron Trigger's time in these tests, far enough ahead that the seeded records can straddle the cutoff. */
const RUN_AT = new Date('2034-06-15T03:15:00.000Z');
const CUTOFF = retentionCutoff(defaultPolicy.policy, RUN_AT);

const iso = (ms: number) => new Date(ms).toISOString();

/** One visitor's records around the cutoff: two past it, one at it, two within retention. */
async function seed() {
  const consentId = newConsentId();
  const cutoff = Date.parse(CUTOFF);
  const records = {
    longGone: decisionRecord({ consentId, at: iso(cutoff - 400 * DAY) }),
    justPast: decisionRecord({ consentId, at: iso(cutoff - 1) }),
    atCutoff: decisionRecord({ consentId, at: iso(cutoff) }),
    recent: decisionRecord({ consentId, at: iso(cutoff + DAY) }),
    today: decisionRecord({ consentId, at: iso(RUN_AT.getTime() - 60_000) }),
  };
  await insertDecisions(bindings.CONSENT_DB, Object.values(records));
  return { consentId, records };
}

async function idsOf(consentId: string): Promise<string[]> {
  const { results } = await bindings.CONSENT_DB.prepare('SELECT id FROM consent_decisions WHERE consent_id = ?1 ORDER BY at')
    .bind(consentId)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

async function countFrom(at: string): Promise<number> {
  const row = await bindings.CONSENT_DB.prepare('SELECT count(*) AS n FROM consent_decisions WHERE at >= ?1')
    .bind(at)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

afterEach(() => vi.restoreAllMocks());

describe('retention', () => {
  it('keeps a record for the consent lifetime plus the claims period (2008 days by default)', () => {
    expect(retentionDays(defaultPolicy.policy)).toBe(182 + 1826);
    expect(retentionCutoff(defaultPolicy.policy, new Date('2032-10-01T00:00:00.000Z'))).toBe('2027-04-03T00:00:00.000Z');
    const longer = { ...defaultPolicy.policy, retention: { claimsPeriodDays: 3653 } };
    expect(retentionCutoff(longer, new Date('2032-10-01T00:00:00.000Z'))).toBe('2022-04-02T00:00:00.000Z');
  });
});

describe('the scheduled handler', () => {
  it('started by a scheduled event, removes only the records past retention', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const { consentId, records } = await seed();
    const keptBefore = await countFrom(CUTOFF);

    // Through the runtime, as a Cron Trigger runs it.
    const scheduler = (exports as unknown as { default: { scheduled(o: { scheduledTime: Date; cron: string }): Promise<unknown> } })
      .default;
    await scheduler.scheduled({ scheduledTime: RUN_AT, cron: CRON });

    expect(await idsOf(consentId)).toEqual([records.atCutoff.id, records.recent.id, records.today.id]);
    expect(await countFrom(CUTOFF)).toBe(keptBefore);
    const old = await bindings.CONSENT_DB.prepare('SELECT count(*) AS n FROM consent_decisions WHERE at < ?1')
      .bind(CUTOFF)
      .first<{ n: number }>();
    expect(old?.n).toBe(0);
  });

  it('purges in batches and says when more remains for the next run', async () => {
    const consentId = newConsentId();
    const cutoff = Date.parse(CUTOFF);
    await insertDecisions(
      bindings.CONSENT_DB,
      Array.from({ length: 7 }, (_, i) => decisionRecord({ consentId, at: iso(cutoff - (i + 1) * DAY) })),
    );
    const expiredElsewhere = await bindings.CONSENT_DB.prepare('SELECT count(*) AS n FROM consent_decisions WHERE at < ?1')
      .bind(CUTOFF)
      .first<{ n: number }>();

    const first = await purgeExpired(bindings.CONSENT_DB, CUTOFF, { batchSize: 2, maxBatches: 2 });
    expect(first).toMatchObject({ deleted: 4, batches: 2, more: true });
    const rest = await purgeExpired(bindings.CONSENT_DB, CUTOFF, { batchSize: 100, maxBatches: 10 });
    expect(rest).toMatchObject({ deleted: (expiredElsewhere?.n ?? 0) - 4, batches: 1, more: false });
    expect(await idsOf(consentId)).toEqual([]);
  });

  it('stores the deployed policy version and flushes the drift sightings this isolate holds', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const name = `tnc_probe_${newConsentId().slice(0, 8)}`;
    const ctx = createExecutionContext();
    const now = Date.now();
    // The first sighting of a fresh name is written at once; the second waits in the buffer.
    noteUndeclared(bindings, ctx, [name], 'set-cookie', '/signin', now);
    noteUndeclared(bindings, ctx, [name], 'set-cookie', '/signin', now + 1000);
    await waitOnExecutionContext(ctx);

    const scheduledCtx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: now + 2000, cron: CRON }), bindings, scheduledCtx);
    await waitOnExecutionContext(scheduledCtx);

    const drift = await bindings.CONSENT_DB.prepare('SELECT count FROM cookie_drift WHERE name = ?1 AND source = ?2')
      .bind(name, 'set-cookie')
      .first<{ count: number }>();
    expect(drift?.count).toBe(2);
    const { fingerprint } = await policyVersion(defaultPolicy);
    const version = await bindings.CONSENT_DB.prepare('SELECT revision FROM policy_versions WHERE fingerprint = ?1')
      .bind(fingerprint)
      .first();
    expect(version).toEqual({ revision: defaultPolicy.policy.revision });
    const summary = log.mock.calls.map(([line]) => String(line)).find((line) => line.includes('consent-log.upkeep'));
    expect(JSON.parse(summary ?? '{}')).toMatchObject({ cron: CRON, purge: { more: false } });
  });

  it('with D1 down, logs what failed and rejects so the run shows as failed', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const down = {
      prepare: () => {
        throw new Error('D1_ERROR: database unavailable');
      },
      batch: () => Promise.reject(new Error('D1_ERROR: database unavailable')),
    } as unknown as D1Database;
    const ctx = createExecutionContext();
    await expect(
      consentLogUpkeep({ scheduledTime: RUN_AT.getTime(), cron: CRON }, { ...bindings, CONSENT_DB: down }, ctx, defaultPolicy),
    ).rejects.toThrow(/database unavailable/);
    await waitOnExecutionContext(ctx);
    expect(error.mock.calls.some(([line]) => String(line).includes('"failures"'))).toBe(true);
  });
});
