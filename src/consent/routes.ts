/**
 * The consent endpoints (docs/enforcement.md): read the state, record a decision (form or JSON), withdraw.
 * Mounted under the policy's prefix (default `/__consent`).
 */
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type * as z from '../policy/zod';
import type { AppEnv } from '../env';
import { CategoryId } from '../policy/schema';
import { ACTIONS, type Action, applyAction, FormDecision, isSameOriginWrite, JsonDecision, type Surface, safeReturnPath } from './actions';
import { newConsentId } from './cookie';
import { checkDecisionLimits } from './rate-limit';
import { decideConsent } from './decide';
import { consentSecrets, requestLocation } from './request';
import { consentCookieHeaders } from './set-cookie';
import { allowedCategories } from './state';

/** Largest decision body accepted: a form with every category fits in a few hundred bytes. */
export const MAX_BODY_BYTES = 4096;

/** A 4xx answer naming the field at fault. */
export function badRequest(
  c: Context<AppEnv>,
  status: 400 | 403 | 413 | 429 | 503,
  field: string,
  message: string,
  headers: Record<string, string> = {},
) {
  return c.json({ error: message, field }, status, { 'cache-control': 'no-store', ...headers });
}

function firstIssue(error: z.core.$ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  const field = issue?.path.length
    ? issue.path.map(String).join('.')
    : issue?.code === 'unrecognized_keys'
      ? (issue.keys[0] ?? 'body')
      : 'body';
  if (issue?.code === 'unrecognized_keys')
    return { field: issue.keys.join(','), message: `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}` };
  if (field === 'action') return { field, message: `"action" must be one of ${ACTIONS.join(', ')}` };
  if (field.startsWith('categor')) return { field, message: `unknown category; expected ${CategoryId.options.join(', ')}` };
  return { field, message: `${field}: ${issue?.message ?? 'invalid'}` };
}

interface ParsedDecision {
  action: Action;
  categories: CategoryId[];
  returnTo: string | undefined;
  form: boolean;
  surface: Surface | undefined;
  locale: string | undefined;
}

type Parsed = ({ ok: true } & ParsedDecision) | { ok: false; response: Response };

async function parseDecision(c: Context<AppEnv>, forcedAction?: Action): Promise<Parsed> {
  // DELETE needs no body, and clients differ: none, an empty one, `Content-Length: 0`, a default
  // text/plain type. (Hono caches the text, so the parsers below can still read it.)
  if (forcedAction && (await c.req.text()) === '') {
    return { ok: true, action: forcedAction, categories: [], returnTo: undefined, form: false, surface: undefined, locale: undefined };
  }
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return { ok: false, response: badRequest(c, 400, 'body', 'malformed JSON body') };
    }
    // A forced action (DELETE) comes last so the body cannot turn a withdrawal into another decision.
    const parsed = JsonDecision.safeParse(
      forcedAction && body !== null && typeof body === 'object' ? { ...body, action: forcedAction } : body,
    );
    if (!parsed.success) {
      const { field, message } = firstIssue(parsed.error);
      return { ok: false, response: badRequest(c, 400, field, message) };
    }
    const { action, categories, surface, locale } = parsed.data;
    return { ok: true, action, categories, returnTo: parsed.data.return, form: false, surface, locale };
  }
  if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    let body: Record<string, unknown>;
    try {
      body = await c.req.parseBody({ all: true });
    } catch {
      return { ok: false, response: badRequest(c, 400, 'body', 'malformed form body') };
    }
    const parsed = FormDecision.safeParse(forcedAction ? { ...body, action: forcedAction } : body);
    if (!parsed.success) {
      const { field, message } = firstIssue(parsed.error);
      return { ok: false, response: badRequest(c, 400, field, message) };
    }
    const category = parsed.data.category;
    const categories = category === undefined ? [] : Array.isArray(category) ? category : [category];
    const { action, surface, locale } = parsed.data;
    return { ok: true, action, categories, returnTo: parsed.data.return, form: true, surface, locale };
  }
  return {
    ok: false,
    response: badRequest(
      c,
      400,
      'content-type',
      `content-type must be application/json or application/x-www-form-urlencoded, not "${type || 'none'}"`,
    ),
  };
}

/** Hooks the worker shell supplies: logging a decision, expiring withdrawn cookies. */
export interface DecisionHooks {
  onDecision?(c: Context<AppEnv>, record: DecisionEvent): void;
  /** Set-Cookie lines that expire the browser's cookies of the refused categories. */
  expireRefused?(c: Context<AppEnv>, refused: CategoryId[]): string[];
}

export interface DecisionEvent {
  action: Action;
  /** Where the choice was made; `api` when the client did not say. */
  surface: Surface;
  /** The locale the choice was shown in: the one the form or banner.js names, else the negotiated one. */
  locale: string;
  decisionId: string;
  consentId: string;
  accepted: CategoryId[];
  refused: CategoryId[];
  gpc: boolean;
  /** Unix seconds: the consent cookie's issue time. */
  now: number;
  /** Unix milliseconds: when the decision was made, so two within a second keep their order. */
  at: number;
}

/**
 * The routes, to mount under the prefix.
 * @example
 * app.route('/__consent', consentRoutes({ onDecision: logIt }))
 */
export function consentRoutes(hooks: DecisionHooks = {}): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/', (c) => {
    const state = c.var.visit.consent;
    return c.json(state, 200, { 'cache-control': 'private, no-store', vary: 'Cookie' });
  });

  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => badRequest(c as Context<AppEnv>, 413, 'body', `body larger than ${MAX_BODY_BYTES} bytes`),
  });

  const decide = (forced?: Action) => async (c: Context<AppEnv>) => {
    const url = new URL(c.req.url);
    if (!isSameOriginWrite(c.req.raw.headers, url)) {
      return badRequest(c, 403, 'origin', 'cross-site consent writes are refused (Sec-Fetch-Site/Origin/Referer)');
    }
    const parsed = await parseDecision(c, forced);
    if (!parsed.ok) return parsed.response;
    const secrets = consentSecrets(c.env);
    const { visit, policy } = c.var;
    if (!secrets) return badRequest(c, 503, 'CONSENT_SECRET', visit.consent.error ?? 'consent secret missing');
    const limited = await checkDecisionLimits(
      { consent: c.env.DECISION_LIMIT_CONSENT, address: c.env.DECISION_LIMIT_ADDRESS },
      { consentId: visit.prior?.id ?? null, address: c.req.header('cf-connecting-ip') ?? null },
      (error) => console.error(JSON.stringify({ event: 'rate-limit.error', error: String(error) })),
    );
    if (!limited.ok) {
      console.log(JSON.stringify({ event: 'decision.rate-limited', by: limited.by, path: url.pathname }));
      return badRequest(
        c,
        429,
        'rate',
        `too many decisions from this ${limited.by === 'consent' ? 'visitor' : 'address'}; try again later`,
        {
          'retry-after': String(limited.retryAfter),
        },
      );
    }

    const before = visit.consent;
    const at = Date.now();
    const now = Math.floor(at / 1000);
    const gpc = before.gpc;
    const outcome = applyAction({
      policy,
      action: parsed.action,
      categories: parsed.categories,
      prior: visit.prior,
      allowedBefore: allowedCategories(before),
      gpc,
      now,
      newId: newConsentId,
      regime: before.regime,
    });
    const headers = new Headers({ 'cache-control': 'no-store' });
    for (const line of await consentCookieHeaders(policy, url, outcome.decision, secrets.current)) headers.append('set-cookie', line);
    const expired = parsed.action === 'withdraw' || outcome.refused.length ? (hooks.expireRefused?.(c, outcome.refused) ?? []) : [];
    for (const line of expired) headers.append('set-cookie', line);
    // A withdrawal is logged under the id it withdraws, even when an opt-out refusal gets a new one.
    const withdrawn = parsed.action === 'withdraw' ? visit.prior?.id : undefined;
    const consentId = withdrawn ?? outcome.decision?.id ?? visit.prior?.id ?? before.consentId ?? newConsentId();
    hooks.onDecision?.(c, {
      action: parsed.action,
      surface: parsed.surface ?? 'api',
      locale: parsed.locale && Object.hasOwn(policy.policy.locales, parsed.locale) ? parsed.locale : visit.locale,
      decisionId: newConsentId(),
      consentId,
      accepted: outcome.accepted,
      refused: outcome.refused,
      gpc,
      now,
      at,
    });

    if (parsed.form) {
      headers.set('location', safeReturnPath(parsed.returnTo));
      return new Response(null, { status: 303, headers });
    }
    const state = decideConsent({ policy, decision: outcome.decision, gpc, location: requestLocation(c.req.raw), now });
    headers.set('content-type', 'application/json');
    return new Response(JSON.stringify(state), { status: 200, headers });
  };

  routes.post('/', limit, decide());
  routes.delete('/', limit, decide('withdraw'));
  return routes;
}
