/**
 * Expiring refused cookies in the browser (docs/enforcement.md): one deleting `Set-Cookie` per declared
 * variant (host-only or Domain, Path, name-prefix rules), since a browser only removes a cookie
 * whose name, domain and path all match (RFC 6265bis §5.7 step 23).
 */
import type { CompiledPolicy } from '../policy/compile';
import type { CategoryId } from '../policy/schema';
import type { RefusedCookie, SentCookie } from './cookie-header';
import { domainMatches } from './domain';

export interface ExpiryRequest {
  /** The request's host name (no port). */
  hostname: string;
  https: boolean;
}

/** Both, so old user agents that ignore Max-Age still delete (RFC 6265bis §5.6.1, §5.6.2). */
const EXPIRED = 'Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT';

/**
 * The deleting `Set-Cookie`s for refused cookies, one per declared variant, deduplicated. Cookies
 * declared on another domain (`otherDomain`) are never touched: the worker cannot reach them.
 * @example
 * expireRefusedCookies([{ name: '_ga', category: 'analytics' }], policy, { hostname: 'app.trackncloak.com', https: true })
 * // ['_ga=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/',
 * //  '_ga=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Domain=trackncloak.com']
 */
export function expireRefusedCookies(
  refused: ReadonlyArray<Pick<RefusedCookie, 'name'>>,
  policy: CompiledPolicy,
  request: ExpiryRequest,
): string[] {
  const out = new Set<string>();
  const host = request.hostname.toLowerCase();
  for (const { name } of refused) {
    for (const header of expiryVariants(name, policy, host)) out.add(header);
  }
  return [...out];
}

/**
 * After a decision: the deleting headers for the cookies of `categories` that the browser sent
 * (the `declared` cookies of the request's verdict, prefixed and chunked names included). The
 * required category is never expired here.
 * @example
 * expireCategories(['analytics'], visit.cookies.declared, policy, { hostname: 'trackncloak.com', https: true })
 * // deleting headers for `_ga` only
 */
export function expireCategories(
  categories: readonly CategoryId[],
  sent: readonly SentCookie[],
  policy: CompiledPolicy,
  request: ExpiryRequest,
): string[] {
  const wanted = new Set(categories);
  wanted.delete(policy.required);
  return expireRefusedCookies(
    sent.filter((cookie) => wanted.has(cookie.category)),
    policy,
    request,
  );
}

/** The deleting headers for one cookie name, or none when undeclared or on another domain. */
function expiryVariants(name: string, policy: CompiledPolicy, host: string): string[] {
  const match = name === '' ? undefined : policy.classifyCookie(name);
  if (!match || match.cookie.otherDomain !== undefined) return [];
  const lower = name.toLowerCase();
  // RFC 6265bis §4.1.3.2: a __Host- cookie exists only host-only, Secure, Path=/.
  if (lower.startsWith('__host-')) return [`${name}=; ${EXPIRED}; Path=/; Secure`];
  // §4.1.3.1: a __Secure- cookie must be set (so deleted) with Secure.
  const secure = lower.startsWith('__secure-') ? '; Secure' : '';
  const headers: string[] = [];
  for (const scope of match.cookie.scopes) {
    const domain = scopeDomain(scope.domain, host);
    if (domain === null) continue;
    headers.push(`${name}=; ${EXPIRED}; Path=${scope.path}${domain ? `; Domain=${domain}` : ''}${secure}`);
  }
  return headers;
}

/**
 * The Domain attribute for a declared scope on this host: "" for host-only, `null` when the
 * browser would reject it because the host does not domain-match (RFC 6265bis §5.1.3, §5.7).
 */
function scopeDomain(declared: string | undefined, host: string): string | null {
  if (declared === undefined) return '';
  if (declared === '$host') return host;
  const domain = declared.replace(/^\./, '').toLowerCase();
  return domainMatches(host, domain) ? domain : null;
}

/**
 * Whether to expire refused cookies on this request: on document navigations only
 * (`Sec-Fetch-Dest: document`, or a client that sends no Sec-Fetch-* header at all), so the
 * deletions are not repeated on every sub-resource.
 * @example
 * shouldExpireOnRequest(new Headers({ 'sec-fetch-dest': 'image' })) // false
 */
export function shouldExpireOnRequest(headers: Headers): boolean {
  const dest = headers.get('sec-fetch-dest');
  if (dest !== null) return dest.toLowerCase() === 'document';
  return headers.get('sec-fetch-mode') === null && headers.get('sec-fetch-site') === null && headers.get('sec-fetch-user') === null;
}
