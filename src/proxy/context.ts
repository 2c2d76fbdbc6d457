/**
 * What the proxy path knows about one request, as plain data: built once per proxied request by
 * the worker's own lane (no router on the hot path), or from Hono's context on the worker's pages.
 */
import type { Context } from 'hono';
import type { ConsentDecision } from '../consent/cookie';
import { readRequestConsent } from '../consent/request';
import type { ConsentState } from '../consent/state';
import type { AppEnv, Bindings } from '../env';
import type { CompiledPolicy } from '../policy/compile';
import { pickLocale } from '../policy/locale';

export interface ProxyContext {
  request: Request;
  /** The public URL, parsed once. */
  url: URL;
  env: Bindings;
  /** For background work (the drift report), which outlives the response. */
  ctx: Pick<ExecutionContext, 'waitUntil'>;
  policy: CompiledPolicy;
  consent: ConsentState;
  /** The verified consent cookie, even for an outdated revision (its id survives). */
  priorDecision: ConsentDecision | null;
  /** The cookie was signed with CONSENT_SECRET_PREVIOUS: re-sign it with the current key. */
  resign: boolean;
  /** Interface language from `Accept-Language`: asked for only when a page is rewritten. */
  locale(): string;
}

/** The interface language of a request (a key of `policy.locales`). */
export function requestLocale(request: Request, policy: CompiledPolicy): string {
  const { locales, defaultLocale } = policy.policy;
  return pickLocale(request.headers.get('accept-language') ?? undefined, Object.keys(locales), defaultLocale);
}

/**
 * Reads the visitor's consent for a proxied request; never throws on a garbled cookie.
 * @example
 * const p = await proxyContext(request, env, ctx, policy, new URL(request.url));
 */
export async function proxyContext(
  request: Request,
  env: Bindings,
  ctx: Pick<ExecutionContext, 'waitUntil'>,
  policy: CompiledPolicy,
  url: URL,
): Promise<ProxyContext> {
  const { state, verified } = await readRequestConsent(request, env, policy, Math.floor(Date.now() / 1000));
  let locale: string | undefined;
  return {
    request,
    url,
    env,
    ctx,
    policy,
    consent: state,
    priorDecision: verified?.decision ?? null,
    resign: verified?.signedWith === 'previous',
    locale: () => {
      locale ??= requestLocale(request, policy);
      return locale;
    },
  };
}

/** The same, from a Hono route whose middleware has already read the consent. */
export function honoProxyContext(c: Context<AppEnv>): ProxyContext {
  const locale = c.get('locale');
  return {
    request: c.req.raw,
    url: new URL(c.req.url),
    env: c.env,
    ctx: c.executionCtx,
    policy: c.get('policy'),
    consent: c.get('consent'),
    priorDecision: c.get('priorDecision'),
    resign: c.get('resign'),
    locale: () => locale,
  };
}
