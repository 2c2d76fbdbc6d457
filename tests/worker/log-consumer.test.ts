/**
 * The consent-log queue consumer against real D1 in workerd: one row per decision, idempotent
 * redelivery, no loss while D1 is down, invalid messages acked and logged.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newConsentId } from '../../src/consent/cookie';
import type { Bindings } from '../../src/env';
import { consumeConsentLog, retryDelaySeconds } from '../../src/log/consumer';
import { policyVersion, versionMessage } from '../../src/log/version';
import { compilePolicy } from '../../src/policy/compile';
import { defaultPolicy } from '../support/fixtures';
import { decisionRecord } from '../support/fixtures';

const bindings = env as unknown as Bindings;

const record = decisionRecord;

function batchOf(bodies: unknown[], attempts = 1) {
  return createMessageBatch<unknown>(
    'consent-log',
    bodies.map((body, i) => ({ id: `msg-${i}-${Math.random()}`, timestamp: new Date(), attempts, body })),
  );
}

async function run(batch: MessageBatch<unknown>, bindingsToUse: Bindings = bindings, now?: Date) {
  const ctx = createExecutionContext();
  await consumeConsentLog(batch, bindingsToUse, now);
  return getQueueResult(batch, ctx);
}

/** A policy no other test has stored: the deployed one with a banner text of its own. */
function freshPolicy(text: string) {
  const policy = structuredClone(defaultPolicy.policy);
  const en = policy.locales.en;
  if (!en) throw new Error('no en locale');
  en.banner.body = text;
  return compilePolicy(policy);
}

async function versionRows(fingerprint: string) {
  const { results } = await bindings.CONSENT_DB.prepare(
    'SELECT fingerprint, revision, first_seen, policy, shown FROM policy_versions WHERE fingerprint = ?1',
  )
    .bind(fingerprint)
    .all<{ fingerprint: string; revision: number; first_seen: string; policy: string; shown: string }>();
  return results;
}

async function rowsFor(consentId: string) {
  const { results } = await bindings.CONSENT_DB.prepare('SELECT * FROM consent_decisions WHERE consent_id = ?1 ORDER BY at')
    .bind(consentId)
    .all();
  return results;
}

/** D1 "down": statements prepare, every batch fails as the binding does during an outage. */
function failingDb(): D1Database {
  const real = bindings.CONSENT_DB;
  return {
    prepare: (sql: string) => real.prepare(sql),
    batch: () => Promise.reject(new Error('D1_ERROR: Network connection lost.')),
    exec: () => Promise.reject(new Error('D1_ERROR: Network connection lost.')),
  } as unknown as D1Database;
}

afterEach(() => vi.restoreAllMocks());

describe('consent log consumer', () => {
  it('writes exactly one row per record with every field', async () => {
    const consentId = newConsentId();
    const first = record({
      consentId,
      at: '2026-04-01T09:30:00.000Z',
      action: 'accept-all',
      accepted: ['essential', 'functional', 'analytics', 'third-party'],
      refused: [],
    });
    const second = record({
      consentId,
      at: '2026-04-02T10:00:00.000Z',
      action: 'withdraw',
      gpc: true,
      country: null,
      regime: 'opt-out',
      revision: 2,
    });
    const batch = batchOf([
      { kind: 'decision', record: first },
      { kind: 'decision', record: second },
    ]);

    const result = await run(batch);

    expect(result.explicitAcks.sort()).toEqual(batch.messages.map((m) => m.id).sort());
    expect(result.retryMessages).toEqual([]);
    expect(await rowsFor(consentId)).toEqual([
      {
        id: first.id,
        consent_id: consentId,
        at: '2026-04-01T09:30:00.000Z',
        action: 'accept-all',
        accepted: '["essential","functional","analytics","third-party"]',
        refused: '[]',
        revision: 1,
        policy_hash: 'a'.repeat(64),
        regime: 'opt-in',
        country: 'DE',
        gpc: 0,
        path: '/reports',
        user_agent: 'Mozilla/5.0 (test)',
        locale: 'en',
        surface: 'banner',
      },
      {
        id: second.id,
        consent_id: consentId,
        at: '2026-04-02T10:00:00.000Z',
        action: 'withdraw',
        accepted: '["essential","functional"]',
        refused: '["analytics","third-party"]',
        revision: 2,
        policy_hash: 'a'.repeat(64),
        regime: 'opt-out',
        country: null,
        gpc: 1,
        path: '/reports',
        user_agent: 'Mozilla/5.0 (test)',
        locale: 'en',
        surface: 'banner',
      },
    ]);
  });

  it('does not duplicate a redelivered message, nor a duplicate inside one batch', async () => {
    const one = record();
    const message = { kind: 'decision', record: one };
    await run(batchOf([message, message]));
    const redelivered = await run(batchOf([message], 2));

    expect(redelivered.explicitAcks).toHaveLength(1);
    expect(await rowsFor(one.consentId)).toHaveLength(1);
  });

  it('retries the batch with a delay while D1 is down, acks nothing, and writes it once D1 is back', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const consentId = newConsentId();
    const bodies = [record({ consentId }), record({ consentId, at: '2026-04-01T09:31:00.000Z' })].map((r) => ({
      kind: 'decision',
      record: r,
    }));

    const batch = batchOf(bodies);
    const retries = batch.messages.map((m) => vi.spyOn(m, 'retry'));
    const down = await run(batch, { ...bindings, CONSENT_DB: failingDb() });
    expect(down.explicitAcks).toEqual([]);
    expect(down.ackAll).toBe(false);
    expect(down.retryMessages.map((m) => m.msgId)).toEqual(batch.messages.map((m) => m.id));
    for (const retry of retries) expect(retry).toHaveBeenCalledWith({ delaySeconds: 10 });
    expect(await rowsFor(consentId)).toHaveLength(0);
    expect(error.mock.calls.some(([line]) => String(line).includes('consent-log.d1-unavailable'))).toBe(true);

    // The queue redelivers the same messages (attempts 2); D1 is back.
    const back = await run(batchOf(bodies, 2));
    expect(back.explicitAcks).toHaveLength(2);
    expect(back.retryMessages).toEqual([]);
    expect(await rowsFor(consentId)).toHaveLength(2);
  });

  it('acks and logs invalid messages without blocking the valid ones in the same batch', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const good = record();
    const batch = batchOf([
      'not json at all',
      { kind: 'decision', record: { ...record(), ip: '203.0.113.9' } },
      { kind: 'decision', record: { ...record(), action: 'maybe' } },
      { kind: 'something-else' },
      { kind: 'decision', record: good },
    ]);

    const result = await run(batch);

    expect(result.explicitAcks.sort()).toEqual(batch.messages.map((m) => m.id).sort());
    expect(result.retryMessages).toEqual([]);
    const invalidLines = error.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('consent-log.invalid-message'));
    expect(invalidLines).toHaveLength(4);
    expect(invalidLines[1]).toContain('ip');
    expect(await rowsFor(good.consentId)).toHaveLength(1);
  });

  it('retries only the valid messages when D1 is down, invalid ones stay acked', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const batch = batchOf([{ kind: 'decision', record: record() }, { nope: true }]);
    const [valid, invalid] = batch.messages as [Message<unknown>, Message<unknown>];

    const result = await run(batch, { ...bindings, CONSENT_DB: failingDb() });

    expect(result.explicitAcks).toEqual([invalid.id]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([valid.id]);
  });
});

describe('policy versions in the consumer', () => {
  it('stores a version once, keyed by its fingerprint; a later delivery changes nothing', async () => {
    const version = await policyVersion(freshPolicy(`Stored once ${newConsentId()}`));
    const message = await versionMessage(version);
    const first = await run(batchOf([message]), bindings, new Date('2026-04-01T00:00:00.000Z'));
    await run(batchOf([message], 2), bindings, new Date('2026-05-01T00:00:00.000Z'));

    expect(first.explicitAcks).toHaveLength(1);
    const rows = await versionRows(version.fingerprint);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.first_seen).toBe('2026-04-01T00:00:00.000Z');
    expect(rows[0]?.policy).toBe(version.policy);
    expect(JSON.parse(rows[0]?.shown ?? '{}').locales.en.banner.body).toBe(version.shown.locales.en?.banner.body);
  });

  it('writes a version and the decisions that point at it in the same batch', async () => {
    const version = await policyVersion(freshPolicy(`Same batch ${newConsentId()}`));
    const decision = record({ policyHash: version.fingerprint });
    const result = await run(batchOf([{ kind: 'decision', record: decision }, await versionMessage(version)]));
    expect(result.explicitAcks).toHaveLength(2);
    expect(await versionRows(version.fingerprint)).toHaveLength(1);
    expect(await rowsFor(decision.consentId)).toHaveLength(1);
  });

  it('drops a version whose policy does not hash to its fingerprint: the key would lie about the texts', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const version = await policyVersion(freshPolicy(`Tampered ${newConsentId()}`));
    const forged = await versionMessage({ ...version, policy: version.policy.replace('Tampered', 'Forged') });
    const garbled = { ...(await versionMessage(version)), gzip: 'AAAA' };
    const result = await run(batchOf([forged, garbled]));
    expect(result.explicitAcks).toHaveLength(2);
    expect(await versionRows(version.fingerprint)).toEqual([]);
    expect(error.mock.calls.filter(([line]) => String(line).includes('consent-log.invalid-message'))).toHaveLength(2);
  });

  it('keeps a decision sent by a worker that did not record locale and surface yet, with both unknown', async () => {
    const { locale: _locale, surface: _surface, ...older } = record();
    const result = await run(batchOf([{ kind: 'decision', record: older }]));
    expect(result.explicitAcks).toHaveLength(1);
    expect(await rowsFor(older.consentId)).toEqual([expect.objectContaining({ locale: null, surface: null })]);
  });
});

describe('retry delay', () => {
  it('grows from 10 s and is capped at an hour', () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([10, 20, 40, 80]);
    expect(retryDelaySeconds(100)).toBe(3600);
  });
});
