/**
 * The `Set-Cookie` lines that carry the signed consent decision, shared by the
 * consent endpoints (a new decision) and page-view upkeep (re-signing with the current key).
 */
import { generateCookie } from 'hono/cookie';
import { domainMatches } from '../cookies/domain';
import type { CompiledPolicy } from '../policy/compile';
import { type ConsentDecision, signConsent } from './cookie';

/**
 * The configured Domain when this host is within it, else undefined (a host-only cookie): a
 * browser rejects a `Set-Cookie` whose Domain does not match the host (RFC 6265bis §5.7 step 10),
 * so on a preview or local host a Domain cookie would never be stored and no decision would stick.
 * @example
 * consentDomain(policy, 'app.trackncloak.com') // 'trackncloak.com' (with domain: 'trackncloak.com')
 * consentDomain(policy, 'my-branch.pages.dev') // undefined
 */
export function consentDomain(policy: CompiledPolicy, hostname: string): string | undefined {
  const { domain } = policy.policy.consentCookie;
  return domain && domainMatches(hostname, domain) ? domain.replace(/^\./, '') : undefined;
}

/**
 * The lines that store (or, for null, clear) the consent decision: the cookie in its scope for
 * this host, plus the deletion of the other variant the browser may hold (a host-only cookie from
 * before the Domain was configured), so that two cookies of one name never disagree.
 * @example
 * for (const line of await consentCookieHeaders(policy, url, outcome.decision, secrets.current)) headers.append('set-cookie', line);
 * // ['ce_consent=v1.3.functional+analytics.…; Max-Age=15724800; Domain=trackncloak.com; Path=/; …',
 * //  'ce_consent=; Max-Age=0; Path=/; …'] (a host-only copy expired)
 */
export async function consentCookieHeaders(
  policy: CompiledPolicy,
  url: URL,
  decision: ConsentDecision | null,
  secret: string,
): Promise<string[]> {
  const { name, lifetimeDays } = policy.policy.consentCookie;
  const domain = consentDomain(policy, url.hostname);
  const options = { path: '/', sameSite: 'Lax' as const, secure: url.protocol === 'https:', httpOnly: false };
  const expire = (scope: string | undefined) => generateCookie(name, '', { ...options, domain: scope, maxAge: 0, expires: new Date(0) });
  // With a Domain, the host-only variant is the other one; without, there is only one this host can name.
  const others = domain ? [expire(undefined)] : [];
  if (!decision) return [expire(domain), ...others];
  // The value goes out raw, as the wire format writes it (`functional+analytics`): every character is a
  // valid cookie-octet, and generateCookie would percent-encode the `+` separators.
  const attributes = generateCookie(name, '', { ...options, domain, maxAge: lifetimeDays * 86_400 }).slice(name.length + 1);
  return [`${name}=${await signConsent(decision, secret)}${attributes}`, ...others];
}
