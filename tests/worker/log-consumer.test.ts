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
import { decisionRecord } from '../support/fixtures';

const bindings = env as unknown as Bindings;

const record = decisionRecord;

function batchOf(bodies: unknown[], attempts = 1) {
  return createMessageBatch<unknown>(
    'consent-log',
    bodies.map((body, i) => ({ id: `msg-${i}-${Math.random()}`, timestamp: new Date(), attempts, body })),
  );
}

async function run(batch: MessageBatch<unknown>, bindingsToUse: Bindings = bindings) {
  const ctx = createExecutionContext();
  await consumeConsentLog(batch, bindingsToUse);
  return getQueueResult(batch, ctx);
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

describe('retry delay', () => {
  it('grows from 10 s and is capped at an hour', () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([10, 20, 40, 80]);
    expect(retryDelaySeconds(100)).toBe(3600);
  });
});
