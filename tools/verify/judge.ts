/**
 * The verdicts of `npm run verify`, as pure functions over what the crawl saw: a cookie or a
 * request that leaves the site is judged against the policy and the visitor's choice. A cookie of
 * a refused category, a request to a refused category's sources, and anything undeclared are
 * violations. No I/O: the crawl (crawl.ts) hands in plain data.
 */
import type { CompiledPolicy } from '../../src/policy/compile';
import type { CategoryId } from '../../src/policy/schema';

/** How a request came about, as the browser reports it. */
export type Initiator = 'parser' | 'script' | 'preload' | 'beacon' | 'image' | 'fetch' | 'iframe' | 'other';

export interface SeenRequest {
  url: string;
  /** The page (its URL) on which the request was made. */
  page: string;
  initiator: Initiator;
  /** The script or document that caused it, where the browser names one. */
  cause?: string;
}

export interface SeenCookie {
  name: string;
  domain: string;
  httpOnly: boolean;
  /** The first page after which it was in the jar. */
  page: string;
}

export type Violation =
  | { kind: 'cookie'; name: string; domain: string; category: CategoryId | null; page: string; httpOnly: boolean }
  | { kind: 'request'; url: string; host: string; category: CategoryId | null; page: string; initiator: Initiator; cause?: string }
  | { kind: 'decision'; page: string; message: string };

/** A cookie's category by its name (`__Secure-`/`__Host-` prefixes and chunks as declared), or null. */
export function cookieCategory(policy: CompiledPolicy, name: string): CategoryId | null {
  return policy.classifyCookie(name)?.category ?? null;
}

/** A request URL's category by the categories' source patterns (scripts, then iframes), or null. */
export function requestCategory(policy: CompiledPolicy, url: string): CategoryId | null {
  // An absolute URL that leaves the site: resolved on itself, and no same-origin `/path` pattern applies.
  const away = { href: url, origin: 'null' };
  // The core's request lookup (requests and scripts patterns), as banner.js judges the same request.
  const request = policy.classifier.request(url, away);
  const asRequest = request !== undefined && policy.isCategory(request) ? request : undefined;
  return asRequest ?? policy.classifySource('iframe', url, away) ?? null;
}

/** Whether a URL leaves the site: another scheme, host or port than the site's origin. */
export function leavesSite(site: URL, url: string): boolean {
  try {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:' && target.protocol !== 'ws:' && target.protocol !== 'wss:')
      return false;
    return target.host !== site.host;
  } catch {
    return false;
  }
}

/**
 * The violations among the cookies in the jar and the requests that left the site.
 * @example
 * judge(policy, new URL('https://example.com'), new Set(['essential']), cookies, requests)
 * // [{ kind: 'cookie', name: '_ga', category: 'analytics', ... }]
 */
export function judge(
  policy: CompiledPolicy,
  site: URL,
  allowed: ReadonlySet<CategoryId>,
  cookies: readonly SeenCookie[],
  requests: readonly SeenRequest[],
): Violation[] {
  const violations: Violation[] = [];
  for (const cookie of cookies) {
    const category = cookieCategory(policy, cookie.name);
    if (category && allowed.has(category)) continue;
    violations.push({ kind: 'cookie', name: cookie.name, domain: cookie.domain, category, page: cookie.page, httpOnly: cookie.httpOnly });
  }
  const reported = new Set<string>();
  for (const request of requests) {
    if (!leavesSite(site, request.url)) continue;
    const category = requestCategory(policy, request.url);
    if (category && allowed.has(category)) continue;
    const key = `${request.page} ${request.url} ${request.initiator}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const host = new URL(request.url).hostname;
    violations.push({
      kind: 'request',
      url: request.url,
      host,
      category,
      page: request.page,
      initiator: request.initiator,
      ...(request.cause ? { cause: request.cause } : {}),
    });
  }
  return violations;
}

/** One line for a violation, for the terminal and the report. */
export function describeViolation(v: Violation): string {
  const what = (category: CategoryId | null) => (category ? `${category} (refused)` : 'undeclared');
  switch (v.kind) {
    case 'cookie':
      return `cookie ${v.name} on ${v.domain}${v.httpOnly ? ' (HttpOnly)' : ''}: ${what(v.category)}, after ${v.page}`;
    case 'request':
      return `request to ${v.host}: ${what(v.category)}, ${v.initiator}${v.cause ? ` from ${v.cause}` : ''} on ${v.page} (${v.url})`;
    case 'decision':
      return `${v.message} on ${v.page}`;
  }
}

/** Hosts contacted, with how often, their category and how they were reached. */
export interface HostSummary {
  host: string;
  category: CategoryId | null;
  requests: number;
  initiators: Initiator[];
}

export function summariseHosts(policy: CompiledPolicy, site: URL, requests: readonly SeenRequest[]): HostSummary[] {
  const hosts = new Map<string, HostSummary>();
  for (const request of requests) {
    if (!leavesSite(site, request.url)) continue;
    const host = new URL(request.url).hostname;
    const entry = hosts.get(host) ?? { host, category: requestCategory(policy, request.url), requests: 0, initiators: [] };
    entry.requests += 1;
    if (!entry.initiators.includes(request.initiator)) entry.initiators.push(request.initiator);
    hosts.set(host, entry);
  }
  return [...hosts.values()].sort((a, b) => a.host.localeCompare(b.host));
}
