/**
 * Decisions are rate-limited with the Workers Rate Limiting binding, run by Miniflare as
 * wrangler.toml configures it: per consent id and per client address, 429 with
 * Retry-After and nothing recorded past a limit, a real visitor never refused, and no binding
 * (or a failing one) limiting nothing.
 */
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Bindings } from '../../src/env';
import { PUBLIC, send } from './helpers';

const bindings = env as unknown as Bindings;

/** A client address nobody else in this run uses, so each test starts from empty counters. */
const freshAddress = () => `198.51.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

function decision(address: string, cookie = '', overrides: Partial<Bindings> = {}, action = 'save', categories: string[] = ['functional']) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'sec-fetch-site': 'same-origin',
    'cf-connecting-ip': address,
  };
  if (cookie) headers.cookie = cookie;
  return send(
    new Request(`${PUBLIC}/__consent`, { method: 'POST', headers, body: JSON.stringify({ action, categories }) }),
    undefined,
    overrides,
  );
}

const consentPair = (res: Response) => (res.headers.getSetCookie().find((l) => l.startsWith('ce_consent=v1')) ?? '').split(';')[0] ?? '';

/** What the worker hands to the consent-log queue: one message per recorded decision. */
function captureQueue(): unknown[] {
  const sent: unknown[] = [];
  vi.spyOn(bindings.CONSENT_QUEUE, 'send').mockImplementation(async (body) => {
    sent.push(body);
    return { metadata: {} } as QueueSendResponse;
  });
  return sent;
}

afterEach(() => vi.restoreAllMocks());

/**
 * The limiter counts in fixed one-minute windows: a test that needs one window to itself waits
 * for the next one when too little of the current one is left.
 */
async function ownWindow(seconds: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/** `count` decisions from one address, `parallel` at a time, each expected to pass. */
async function many(address: string, count: number, parallel = 50): Promise<void> {
  for (let done = 0; done < count; done += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - done) }, () => decision(address));
    for (const res of await Promise.all(batch)) if (res.status !== 200) throw new Error(`a decision after ${done} answered ${res.status}`);
  }
}

describe('decision rate limits', () => {
  it('refuses the 31st decision of one consent id within a minute with 429 and Retry-After, recording nothing', async () => {
    const sent = captureQueue();
    const address = freshAddress();
    await ownWindow(5);
    const first = await decision(address);
    expect(first.status).toBe(200);
    const cookie = consentPair(first);
    for (let i = 0; i < 30; i++) expect((await decision(address, cookie)).status, `decision ${i + 1}`).toBe(200);
    const before = sent.length;
    const refused = await decision(address, cookie, {}, 'accept-all');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(refused.headers.getSetCookie()).toEqual([]);
    expect(await refused.json()).toMatchObject({ field: 'rate' });
    expect(sent.length).toBe(before);
    // Another visitor on the same address is not affected.
    expect((await decision(address)).status).toBe(200);
  });

  it('lets a carrier-grade NAT address carry a thousand first decisions a minute, then refuses', async () => {
    const sent = captureQueue();
    const address = freshAddress();
    await ownWindow(15);
    await many(address, 1000);
    expect(sent).toHaveLength(1000);
    const refused = await decision(address);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(sent).toHaveLength(1000);
  }, 60_000);

  it('never refuses a real visitor: a whole session of choices, next to hundreds of neighbours on one address', async () => {
    const address = freshAddress();
    captureQueue();
    await ownWindow(10);
    await many(address, 300);
    let cookie = consentPair(await decision(address, '', {}, 'reject-all'));
    const session: [string, string[]][] = [
      ['save', ['functional']],
      ['contextual', ['third-party']],
      ['contextual', ['analytics']],
      ['save', []],
      ['accept-all', []],
      ['withdraw', []],
      ['save', ['functional']],
    ];
    for (const [action, categories] of session) {
      const res = await decision(address, cookie, {}, action, categories);
      expect(res.status, action).toBe(200);
      cookie = consentPair(res) || cookie;
    }
  }, 60_000);

  it('limits nothing without the bindings, and lets decisions through when a limiter fails', async () => {
    captureQueue();
    const address = freshAddress();
    const unbound = { DECISION_LIMIT_CONSENT: undefined, DECISION_LIMIT_ADDRESS: undefined };
    const cookie = consentPair(await decision(address, '', unbound));
    for (let i = 0; i < 35; i++) expect((await decision(address, cookie, unbound)).status).toBe(200);

    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const failing = { limit: () => Promise.reject(new Error('limiter down')) } as unknown as RateLimit;
    const res = await decision(address, cookie, { DECISION_LIMIT_CONSENT: failing, DECISION_LIMIT_ADDRESS: failing });
    expect(res.status).toBe(200);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('"event":"rate-limit.error"'));
  });
});
