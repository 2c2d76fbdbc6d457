/**
 * Reading the origin's Content-Security-Policy for a script nonce, so injected scripts run under
 * it (CSP3 §6.7: with `'strict-dynamic'`, `'self'` is ignored and only the nonce admits them), and
 * for a style nonce, so banner.css loads under a nonce-only `style-src`.
 */

/**
 * The nonce a page's CSP allows for scripts, if any: from `script-src-elem`, `script-src`, or
 * `default-src`, across every CSP header (all must allow a script, so any one's nonce is needed).
 * @example
 * scriptNonce("script-src 'nonce-abc' 'strict-dynamic'") // 'abc'
 */
export function scriptNonce(csp: string | null): string | undefined {
  return nonceFor(csp, ['script-src-elem', 'script-src', 'default-src']);
}

/**
 * The nonce a page's CSP allows for stylesheets (the injected banner.css `<link>`), if any: from
 * `style-src-elem`, `style-src`, or `default-src`, read like `scriptNonce`.
 * @example
 * styleNonce("default-src 'self'; style-src 'nonce-abc'") // 'abc'
 */
export function styleNonce(csp: string | null): string | undefined {
  return nonceFor(csp, ['style-src-elem', 'style-src', 'default-src']);
}

/** The first nonce of the first directive present among `fallbacks` (CSP3 fallback order). */
function nonceFor(csp: string | null, fallbacks: readonly string[]): string | undefined {
  if (!csp) return undefined;
  for (const policy of csp.split(',')) {
    const directives = new Map<string, string[]>();
    for (const directive of policy.split(';')) {
      const [name, ...values] = directive.trim().split(/\s+/);
      if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), values);
    }
    let sources: string[] = [];
    for (const name of fallbacks) {
      const found = directives.get(name);
      if (found) {
        sources = found;
        break;
      }
    }
    for (const source of sources) {
      const match = /^'nonce-([A-Za-z0-9+/=_-]+)'$/.exec(source);
      if (match?.[1]) return match[1];
    }
  }
  return undefined;
}
