/**
 * The catch-all route: everything that is not the worker's own goes to the origin and comes back
 * with consent enforced (SPEC §1, §5, §7).
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { allowedCategories } from '../consent/state';
import { originErrorResponse } from './error-page';
import { forwardToOrigin } from './forward';

const DEFAULT_TIMEOUT_MS = 15_000;

/** Hooks that enforce consent on the way in and out; each must never throw. */
export interface ProxyHooks {
  /** The `Cookie` header to forward (filtered). */
  requestCookie(c: Context<AppEnv>): string | null;
  /** Enforces consent on the origin's response (Set-Cookie, HTML); returns what the visitor gets. */
  response(c: Context<AppEnv>, response: Response): Response | Promise<Response>;
}

export function timeoutFrom(value: string | undefined): number {
  const ms = Number(value);
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_TIMEOUT_MS;
}

/** Builds the proxy route handler. */
export function proxyHandler(hooks: ProxyHooks) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const url = new URL(c.req.url);
    const result = await forwardToOrigin({
      request: c.req.raw,
      url,
      origin: c.env.ORIGIN ?? '',
      timeoutMs: timeoutFrom(c.env.ORIGIN_TIMEOUT_MS),
      cookie: hooks.requestCookie(c),
      consentCategories: allowedCategories(c.get('consent')).join(', '),
    });
    if (!result.ok) {
      console.error(JSON.stringify({ level: 'error', event: 'origin', status: result.status, path: url.pathname, reason: result.reason }));
      return originErrorResponse(result.status);
    }
    if (result.response.status === 101) return result.response;
    return hooks.response(c, result.response);
  };
}
