/**
 * What the proxy path knows about one request, as plain data: built once per proxied request by
 * the worker's own lane (no router on the hot path), or from Hono's context on the worker's pages.
 */
import type { Context } from 'hono';
import type { AppEnv, Bindings } from '../env';
import type { CompiledPolicy } from '../policy/compile';
import { readVisit, type Visit } from '../visit';

export interface ProxyContext {
  request: Request;
  /** The public URL, parsed once. */
  url: URL;
  env: Bindings;
  /** For background work (the drift report), which outlives the response. */
  ctx: Pick<ExecutionContext, 'waitUntil'>;
  policy: CompiledPolicy;
  visit: Visit;
}

/**
 * Reads the visitor of a proxied request; never throws on a garbled cookie.
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
  const visit = await readVisit(request, env, policy, url.pathname, Math.floor(Date.now() / 1000));
  return { request, url, env, ctx, policy, visit };
}

/** The same, from a Hono route whose middleware has already read the visit. */
export function honoProxyContext(c: Context<AppEnv>): ProxyContext {
  return { request: c.req.raw, url: new URL(c.req.url), env: c.env, ctx: c.executionCtx, policy: c.var.policy, visit: c.var.visit };
}
