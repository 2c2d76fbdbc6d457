/**
 * Consent enforcement on proxied traffic (docs/enforcement.md): the `Cookie` header on the way in; the
 * `Set-Cookie` headers, expiry of refused cookies and the HTML stream on the way out. Cookies fail
 * closed (strip what cannot be classified); content fails open (the page is still served).
 */
import type { MiddlewareHandler } from 'hono';
import { bodyMarkup, headMarkup } from '../banner/markup';
import { consentSecrets } from '../consent/request';
import { consentCookieHeaders } from '../consent/set-cookie';
import { type CookieHeaderVerdict, expireRefusedCookies, filterSetCookies, shouldExpireOnRequest } from '../cookies';
import type { AppEnv } from '../env';
import { scriptNonce, styleNonce } from '../html/csp';
import { feedRewriter } from '../html/feed';
import { holdsNothing, InertGate, refusedTags, tagVerdict } from '../html/inert';
import { htmlEligibility } from '../html/eligibility';
import { rewriteHtml, wantsPlaceholder } from '../html/rewriter';
import { spliceHtml, spliceWhole } from '../html/splice';
import { type OriginConditionals, originConditionals, rewrittenHeaders, stateEtag, stateTag } from '../html/validators';
import { noteUndeclared } from '../log/drift';
import { placeholderMarkup } from '../banner/placeholder';
import { resolveUrl } from '../core/url';
import { honoProxyContext, type ProxyContext } from './context';
import { originErrorResponse } from './error-page';

/** The charset a Content-Type names, if any (the rewriter reads the page in it). */
function charsetOf(type: string | null): string | undefined {
  return /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(type ?? '')?.[1];
}

/** Browsers keep about 180 cookies per domain; more refused names than this is not a browser. */
const MAX_EXPIRED_PER_RESPONSE = 64;

const log = (event: string, fields: Record<string, unknown>) => console.log(JSON.stringify({ event, ...fields }));

/** What the request side decided, for the response side. */
export interface RequestEnforcement {
  cookies: CookieHeaderVerdict;
  /** `If-None-Match` to forward (the worker's state suffix taken off). */
  conditionals: OriginConditionals;
  /** The consent-state tag of validators; computed only when a validator needs it. */
  tag(): string;
}

/**
 * The answer when the origin's body failed before any byte of the page could be sent (a reset
 * after its headers): a 502 page, as when the origin cannot be reached.
 */
function originBodyFailed(path: string, error: unknown): Response {
  console.error(
    JSON.stringify({ event: 'origin.error', status: 502, path, reason: `body failed before any byte was sent: ${String(error)}` }),
  );
  return originErrorResponse(502);
}

/** The visit's verdict on the `Cookie` header, with undeclared cookies reported. Never throws. */
function requestCookies(p: ProxyContext): CookieHeaderVerdict {
  const cookies = p.visit.cookies;
  if (cookies.undeclared.length) noteUndeclared(p.env, p.ctx, cookies.undeclared, 'cookie', p.url.pathname);
  return cookies;
}

/** Filters the request's `Cookie` header and validators before forwarding. Never throws. */
export function enforceRequest(p: ProxyContext): RequestEnforcement {
  let value: string | undefined;
  const tag = () => {
    value ??= stateTag(p.visit.consent, p.visit.locale, p.policy.markupVersion);
    return value;
  };
  return { cookies: requestCookies(p), conditionals: originConditionals(p.request.headers, tag), tag };
}

/** Filters a response's `Set-Cookie` headers in place, one by one; on any error none pass. */
function filterResponseSetCookies(p: ProxyContext, headers: Headers): void {
  const path = p.url.pathname;
  try {
    const list = headers.getSetCookie();
    if (!list.length) return;
    const verdict = filterSetCookies(list, p.visit.allowed, p.policy, Date.now());
    headers.delete('set-cookie');
    for (const line of verdict.pass) headers.append('set-cookie', line);
    if (verdict.blocked.length) log('set-cookie.blocked', { path, blocked: verdict.blocked });
    const undeclared = verdict.undeclared.filter(Boolean);
    if (undeclared.length) noteUndeclared(p.env, p.ctx, undeclared, 'set-cookie', path);
  } catch (error) {
    headers.delete('set-cookie');
    log('set-cookie.error', { path, error: String(error) });
  }
}

/**
 * A WebSocket handshake answer (101) can set cookies too, and browsers store them, so its
 * `Set-Cookie` headers are filtered like any other response's; the socket passes untouched.
 * @example
 * if (response.status === 101) return enforceUpgrade(p, response);
 */
export function enforceUpgrade(p: ProxyContext, response: Response): Response {
  if (!response.headers.has('set-cookie')) return response;
  // A fetched response's headers are immutable: filter a copy.
  const headers = new Headers(response.headers);
  filterResponseSetCookies(p, headers);
  return new Response(null, { status: response.status, statusText: response.statusText, headers, webSocket: response.webSocket });
}

/** Whether this request's response needs cookie upkeep (see `appendCookieUpkeep`). */
function cookieUpkeepDue(p: ProxyContext, refused: CookieHeaderVerdict['refused']): boolean {
  return (refused.length > 0 && shouldExpireOnRequest(p.request.headers)) || (p.visit.resign && p.visit.consent.decided);
}

/**
 * On a page view: expire the refused cookies the browser sent (docs/enforcement.md, document navigations
 * only), and re-sign a consent cookie signed with the previous key. Never throws.
 */
async function appendCookieUpkeep(p: ProxyContext, headers: Headers, refused: CookieHeaderVerdict['refused']): Promise<void> {
  if (!cookieUpkeepDue(p, refused)) return;
  const { url } = p;
  try {
    if (refused.length && shouldExpireOnRequest(p.request.headers)) {
      const expiry = { hostname: url.hostname, https: url.protocol === 'https:' };
      // Bounded: a forged Cookie header of thousands of names must not produce a response too
      // large to deliver; the rest are expired on the next page views.
      const some = refused.slice(0, MAX_EXPIRED_PER_RESPONSE);
      for (const line of expireRefusedCookies(some, p.policy, expiry)) headers.append('set-cookie', line);
    }
    const secrets = consentSecrets(p.env);
    const { prior, resign, consent } = p.visit;
    if (resign && secrets && prior && consent.decided) {
      for (const line of await consentCookieHeaders(p.policy, url, prior, secrets.current)) headers.append('set-cookie', line);
    }
  } catch (error) {
    log('cookie-expiry.error', { path: url.pathname, error: String(error) });
  }
}

/**
 * The worker's own pages (policy, preferences, receipt) are page views too: the same cookie
 * upkeep as on proxied pages, from the visit's verdict on the `Cookie` header.
 * @example
 * app.use('/cookie-policy', workerPageUpkeep);
 */
export const workerPageUpkeep: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.req.method !== 'GET') return;
  const p = honoProxyContext(c);
  await appendCookieUpkeep(p, c.res.headers, requestCookies(p).refused);
};

/**
 * Enforces consent on the origin's response. A response with nothing to enforce (no
 * `Set-Cookie`, no cookie upkeep, not a page to rewrite) passes as fetched, without a copy.
 */
export async function enforceResponse(p: ProxyContext, response: Response, request: RequestEnforcement): Promise<Response> {
  const { policy, url } = p;
  const { consent, allowed } = p.visit;
  const ours304 = response.status === 304 && request.conditionals.ours;
  // HEAD answers with the headers GET would have (RFC 9110 §9.3.2), without a body to rewrite.
  const head = p.request.method === 'HEAD';
  const eligibility = htmlEligibility({
    method: head ? 'GET' : p.request.method,
    status: response.status,
    headers: response.headers,
    hasBody: () => head || response.body !== null,
    path: url.pathname,
    bypass: policy.policy.paths.bypass,
  });
  if (!eligibility.rewrite && eligibility.html && !ours304) log('html.skip', { path: url.pathname, reason: eligibility.reason });
  const upkeep = cookieUpkeepDue(p, request.cookies.refused);
  if (!eligibility.rewrite && !ours304 && !upkeep && !response.headers.has('set-cookie')) return response;

  // A fetched response's headers are immutable: enforce on a copy.
  const headers = new Headers(response.headers);
  filterResponseSetCookies(p, headers);
  if (upkeep) await appendCookieUpkeep(p, headers, request.cookies.refused);
  const init = { status: response.status, statusText: response.statusText, headers };

  // A 304 answering our own validator keeps the state-specific ETag.
  if (ours304) {
    const etag = stateEtag(headers.get('etag'), request.tag);
    if (etag) headers.set('etag', etag);
    return new Response(null, init);
  }
  if (!eligibility.rewrite) return new Response(response.body, init);
  if (head) {
    rewrittenHeaders(headers, request.tag);
    return new Response(null, init);
  }
  try {
    const csp = headers.get('content-security-policy');
    const input = {
      policy,
      consent,
      locale: p.visit.locale,
      nonce: scriptNonce(csp),
      styleNonce: styleNonce(csp),
      returnTo: url.pathname + url.search,
    };
    const headPart = headMarkup(input);
    const bodyPart = bodyMarkup(input);
    const charsetInHeader = /;\s*charset\s*=/i.test(headers.get('content-type') ?? '');
    const charset = charsetOf(headers.get('content-type'));
    // The body's length as it will be read: known when the runtime does not decode it.
    const declared = headers.get('content-length');
    const bodyLength = declared && !headers.has('content-encoding') ? Number(declared) : null;
    rewrittenHeaders(headers, request.tag);
    const allAllowed = policy.optional.every((id) => allowed.has(id));
    // Everything allowed and no undeclared source to hold: a splice after <head> does what a full
    // parse would.
    if (charsetInHeader && allAllowed && !policy.holdsUndeclared) {
      const spliced = await spliceHtml(response.body, init, headPart, bodyPart, bodyLength);
      if (spliced.ok) return spliced.response;
      return originBodyFailed(url.pathname, spliced.error);
    }
    // Under `undeclaredSources: block` that is known only of a page read whole at once that opens
    // with <head> and has no tag, under any reading of it, that would be held or would get a
    // placeholder's id: such a page is spliced too, any other takes the full pass.
    const untouched =
      charsetInHeader && allAllowed && /^utf-?8$/i.test(charset ?? '')
        ? (page: Uint8Array) => {
            const verdict = tagVerdict(policy, url);
            return holdsNothing(page, (kind, attribute) => {
              const category = verdict(kind, attribute);
              if (policy.refuses(category, allowed)) return category;
              return category && kind !== 'link' && wantsPlaceholder(kind, attribute) ? category : undefined;
            });
          }
        : undefined;
    // The rewriter reads the page through a model of its parser: what it would give up on, it
    // never sees (src/html/feed.ts); the body's first read also tells an origin that failed
    // before sending anything.
    const fed = response.body
      ? await feedRewriter(response.body, {
          length: bodyLength,
          charset,
          untouched,
          gate: (reason) => {
            log('html.fallback', { path: url.pathname, reason });
            return new InertGate(refusedTags(policy, allowed, url), charset);
          },
        })
      : null;
    if (fed && !fed.ok) return originBodyFailed(url.pathname, fed.error);
    // After the <head> tag as the tokenizer reads it (a `>` in a quoted attribute does not end it).
    if (fed?.whole) return new Response(spliceWhole(fed.whole, headPart, bodyPart, fed.headEnd), init);
    return rewriteHtml(new Response(fed ? fed.body : null, init), {
      policy,
      allowed,
      // Read once: a URL serialises its href and origin on every read.
      page: { href: url.href, origin: url.origin },
      head: headPart,
      body: bodyPart,
      charsetInHeader,
      headFirst: fed?.headFirst,
      onError: (error) => log('html.error', { path: url.pathname, error: String(error) }),
      onSkip: (reason) => log('html.skip', { path: url.pathname, reason }),
      onUndeclared: (kind, src) => {
        const source = resolveUrl(src, url.href);
        if (source) noteUndeclared(p.env, p.ctx, [source.href], kind, url.pathname);
      },
      placeholder: (held) => placeholderMarkup({ policy, locale: p.visit.locale, returnTo: input.returnTo, page: url }, held),
      rest: fed?.rest,
    });
  } catch (error) {
    log('html.error', { path: url.pathname, error: String(error) });
    return new Response(response.body, init);
  }
}
