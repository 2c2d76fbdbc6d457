/**
 * Domain matching (RFC 6265bis §5.1.3): whether a cookie with `Domain=<domain>` can be set from,
 * and is sent to, a host. A browser ignores a `Set-Cookie` whose Domain the host does not match.
 */

/** An IPv4 or bracketed IPv6 host: these only ever match themselves. */
const IP_HOST = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i;

/**
 * Whether `host` is `domain` or a subdomain of it (case-insensitive, a leading dot ignored).
 * @example
 * domainMatches('app.trackncloak.com', 'trackncloak.com') // true
 * domainMatches('preview.pages.dev', 'trackncloak.com')   // false
 */
export function domainMatches(host: string, domain: string): boolean {
  const h = host.toLowerCase();
  const d = domain.replace(/^\./, '').toLowerCase();
  if (d === '') return false;
  if (h === d) return true;
  return !IP_HOST.test(h) && h.endsWith(`.${d}`);
}
