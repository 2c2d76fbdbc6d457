/**
 * The catch-all route: everything that is not the worker's own goes to the origin and comes back
 * with consent enforced (SPEC §1, §5, §7).
 */
import type { Context } from 'hono';
import { allowedCategories } from '../consent/state';
import type { AppEnv } from '../env';
import { enforceRequest, enforceResponse, enforceUpgrade } from './enforce';
import { originErrorResponse } from './error-page';
import { forwardToOrigin } from './forward';
import { isReservedPath } from './reserved';

const DEFAULT_TIMEOUT_MS = 15_000;

export function timeoutFrom(value: string | undefined): number {
  const ms = Number(value);
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_TIMEOUT_MS;
}

/** Proxies one request to the origin with consent enforced both ways. */
export async function proxyRequest(c: Context<AppEnv>): Promise<Response> {
  const url = new URL(c.req.url);
  const { prefix, policyPage } = c.get('policy').policy.paths;
  // However a client spells them (case, %2F, `;`, slashes), the worker's paths stay here.
  if (isReservedPath(url.pathname, prefix, policyPage)) return c.json({ error: `no such endpoint: ${c.req.path}` }, 404);
  const enforcement = enforceRequest(c);
  const result = await forwardToOrigin({
    request: c.req.raw,
    url,
    origin: c.env.ORIGIN ?? '',
    timeoutMs: timeoutFrom(c.env.ORIGIN_TIMEOUT_MS),
    cookie: enforcement.cookies.forward,
    ifNoneMatch: enforcement.conditionals.ifNoneMatch,
    ifModifiedSince: enforcement.conditionals.ifModifiedSince,
    consentCategories: allowedCategories(c.get('consent')).join(', '),
  });
  if (!result.ok) {
    console.error(JSON.stringify({ event: 'origin.error', status: result.status, path: url.pathname, reason: result.reason }));
    return originErrorResponse(result.status);
  }
  if (result.response.status === 101) return enforceUpgrade(c, result.response);
  return enforceResponse(c, result.response, enforcement, url);
}
