/**
 * The receipt against real D1: only the caller's records (by the consent id the cookie carries),
 * JSON or an accessible page, never cached; and the whole path from a decision to its receipt.
 */
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newConsentId } from '../../src/consent/cookie';
import type { ConsentState } from '../../src/consent/state';
import type { AppEnv, Bindings } from '../../src/env';
import { consumeConsentLog } from '../../src/log/consumer';
import { enqueueDecision } from '../../src/log/enqueue';
import { createDecisionRecord, type DecisionRecord } from '../../src/log/record';
import { type ReceiptJson, receiptRoutes } from '../../src/pages/receipt';
import { insertDecisions } from '../../src/log/store';
import { decisionRecord, visitWith } from '../support/fixtures';

const bindings = env as unknown as Bindings;

function state(consentId: string | null): ConsentState {
  return {
    revision: 1,
    decided: consentId !== null,
    categories: { essential: true, functional: true, analytics: false, 'third-party': false },
    gpc: false,
    regime: 'opt-in',
    consentId,
    issuedAt: null,
    expiresAt: null,
  };
}

/** The receipt mounted as src/index.ts mounts it, behind a stand-in for the consent middleware. */
function appFor(consentId: string | null, envOverride: Bindings = bindings) {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('visit', visitWith(state(consentId)));
    await next();
  });
  app.route('/__consent', receiptRoutes());
  return (path: string, headers: Record<string, string> = {}) => app.request(path, { headers }, envOverride);
}

function record(consentId: string, overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  return decisionRecord({ consentId, policyHash: 'c'.repeat(64), country: 'FR', path: '/settings', ...overrides });
}

async function seedTwoVisitors() {
  const mine = newConsentId();
  const theirs = newConsentId();
  const myRecords = [
    record(mine, {
      at: '2026-04-01T09:30:00.000Z',
      action: 'accept-all',
      accepted: ['essential', 'functional', 'analytics', 'third-party'],
      refused: [],
    }),
    record(mine, { at: '2026-04-03T12:00:00.000Z', action: 'save', path: '/reports' }),
  ];
  const theirRecords = [record(theirs, { path: '/their-secret-page', userAgent: 'TheirBrowser/1.0' })];
  await insertDecisions(bindings.CONSENT_DB, [...myRecords, ...theirRecords]);
  return { mine, theirs, myRecords, theirRecords };
}

afterEach(() => vi.restoreAllMocks());

describe('GET /__consent/receipt', () => {
  it("returns only the caller's records as JSON, newest first", async () => {
    const { mine, myRecords } = await seedTwoVisitors();
    const res = await appFor(mine)('/__consent/receipt', { Accept: 'application/json' });

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as ReceiptJson;
    // Their policy version is not in the log: the record says so rather than guessing.
    expect(body).toEqual({ consentId: mine, records: [myRecords[1], myRecords[0]].map((r) => ({ ...r, shown: null })) });
  });

  it('ignores any consent id in the query string', async () => {
    const { mine, theirs } = await seedTwoVisitors();
    const res = await appFor(mine)(`/__consent/receipt?format=json&consentId=${theirs}&consent_id=${theirs}&id=${theirs}`);
    const body = (await res.json()) as ReceiptJson;
    expect(body.records.map((r) => r.consentId)).toEqual([mine, mine]);
  });

  it('renders an accessible page without the other visitor’s data, linked back to preferences', async () => {
    const { mine } = await seedTwoVisitors();
    const res = await appFor(mine)('/__consent/receipt', { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html.startsWith('<!doctype html><html lang="en">')).toBe(true);
    expect(html).toContain(mine);
    expect(html).toContain('<dt>Made on</dt><dd>the cookie banner</dd>');
    expect(html).toContain('Accepted all, <time datetime="2026-04-01T09:30:00.000Z">');
    expect(html).toContain('<time datetime="2026-04-03T12:00:00.000Z">2026-04-03 12:00:00 UTC</time>');
    expect(html).toContain('are not in the consent log, so they cannot be shown here');
    expect(html).toContain('<a href="preferences">');
    expect(html).not.toContain('their-secret-page');
    expect(html).not.toContain('TheirBrowser');
  });

  it('is never cached and carries strict security headers', async () => {
    const res = await appFor(newConsentId())('/__consent/receipt');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('vary')).toContain('Accept');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'nonce-[A-Za-z0-9+/=_-]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(await res.text()).toContain(`<style nonce="${nonce}">`);
  });

  it('says no decision is recorded when there is no consent id, and reads nothing', async () => {
    const prepare = vi.spyOn(bindings.CONSENT_DB, 'prepare');
    const get = appFor(null);

    const json = (await (await get('/__consent/receipt?format=json')).json()) as ReceiptJson;
    expect(json).toEqual({ consentId: null, records: [] });
    const html = await (await get('/__consent/receipt')).text();
    expect(html).toContain('No decision is recorded for this browser.');
    expect(prepare).not.toHaveBeenCalled();
  });

  it('answers 503 with an explanation while D1 is down, never an empty "no decision"', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const down = {
      prepare: () => {
        throw new Error('D1_ERROR: database unavailable');
      },
    } as unknown as D1Database;
    const get = appFor(newConsentId(), { ...bindings, CONSENT_DB: down });

    const res = await get('/__consent/receipt');
    expect(res.status).toBe(503);
    const html = await res.text();
    expect(html).toContain('cannot be read right now');
    expect(html).not.toContain('No decision is recorded');
    expect((await get('/__consent/receipt?format=json')).status).toBe(503);
  });
});

describe('decision to receipt, end to end', () => {
  it('a decision sent through the queue and consumed shows on the receipt exactly once', async () => {
    const sent: unknown[] = [];
    const spy = vi.spyOn(bindings.CONSENT_QUEUE, 'send').mockImplementation(async (body) => {
      sent.push(body);
      return { metadata: {} } as QueueSendResponse;
    });
    const consentId = newConsentId();
    const decision = createDecisionRecord(
      {
        consentId,
        action: 'contextual',
        accepted: ['essential', 'third-party'],
        refused: ['functional', 'analytics'],
        revision: 1,
        policyHash: 'd'.repeat(64),
        regime: 'opt-in',
        country: 'XX',
        gpc: false,
        path: 'https://trackncloak.com/checkout?order=42&email=a@example.com',
        userAgent: 'Mozilla/5.0 (test)',
        locale: 'en',
        surface: 'placeholder',
      },
      new Date('2026-04-05T08:00:00.000Z'),
    );
    const ctx = createExecutionContext();
    enqueueDecision(bindings, ctx, decision);
    await waitOnExecutionContext(ctx);
    spy.mockRestore();
    expect(sent).toHaveLength(1);

    // The queue delivers, and (at least once) redelivers.
    for (const attempts of [1, 2]) {
      const batch = createMessageBatch('consent-log', [{ id: `m-${attempts}`, timestamp: new Date(), attempts, body: sent[0] }]);
      const consumerCtx = createExecutionContext();
      await consumeConsentLog(batch, bindings);
      expect((await getQueueResult(batch, consumerCtx)).explicitAcks).toEqual([`m-${attempts}`]);
    }

    const body = (await (await appFor(consentId)('/__consent/receipt?format=json')).json()) as ReceiptJson;
    expect(body.records).toEqual([{ ...decision, path: '/checkout', country: null, at: '2026-04-05T08:00:00.000Z', shown: null }]);
  });
});
