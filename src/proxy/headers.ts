/**
 * Header rules of a transparent proxy: what is hop-by-hop (RFC 9110 §7.6.1), what the origin is
 * told about the client (X-Forwarded-*), and how a redirect to the origin host is made public.
 */

/** Hop-by-hop fields (RFC 9110 §7.6.1, RFC 9112 §9.6) never travel past one connection. */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];
const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z|~]+$/;

/** The request header that carries the allowed categories to the origin (SPEC §8). */
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
  /** Keep `Upgrade`/`Connection` for a WebSocket handshake. */
  websocket: boolean;
}

/**
 * Builds the headers sent to the origin: a native copy of the client's headers with the
 * hop-by-hop fields, the client's own `Cookie` and `Consent-Categories` replaced.
 * @example
 * forwardHeaders({ headers, url, cookie: 'a=1', consentCategories: 'essential', clientIp: null, websocket: false })
 */
export function forwardHeaders(input: ForwardHeaderInput): Headers {
  const { headers, url } = input;
  const out = new Headers(headers);
  stripHopByHop(out, input.websocket);
  out.delete(CONSENT_CATEGORIES_HEADER);
  if (input.cookie) out.set('cookie', input.cookie);
  else out.delete('cookie');
  out.set(CONSENT_CATEGORIES_HEADER, input.consentCategories);
  if (input.clientIp) {
    const prior = headers.get('x-forwarded-for');
    out.set('x-forwarded-for', prior ? `${prior}, ${input.clientIp}` : input.clientIp);
  }
  out.set('x-forwarded-proto', url.protocol.replace(':', ''));
  out.set('x-forwarded-host', url.host);
  return out;
}

/** The hop-by-hop fields present in `headers`: the fixed list plus those `Connection` names. */
export function hopByHopPresent(headers: Headers, websocket: boolean): string[] {
  const present: string[] = [];
  const connection = headers.get('connection');
  const named = connection ? connection.split(',').map((h) => h.trim().toLowerCase()) : [];
  for (const name of named.length ? [...HOP_BY_HOP, ...named] : HOP_BY_HOP) {
    if (!name || !TOKEN.test(name) || (websocket && (name === 'upgrade' || name === 'connection'))) continue;
    if (headers.has(name)) present.push(name);
  }
  return present;
}

/** Drops hop-by-hop fields (a WebSocket handshake keeps `Upgrade` and `Connection`). */
export function stripHopByHop(headers: Headers, websocket: boolean): void {
  for (const name of hopByHopPresent(headers, websocket)) headers.delete(name);
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
