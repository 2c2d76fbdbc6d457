/**
 * The whole proof-of-consent path through the real worker (src/index.ts): each consent endpoint
 * decision sends exactly one record, the consumer stores it, the receipt shows it; and a consent
 * log that is down never fails the visitor's response.
 */
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Bindings } from '../../src/env';
import { consumeConsentLog } from '../../src/log/consumer';
import type { ReceiptJson } from '../../src/pages/receipt';
import { type DecisionRecord, LogMessage } from '../../src/log/record';
import { insertVersions } from '../../src/log/store';
import { policyVersion } from '../../src/log/version';
import { policyHash } from '../../src/policy/digest';
import { deployedPolicy } from '../../src/policy/load';
import worker from '../../src/index';
import { MINIFLARE_PLACEHOLDER_CF } from '../support/fixtures';
import { origin, PUBLIC, send } from './helpers';

const bindings = env as unknown as Bindings;
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin', origin: PUBLIC };
const UA = 'Mozilla/5.0 (X11; Linux x86_64) ConsentEdgeTest/1.0';
const BERLIN = { country: 'DE', regionCode: 'BE' } as IncomingRequestCfProperties;

function post(body: URLSearchParams | string, headers: Record<string, string>, cookie?: string): Request {
  return new Request(new URL('/__consent', PUBLIC), {
    method: 'POST',
    body,
    headers: { ...SAME_ORIGIN, 'user-agent': UA, referer: `${PUBLIC}/reports?period=7d`, ...headers, ...(cookie ? { cookie } : {}) },
    redirect: 'manual',
    cf: BERLIN,
  } as RequestInit);
}

const form = (fields: [string, string][], cookie?: string) => post(new URLSearchParams(fields), {}, cookie);
const json = (body: unknown, headers: Record<string, string> = {}, cookie?: string) =>
  post(JSON.stringify(body), { 'content-type': 'application/json', ...headers }, cookie);

function consentPair(res: Response): string {
  const line = res.headers.getSetCookie().find((l) => l.startsWith('ce_consent=') && !/max-age=0/i.test(l));
  if (!line) throw new Error(`no consent cookie in ${JSON.stringify(res.headers.getSetCookie())}`);
  return line.split(';')[0] ?? '';
}

/** Captures what the worker sends to the consent-log queue. */
function captureQueue() {
  const sent: unknown[] = [];
  vi.spyOn(bindings.CONSENT_QUEUE, 'send').mockImplementation(async (body) => {
    sent.push(body);
    return { metadata: {} } as QueueSendResponse;
  });
  return sent;
}

/** The decision records among captured messages (the first decision of an isolate also sends its policy version). */
function decisionsIn(sent: unknown[]): DecisionRecord[] {
  return sent.flatMap((body) => {
    const message = LogMessage.parse(body);
    return message.kind === 'decision' ? [message.record] : [];
  });
}

/** Delivers captured messages to the consumer, as the queue would. */
async function deliver(bodies: unknown[]) {
  const batch = createMessageBatch(
    'consent-log',
    bodies.map((body, i) => ({ id: `endpoint-${i}-${Math.random()}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await consumeConsentLog(batch, bindings);
  return getQueueResult(batch, ctx);
}

async function receipt(cookie: string): Promise<ReceiptJson> {
  const res = await send(new Request(new URL('/__consent/receipt', PUBLIC), { headers: { cookie, accept: 'application/json' } }));
  expect(res.status).toBe(200);
  return (await res.json()) as ReceiptJson;
}

afterEach(() => vi.restoreAllMocks());

describe('consent endpoints write the consent log', () => {
  it('each decision sends exactly one record with the right fields, and the receipt shows them', async () => {
    const sent = captureQueue();
    const hash = await policyHash(deployedPolicy().policy);

    const accepted = await send(
      form([
        ['action', 'accept-all'],
        ['return', '/reports'],
      ]),
    );
    expect(accepted.status).toBe(303);
    expect(decisionsIn(sent)).toHaveLength(1);
    const cookie = consentPair(accepted);

    const saved = await send(json({ action: 'save', categories: ['functional'] }, { 'sec-gpc': '1' }, cookie));
    expect(saved.status).toBe(200);
    expect(decisionsIn(sent)).toHaveLength(2);

    const records = decisionsIn(sent);
    const [first, second] = records as [DecisionRecord, DecisionRecord];
    expect(first).toMatchObject({
      action: 'accept-all',
      // A form that names neither is a client of the endpoint, in the negotiated language.
      surface: 'api',
      locale: 'en',
      accepted: ['essential', 'functional', 'analytics', 'third-party'],
      refused: [],
      revision: deployedPolicy().policy.revision,
      policyHash: hash,
      regime: 'opt-in',
      country: 'DE',
      gpc: false,
      path: '/reports',
      userAgent: UA,
    });
    expect(second).toMatchObject({
      action: 'save',
      accepted: ['essential', 'functional'],
      refused: ['analytics', 'third-party'],
      gpc: true,
    });
    expect(second.consentId).toBe(first.consentId);
    expect(second.id).not.toBe(first.id);
    expect(JSON.stringify(records)).not.toMatch(/\b\d{1,3}(\.\d{1,3}){3}\b/);

    // Delivered twice (at-least-once): still one row per decision.
    expect((await deliver(sent)).explicitAcks).toHaveLength(sent.length);
    await deliver(sent);
    await insertVersions(bindings.CONSENT_DB, [await policyVersion(deployedPolicy())], new Date());
    const body = await receipt(consentPair(saved));
    expect(body.consentId).toBe(first.consentId);
    expect(body.records.map((r) => r.id).sort()).toEqual([first.id, second.id].sort());
    const { shown, ...stored } = body.records.find((r) => r.id === first.id) ?? { shown: null };
    expect(stored).toEqual(first);
    expect(shown?.texts.banner.body).toBe(deployedPolicy().policy.locales.en?.banner.body);
  });

  it('records a withdrawal under the consent id it withdraws', async () => {
    const sent = captureQueue();
    const cookie = consentPair(await send(form([['action', 'accept-all']])));
    const withdrawn = await send(
      new Request(new URL('/__consent', PUBLIC), { method: 'DELETE', headers: { ...SAME_ORIGIN, cookie }, cf: BERLIN } as RequestInit),
    );
    expect(withdrawn.status).toBeLessThan(400);
    const [given, withdrawal] = decisionsIn(sent) as [DecisionRecord, DecisionRecord];
    expect(decisionsIn(sent)).toHaveLength(2);
    expect(withdrawal).toMatchObject({ action: 'withdraw', consentId: given.consentId, accepted: ['essential'] });
  });

  it('records where each choice was made and the language its texts were shown in', async () => {
    const sent = captureQueue();
    const hindi = { 'accept-language': 'hi-IN,hi;q=0.9' };
    await send(
      form([
        ['action', 'reject-all'],
        ['surface', 'banner'],
        ['locale', 'hi'],
      ]),
    );
    await send(
      form([
        ['action', 'save'],
        ['category', 'functional'],
        ['surface', 'page'],
        ['locale', 'en'],
      ]),
    );
    await send(json({ action: 'save', categories: [], surface: 'dialog', locale: 'hi' }));
    await send(json({ action: 'contextual', categories: ['third-party'], surface: 'placeholder' }, hindi));
    // A locale the policy does not have is not recorded as shown: the negotiated one is.
    await send(json({ action: 'accept-all', locale: 'fr' }, hindi));
    expect(decisionsIn(sent).map((r) => [r.surface, r.locale])).toEqual([
      ['banner', 'hi'],
      ['page', 'en'],
      ['dialog', 'hi'],
      ['placeholder', 'hi'],
      ['api', 'hi'],
    ]);
  });

  it("records no country where the runtime has no real location (Miniflare's placeholder)", async () => {
    const sent = captureQueue();
    const request = new Request(new URL('/__consent', PUBLIC), {
      method: 'POST',
      body: new URLSearchParams([['action', 'accept-all']]),
      headers: SAME_ORIGIN,
      redirect: 'manual',
      cf: MINIFLARE_PLACEHOLDER_CF,
    } as RequestInit);
    expect((await send(request)).status).toBe(303);
    expect(decisionsIn(sent)[0]?.country).toBeNull();
  });

  it('refuses a surface it does not know, naming the field, and records nothing', async () => {
    const sent = captureQueue();
    const res = await send(json({ action: 'accept-all', surface: 'popup' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'surface' });
    expect(decisionsIn(sent)).toEqual([]);
  });
});

describe('a consent log that is down', () => {
  it('leaves the visitor’s response intact and falls back to a direct D1 write', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(bindings.CONSENT_QUEUE, 'send').mockRejectedValue(new Error('Queue send failed: 503'));

    // Timed by hand: the response must not wait for the queue retries (50 ms + 250 ms).
    const ctx = createExecutionContext();
    const started = Date.now();
    const res = await worker.fetch(
      form([
        ['action', 'reject-all'],
        ['return', '/'],
      ]) as Request<unknown, IncomingRequestCfProperties>,
      { ...bindings, ORIGIN: origin() },
      ctx,
    );
    const answeredAfter = Date.now() - started;
    await waitOnExecutionContext(ctx);
    const loggedAfter = Date.now() - started;
    expect(res.status).toBe(303);
    expect(loggedAfter - answeredAfter).toBeGreaterThanOrEqual(300);
    expect(answeredAfter).toBeLessThan(300);
    expect(res.headers.get('location')).toBe('/');
    const body = await receipt(consentPair(res));
    expect(body.records.map((r) => r.action)).toEqual(['reject-all']);
  });

  it('with both the queue and D1 down, still answers and logs the full record', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(bindings.CONSENT_QUEUE, 'send').mockRejectedValue(new Error('Queue send failed: 503'));
    const down = {
      prepare: () => {
        throw new Error('D1_ERROR: database unavailable');
      },
      batch: () => Promise.reject(new Error('D1_ERROR: database unavailable')),
    } as unknown as D1Database;

    const res = await send(
      form([
        ['action', 'accept-all'],
        ['return', '/'],
      ]),
      undefined,
      { CONSENT_DB: down },
    );
    expect(res.status).toBe(303);
    const line = error.mock.calls.map(([l]) => String(l)).find((l) => l.includes('consent-log.unrecorded'));
    expect(JSON.parse(line ?? '{}').record).toMatchObject({ action: 'accept-all', country: 'DE', userAgent: UA });
  });
});
