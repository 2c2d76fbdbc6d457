/**
 * The proxy lane: everything that is not the worker's own goes to the origin and comes back
 * with consent enforced (docs/architecture.md, docs/enforcement.md, docs/failures.md).
 */
import { allowedCategories } from '../consent/state';
import type { ProxyContext } from './context';
import { enforceRequest, enforceResponse, enforceUpgrade } from './enforce';
import { originErrorResponse } from './error-page';
import { forwardToOrigin } from './forward';

const DEFAULT_TIMEOUT_MS = 15_000;

export function timeoutFrom(value: string | undefined): number {
  const ms = Number(value);
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_TIMEOUT_MS;
}

/** Proxies one request to the origin with consent enforced both ways. */
export async function proxyRequest(p: ProxyContext): Promise<Response> {
  // A first-party endpoint that serves only a refused category (a tracking beacon) is answered
  // here: the origin never hears of it, and the page code gets an ordinary empty answer.
  const endpoint = p.policy.classifyEndpoint(p.url);
  if (endpoint && !p.visit.allowed.has(endpoint)) {
    console.log(JSON.stringify({ event: 'endpoint.blocked', path: p.url.pathname, category: endpoint, method: p.request.method }));
    return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
  }
  const enforcement = enforceRequest(p);
  const result = await forwardToOrigin({
    request: p.request,
    url: p.url,
    origin: p.env.ORIGIN ?? '',
    timeoutMs: timeoutFrom(p.env.ORIGIN_TIMEOUT_MS),
    cookie: enforcement.cookies.forward,
    ifNoneMatch: enforcement.conditionals.ifNoneMatch,
    ifModifiedSince: enforcement.conditionals.ifModifiedSince,
    consentCategories: allowedCategories(p.visit.consent).join(', '),
  });
  if (!result.ok) {
    console.error(JSON.stringify({ event: 'origin.error', status: result.status, path: p.url.pathname, reason: result.reason }));
    return originErrorResponse(result.status);
  }
  if (result.response.status === 101) return enforceUpgrade(p, result.response);
  return enforceResponse(p, result.response, enforcement);
}
