/**
 * Which responses the worker rewrites (docs/enforcement.md): HTML with a body, in an ASCII-compatible
 * charset, not a download, not a bypassed path. `Cache-Control: no-transform` does not stop it:
 * the worker acts for the origin, and skipping would let tags run.
 */

export type Eligibility = { rewrite: true } | { rewrite: false; reason: string; html: boolean };

const NO_BODY_STATUS = new Set([101, 204, 205, 206, 304]);
/** Charsets whose bytes are not ASCII-compatible: HTMLRewriter would misread the markup. */
const UNSAFE_CHARSET = /^(utf-?16|utf-?32|ucs-?2|ucs-?4|unicode)/i;

/** Whether a path matches a bypass list entry (exact path, or `prefix*`). */
export function isBypassed(path: string, bypass: readonly string[]): boolean {
  return bypass.some((entry) => (entry.endsWith('*') ? path.startsWith(entry.slice(0, -1)) : path === entry));
}

/**
 * Decides from the request method, the response head and the path alone (no body read).
 * @example
 * htmlEligibility({ method: 'GET', status: 200, headers, hasBody: () => true, path: '/', bypass: [] })
 */
export function htmlEligibility(input: {
  method: string;
  status: number;
  headers: Headers;
  /** Asked only of HTML responses: reading a fetched response's `body` has a cost. */
  hasBody: () => boolean;
  path: string;
  bypass: readonly string[];
}): Eligibility {
  const type = input.headers.get('content-type') ?? '';
  const [mime = '', ...params] = type.split(';');
  const html = mime.trim().toLowerCase() === 'text/html';
  if (!html) return { rewrite: false, reason: 'not text/html', html };
  if (input.method === 'HEAD') return { rewrite: false, reason: 'HEAD request', html };
  if (NO_BODY_STATUS.has(input.status)) return { rewrite: false, reason: `status ${input.status}`, html };
  if (!input.hasBody() || input.headers.get('content-length') === '0') return { rewrite: false, reason: 'empty body', html };
  if (/^\s*attachment/i.test(input.headers.get('content-disposition') ?? '')) return { rewrite: false, reason: 'attachment', html };
  const charset = params
    .map((p) => p.trim().split('='))
    .find(([key]) => key?.toLowerCase() === 'charset')?.[1]
    ?.replace(/"/g, '')
    .trim();
  if (charset && UNSAFE_CHARSET.test(charset)) return { rewrite: false, reason: `charset ${charset} is not ASCII-compatible`, html };
  if (isBypassed(input.path, input.bypass)) return { rewrite: false, reason: 'bypassed path', html };
  return { rewrite: true };
}
