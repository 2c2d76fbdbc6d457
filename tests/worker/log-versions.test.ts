/**
 * Proof that survives a policy change: a visitor decides, ops change a banner text and raise the
 * revision, the visitor decides again; the receipt still shows each decision with the text it was
 * made under, in the visitor's language. The consent endpoints run exactly as the worker mounts
 * them, with the policy of each deploy.
 */
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newConsentId } from '../../src/consent/cookie';
import { consentRoutes } from '../../src/consent/routes';
import type { AppEnv, Bindings } from '../../src/env';
import { consumeConsentLog } from '../../src/log/consumer';
import { decisionLogger } from '../../src/log/decision-hook';
import { LogMessage } from '../../src/log/record';
import { verifiesFingerprint } from '../../src/log/version';
import { type ReceiptJson, receiptRoutes } from '../../src/pages/receipt';
import { type CompiledPolicy, compilePolicy } from '../../src/policy/compile';
import { readVisit } from '../../src/visit';
import { defaultPolicy } from '../support/fixtures';
import { PUBLIC } from './helpers';

const bindings = env as unknown as Bindings;

/** The deployed policy with its own banner texts and revision, as after an ops edit. */
function edited(revision: number, en: string, hi: string): CompiledPolicy {
  const policy = structuredClone(defaultPolicy.policy);
  policy.revision = revision;
  const [english, hindi] = [policy.locales.en, policy.locales.hi];
  if (!english || !hindi) throw new Error('the default policy has en and hi');
  english.banner.body = en;
  hindi.banner.body = hi;
  return compilePolicy(policy);
}

/** The worker's consent routes and receipt under one deploy's policy, middleware as in src/index.ts. */
function deployed(policy: CompiledPolicy) {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('policy', policy);
    c.set('visit', await readVisit(c.req.raw, c.env, policy, c.req.path, Math.floor(Date.now() / 1000)));
    await next();
  });
  app.route('/__consent', consentRoutes({ onDecision: decisionLogger(policy) }));
  app.route('/__consent', receiptRoutes());
  return async (request: Request) => {
    const ctx = createExecutionContext();
    const response = await app.fetch(request, bindings, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
}

const HINDI = { 'accept-language': 'hi-IN,hi;q=0.9,en;q=0.5' };

function bannerChoice(action: string, cookie?: string): Request {
  return new Request(new URL('/__consent', PUBLIC), {
    method: 'POST',
    body: new URLSearchParams([
      ['action', action],
      ['surface', 'banner'],
      ['locale', 'hi'],
      ['return', '/reports'],
    ]),
    headers: { 'sec-fetch-site': 'same-origin', ...HINDI, ...(cookie ? { cookie } : {}) },
    redirect: 'manual',
  });
}

function consentPair(res: Response): string {
  const line = res.headers.getSetCookie().find((l) => l.startsWith('ce_consent=') && !/max-age=0/i.test(l));
  if (!line) throw new Error('no consent cookie');
  return line.split(';')[0] ?? '';
}

function captureQueue(): unknown[] {
  const sent: unknown[] = [];
  vi.spyOn(bindings.CONSENT_QUEUE, 'send').mockImplementation(async (body) => {
    sent.push(body);
    return { metadata: {} } as QueueSendResponse;
  });
  return sent;
}

async function deliver(bodies: unknown[]) {
  const batch = createMessageBatch(
    'consent-log',
    bodies.map((body, i) => ({ id: `v-${i}-${Math.random()}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await consumeConsentLog(batch, bindings);
  return getQueueResult(batch, ctx);
}

afterEach(() => vi.restoreAllMocks());

describe('the receipt after a banner text changed and the revision was raised', () => {
  it('shows the old text for the decision made before, the new one for the decision after, in the language shown', async () => {
    const tag = newConsentId();
    const before = edited(1, `Before the change ${tag}`, `बदलाव से पहले ${tag}`);
    const after = edited(2, `After the change ${tag}`, `बदलाव के बाद ${tag}`);
    const sent = captureQueue();

    // Decided under the first deploy, from the Hindi banner.
    const first = await deployed(before)(bannerChoice('accept-all'));
    expect(first.status).toBe(303);
    // The next deploy raised the revision: asked again, the visitor rejects, twice (a second
    // decision under the same version sends no second copy of it).
    const second = await deployed(after)(bannerChoice('reject-all', consentPair(first)));
    await deployed(after)(bannerChoice('reject-all', consentPair(second)));

    const messages = sent.map((body) => LogMessage.parse(body));
    const versions = messages.flatMap((m) => (m.kind === 'version' ? [m.fingerprint] : []));
    expect(versions).toHaveLength(2);
    expect(new Set(versions).size).toBe(2);
    expect((await deliver(sent)).explicitAcks).toHaveLength(sent.length);

    const receipt = await deployed(after)(
      new Request(new URL('/__consent/receipt', PUBLIC), { headers: { cookie: consentPair(second), accept: 'application/json' } }),
    );
    const body = (await receipt.json()) as ReceiptJson;
    // Newest first. workerd's clock only moves on I/O, so decisions made back to back in a test
    // may share a millisecond: ordered by revision here.
    body.records.sort((a, b) => b.revision - a.revision);
    expect(body.records.map((r) => [r.action, r.revision, r.locale, r.surface])).toEqual([
      ['reject-all', 2, 'hi', 'banner'],
      ['reject-all', 2, 'hi', 'banner'],
      ['accept-all', 1, 'hi', 'banner'],
    ]);
    const [newest, , oldest] = body.records;
    expect(newest?.shown?.locale).toBe('hi');
    expect(newest?.shown?.texts.banner.body).toBe(`बदलाव के बाद ${tag}`);
    expect(oldest?.shown?.texts.banner.body).toBe(`बदलाव से पहले ${tag}`);
    // The cookie table as it was listed, with the categories' Hindi titles.
    expect(oldest?.shown?.texts.categories.find((c) => c.id === 'analytics')?.cookies.map((c) => c.name)).toEqual(
      defaultPolicy.policy.categories.find((c) => c.id === 'analytics')?.cookies.map((c) => c.name),
    );
    expect(oldest?.shown?.texts.categories[0]?.title).toBe(defaultPolicy.policy.categories[0]?.title.hi);

    const page = await (
      await deployed(after)(new Request(new URL('/__consent/receipt', PUBLIC), { headers: { cookie: consentPair(second) } }))
    ).text();
    expect(page).toContain(`बदलाव से पहले ${tag}`);
    expect(page).toContain(`बदलाव के बाद ${tag}`);
    expect(page).not.toContain(`Before the change ${tag}`);
    expect(page).toContain('<dt>Made on</dt><dd>the cookie banner</dd>');
    expect(page).toContain('<dt>Language</dt><dd>हिन्दी (hi)</dd>');
  });

  it('stores policy JSON that hashes to the fingerprint decisions carry', async () => {
    const sent = captureQueue();
    const policy = edited(3, `Checked ${newConsentId()}`, `जाँचा ${newConsentId()}`);
    await deployed(policy)(bannerChoice('accept-all'));
    await deliver(sent);
    const decision = sent.map((b) => LogMessage.parse(b)).find((m) => m.kind === 'decision');
    const row = await bindings.CONSENT_DB.prepare('SELECT fingerprint, policy FROM policy_versions WHERE fingerprint = ?1')
      .bind(decision?.kind === 'decision' ? decision.record.policyHash : '')
      .first<{ fingerprint: string; policy: string }>();
    expect(row).not.toBeNull();
    expect(await verifiesFingerprint({ fingerprint: row?.fingerprint ?? '', policy: row?.policy ?? '' })).toBe(true);
  });
});
