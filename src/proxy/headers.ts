/**
 * Header rules of a transparent proxy: what is hop-by-hop (RFC 9110 §7.6.1), what the origin is
 * told about the client (X-Forwarded-*), and how a redirect to the origin host is made public.
 */

/**
 * Hop-by-hop fields (RFC 9110 §7.6.1, RFC 9112 §9.6) never travel past one connection. The
 * Workers runtime's HTTP layer handles these itself: it sends none of them to the origin on a
 * subrequest and none of a response's to the client (checked on workerd), so the worker leaves
 * them alone and saves a header copy on almost every response.
 */
const RUNTIME_HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** The rest of the list, which the runtime passes on: the worker drops these. */
const PROXY_HOP_BY_HOP = ['proxy-connection', 'proxy-authenticate', 'proxy-authorization'];
const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z|~]+$/;

/** The request header that carries the allowed categories to the origin (docs/wire-formats.md). */
export const CONSENT_CATEGORIES_HEADER = 'consent-categories';

export interface ForwardHeaderInput {
  /** The client's request headers. */
  headers: Headers;
  /** The public URL the client asked for. */
  url: URL;
  /** `Cookie` to forward, already filtered; null removes it. */
  cookie: string | null;
  /** Allowed categories, e.g. `essential, functional`. */
  consentCategories: string;
  /** The client's IP address (CF-Connecting-IP), when known. */
  clientIp: string | null;
}

/**
 * Builds the headers sent to the origin: a native copy of the client's headers with the
 * hop-by-hop fields, the client's own `Cookie` and `Consent-Categories` replaced.
 * @example
 * forwardHeaders({ headers, url, cookie: 'a=1', consentCategories: 'essential', clientIp: null })
 */
export function forwardHeaders(input: ForwardHeaderInput): Headers {
  const { headers, url } = input;
  const out = new Headers(headers);
  for (const name of hopByHopPresent(out)) out.delete(name);
  if (input.cookie) out.set('cookie', input.cookie);
  else out.delete('cookie');
  // `set` replaces whatever the client sent: a client cannot claim consent.
  out.set(CONSENT_CATEGORIES_HEADER, input.consentCategories);
  if (input.clientIp) {
    const prior = headers.get('x-forwarded-for');
    out.set('x-forwarded-for', prior ? `${prior}, ${input.clientIp}` : input.clientIp);
  }
  out.set('x-forwarded-proto', url.protocol.replace(':', ''));
  out.set('x-forwarded-host', url.host);
  return out;
}

/**
 * The hop-by-hop fields in `headers` that the runtime would pass on: the proxy fields and any
 * other field the `Connection` header names. A few native calls, no copy.
 * @example
 * hopByHopPresent(new Headers({ connection: 'keep-alive, x-hop', 'x-hop': '1' })) // ['x-hop']
 */
export function hopByHopPresent(headers: Headers): string[] {
  const present: string[] = [];
  const connection = headers.get('connection');
  if (connection) {
    for (const raw of connection.split(',')) {
      const name = raw.trim().toLowerCase();
      if (TOKEN.test(name) && !RUNTIME_HOP_BY_HOP.has(name) && headers.has(name)) present.push(name);
    }
  }
  for (const name of PROXY_HOP_BY_HOP) if (headers.has(name)) present.push(name);
  return present;
}

/**
 * A redirect that points at the separate origin host is rewritten to the public host; any other
 * `Location` passes as the origin sent it.
 * @example
 * publicLocation('http://127.0.0.1:8788/a?b', new URL('http://127.0.0.1:8788'), new URL('https://x.com/'))
 * // 'https://x.com/a?b'
 */
export function publicLocation(location: string, origin: URL, publicUrl: URL): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return location;
  let target: URL;
  try {
    target = new URL(location);
  } catch {
    return location;
  }
  if (target.host !== origin.host || target.protocol !== origin.protocol) return location;
  // Keep the path, query and fragment exactly as the origin wrote them.
  const rest = location.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  return `${publicUrl.origin}${rest}`;
}
