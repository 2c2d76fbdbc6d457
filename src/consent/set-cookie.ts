/**
 * The `Set-Cookie` that carries the signed consent decision (SPEC §8), shared by the consent
 * endpoints (a new decision) and page-view upkeep (re-signing with the current key).
 */
import { generateCookie } from 'hono/cookie';
import type { CompiledPolicy } from '../policy/compile';
import { type ConsentDecision, signConsent } from './cookie';

/**
 * The Set-Cookie that stores (or, for null, clears) the consent decision.
 * @example
 * headers.append('set-cookie', await consentCookieHeader(policy, url, outcome.decision, secrets.current));
 * // the signed value (`v1.3.functional+analytics.…`) with Path=/, SameSite=Lax, Max-Age from the policy
 */
export async function consentCookieHeader(
  policy: CompiledPolicy,
  url: URL,
  decision: ConsentDecision | null,
  secret: string,
): Promise<string> {
  const { name, lifetimeDays, domain } = policy.policy.consentCookie;
  const secure = url.protocol === 'https:';
  const options = { path: '/', sameSite: 'Lax' as const, secure, domain, httpOnly: false };
  if (!decision) return generateCookie(name, '', { ...options, maxAge: 0, expires: new Date(0) });
  // The value goes out raw, as SPEC §8 writes it (`functional+analytics`): every character is a
  // valid cookie-octet, and generateCookie would percent-encode the `+` separators.
  const attributes = generateCookie(name, '', { ...options, maxAge: lifetimeDays * 86_400 }).slice(name.length + 1);
  return `${name}=${await signConsent(decision, secret)}${attributes}`;
}
