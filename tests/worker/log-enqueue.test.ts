/**
 * The producer in workerd: the visitor's response never waits on the log, a flaky queue is
 * retried, a dead queue falls back to a direct D1 write, and the last resort is a log line that
 * still holds the whole record.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Bindings } from '../../src/env';
import { newConsentId } from '../../src/consent/cookie';
import { deliverDecision, deliverVersion, enqueueDecision } from '../../src/log/enqueue';
import { type DecisionRecord, LogMessage } from '../../src/log/record';
import { policyVersion, unpackVersion } from '../../src/log/version';
import { compilePolicy } from '../../src/policy/compile';
import { decisionRecord, defaultPolicy } from '../support/fixtures';

const bindings = env as unknown as Bindings;

function record(overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  const refused: DecisionRecord['refused'] = ['functional', 'analytics', 'third-party'];
  return decisionRecord({
    action: 'reject-all',
    accepted: ['essential'],
    refused,
    policyHash: 'b'.repeat(64),
    country: null,
    gpc: true,
    path: '/',
    ...overrides,
  });
}

/** A queue binding that records what it is sent; `failures` sends throw first (a Queues outage). */
function queue(failures: number | 'always', behaviour: 'ok' | 'hang' = 'ok') {
  const sent: unknown[] = [];
  let calls = 0;
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const binding = {
    async send(body: unknown) {
      calls += 1;
      if (failures === 'always' || calls <= failures) throw new Error('Queue send failed: 503');
      if (behaviour === 'hang') await released;
      sent.push(body);
    },
    async sendBatch() {
      throw new Error('not used');
    },
  } as unknown as Queue;
  return { binding, sent, calls: () => calls, release };
}

const failingDb = {
  prepare: (sql: string) => bindings.CONSENT_DB.prepare(sql),
  batch: () => Promise.reject(new Error('D1_ERROR: database unavailable')),
} as unknown as D1Database;

async function rowCount(id: string): Promise<number> {
  const row = await bindings.CONSENT_DB.prepare('SELECT count(*) AS n FROM consent_decisions WHERE id = ?1')
    .bind(id)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

afterEach(() => vi.restoreAllMocks());

describe('enqueueDecision', () => {
  it('returns before the queue answers: the work runs in waitUntil', async () => {
    const q = queue(0, 'hang');
    const ctx = createExecutionContext();
    const r = record();

    enqueueDecision({ ...bindings, CONSENT_QUEUE: q.binding }, ctx, r);
    expect(q.sent).toEqual([]);

    q.release();
    await waitOnExecutionContext(ctx);
    expect(q.sent).toEqual([{ kind: 'decision', record: r }]);
    expect(LogMessage.safeParse(q.sent[0]).success).toBe(true);
  });

  it('sends through the real queue binding', async () => {
    const send = vi.spyOn(bindings.CONSENT_QUEUE, 'send');
    const r = record();
    expect(await deliverDecision(bindings, r)).toBe('queued');
    expect(send).toHaveBeenCalledWith({ kind: 'decision', record: r }, { contentType: 'json' });
  });

  it('retries a failing send and stops at the first success', async () => {
    const q = queue(2);
    const r = record();
    expect(await deliverDecision({ ...bindings, CONSENT_QUEUE: q.binding }, r, [1, 1])).toBe('queued');
    expect(q.calls()).toBe(3);
    expect(q.sent).toHaveLength(1);
    expect(await rowCount(r.id)).toBe(0);
  });

  it('writes D1 directly when the queue keeps failing', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const q = queue('always');
    const r = record();
    const ctx = createExecutionContext();

    enqueueDecision({ ...bindings, CONSENT_QUEUE: q.binding }, ctx, r);
    await waitOnExecutionContext(ctx);

    expect(q.calls()).toBe(3);
    expect(await rowCount(r.id)).toBe(1);
  });

  it('logs the full record, recoverably, when both the queue and D1 fail', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const r = record();

    const outcome = await deliverDecision({ ...bindings, CONSENT_QUEUE: queue('always').binding, CONSENT_DB: failingDb }, r, [1, 1]);

    expect(outcome).toBe('logged');
    const line = error.mock.calls.map(([l]) => String(l)).find((l) => l.includes('consent-log.unrecorded'));
    expect(line).toBeDefined();
    expect(JSON.parse(line ?? '{}').record).toEqual(r);
  });

  it('never throws, even without a usable execution context or bindings', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const brokenCtx = {
      waitUntil() {
        throw new Error('no context');
      },
      passThroughOnException() {},
      props: {},
    } as unknown as ExecutionContext;
    expect(() => enqueueDecision(bindings, brokenCtx, record())).not.toThrow();
    expect(() => enqueueDecision({} as Bindings, createExecutionContext(), record())).not.toThrow();
  });

  it('refuses to send a record with an IP address, and logs it instead', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const q = queue(0);
    const withIp = { ...record(), ip: '203.0.113.9' } as DecisionRecord;

    expect(await deliverDecision({ ...bindings, CONSENT_QUEUE: q.binding }, withIp)).toBe('logged');
    expect(q.sent).toEqual([]);
    expect(error.mock.calls.some(([l]) => String(l).includes('invalid record'))).toBe(true);
  });
});

describe('deliverVersion', () => {
  async function freshVersion() {
    const policy = structuredClone(defaultPolicy.policy);
    const en = policy.locales.en;
    if (!en) throw new Error('no en locale');
    en.banner.title = `Title ${newConsentId()}`;
    return policyVersion(compilePolicy(policy));
  }

  it('sends a version once per isolate, as a compressed message the consumer can unpack', async () => {
    const q = queue(0);
    const version = await freshVersion();
    const delivered = new Set<string>();
    const envWith = { ...bindings, CONSENT_QUEUE: q.binding };

    expect(await deliverVersion(envWith, version, [1], delivered)).toBe('queued');
    expect(await deliverVersion(envWith, version, [1], delivered)).toBe('known');
    expect(q.sent).toHaveLength(1);
    const message = LogMessage.parse(q.sent[0]);
    expect(message.kind).toBe('version');
    // Tens of kilobytes of texts, a few on the wire: far below the queue's 128 KB per message.
    expect(JSON.stringify(q.sent[0]).length).toBeLessThan(16_000);
    expect(message.kind === 'version' ? await unpackVersion(message) : null).toEqual(version);
  });

  it('writes the version straight to D1 when the queue is down, and remembers only a delivery that worked', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const version = await freshVersion();
    const delivered = new Set<string>();
    const down = { ...bindings, CONSENT_QUEUE: queue('always').binding };

    expect(await deliverVersion({ ...down, CONSENT_DB: failingDb }, version, [1], delivered)).toBe('logged');
    expect(error.mock.calls.some(([l]) => String(l).includes('consent-log.version-unrecorded'))).toBe(true);
    expect(delivered.has(version.fingerprint)).toBe(false);

    expect(await deliverVersion(down, version, [1], delivered)).toBe('written');
    expect(warn.mock.calls.some(([l]) => String(l).includes('consent-log.queue-bypassed'))).toBe(true);
    const row = await bindings.CONSENT_DB.prepare('SELECT revision FROM policy_versions WHERE fingerprint = ?1')
      .bind(version.fingerprint)
      .first<{ revision: number }>();
    expect(row?.revision).toBe(version.revision);
    expect(await deliverVersion(down, version, [1], delivered)).toBe('known');
  });
});
