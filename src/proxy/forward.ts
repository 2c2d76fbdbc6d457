/**
 * Sends one request to the origin and returns its response as the client should see it:
 * streamed both ways, redirects not followed, hop-by-hop fields dropped, 502/504 when the origin
 * fails (docs/failures.md). The response it returns may have immutable headers (a fetched response).
 */
import { forwardHeaders, hopByHopPresent, publicLocation } from './headers';

export interface ForwardInput {
  request: Request;
  /** The public URL (parsed once by the caller). */
  url: URL;
  /** Origin base URL; empty means the request's own URL (route mode). */
  origin: string;
  timeoutMs: number;
  cookie: string | null;
  /** `If-None-Match` to forward; null removes it. */
  ifNoneMatch: string | null;
  /** `If-Modified-Since` to forward; null removes it. */
  ifModifiedSince: string | null;
  consentCategories: string;
}

const TIMED_OUT = Symbol('timed out');

export type ForwardResult = { ok: true; response: Response } | { ok: false; status: 502 | 504; reason: string };

/**
 * The origin URL for a request: path and query exactly as the runtime's URL parser yields them
 * (`//`, `%2F` and other escapes kept; the parser itself folds `..`).
 * @example
 * originUrl(new URL('https://x.com//a%2Fb?q=1'), 'http://127.0.0.1:8788') // 'http://127.0.0.1:8788//a%2Fb?q=1'
 */
export function originUrl(url: URL, origin: string): string {
  if (!origin) return url.href;
  return `${origin.replace(/\/+$/, '')}${url.pathname}${url.search}`;
}

/** Forwards the request; never throws. */
export async function forwardToOrigin(input: ForwardInput): Promise<ForwardResult> {
  const { request, url } = input;
  const target = originUrl(url, input.origin);
  const headers = forwardHeaders({
    headers: request.headers,
    url,
    cookie: input.cookie,
    consentCategories: input.consentCategories,
    clientIp: request.headers.get('cf-connecting-ip'),
  });
  if (input.ifNoneMatch) headers.set('if-none-match', input.ifNoneMatch);
  else headers.delete('if-none-match');
  if (input.ifModifiedSince) headers.set('if-modified-since', input.ifModifiedSince);
  else headers.delete('if-modified-since');
  const method = request.method;
  const hasBody = method !== 'GET' && method !== 'HEAD' && request.body !== null;
  // The timeout covers the wait for response headers only; a slow body keeps streaming. The
  // timer is the runtime's own (`scheduler.wait`) raced against the fetch, with no AbortSignal:
  // wiring a signal into every subrequest costs about 30 µs, and a subrequest still pending when
  // the 504 has been answered is cancelled by the runtime with the request. The timer is never
  // cleared: once the headers are in, it settles into nothing (or is dropped with the request).
  let response: Response | typeof TIMED_OUT;
  try {
    const pending = fetch(target, { method, headers, body: hasBody ? request.body : null, redirect: 'manual' });
    // After a timeout, the abandoned subrequest fails when the runtime cancels it: not an error.
    pending.catch(() => {});
    response = await Promise.race([pending, scheduler.wait(input.timeoutMs).then((): typeof TIMED_OUT => TIMED_OUT)]);
  } catch (error) {
    return { ok: false, status: 502, reason: String(error) };
  }
  if (response === TIMED_OUT) return { ok: false, status: 504, reason: `no response within ${input.timeoutMs} ms` };
  if (response.webSocket) return { ok: true, response };

  // Most responses need no change here: they pass as fetched, without a copy.
  const fetched = response.headers;
  const hopByHop = hopByHopPresent(fetched);
  const location = input.origin ? fetched.get('location') : null;
  const publicTarget = location ? publicLocation(location, new URL(input.origin), url) : location;
  if (!hopByHop.length && publicTarget === location) return { ok: true, response };
  const out = new Headers(fetched);
  for (const name of hopByHop) out.delete(name);
  if (publicTarget) out.set('location', publicTarget);
  return {
    ok: true,
    response: new Response(response.body, { status: response.status, statusText: response.statusText, headers: out }),
  };
}
