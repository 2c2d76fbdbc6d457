/**
 * Reading the origin's Content-Security-Policy for a script nonce, so injected scripts run under
 * it (CSP3 §6.7: with `'strict-dynamic'`, `'self'` is ignored and only the nonce admits them).
 */

/**
 * The nonce a page's CSP allows for scripts, if any: from `script-src-elem`, `script-src`, or
 * `default-src`, across every CSP header (all must allow a script, so any one's nonce is needed).
 * @example
 * scriptNonce("script-src 'nonce-abc' 'strict-dynamic'") // 'abc'
 */
export function scriptNonce(csp: string | null): string | undefined {
  if (!csp) return undefined;
  for (const policy of csp.split(',')) {
    const directives = new Map<string, string[]>();
    for (const directive of policy.split(';')) {
      const [name, ...values] = directive.trim().split(/\s+/);
      if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), values);
    }
    const sources = directives.get('script-src-elem') ?? directives.get('script-src') ?? directives.get('default-src') ?? [];
    for (const source of sources) {
      const match = /^'nonce-([A-Za-z0-9+/=_-]+)'$/.exec(source);
      if (match?.[1]) return match[1];
    }
  }
  return undefined;
}
