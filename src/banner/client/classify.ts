/**
 * The browser's copy of the policy classifier (src/policy/compile.ts), over the compact JSON
 * in the state: which category a cookie name or a script/iframe URL belongs to, and whether
 * the visitor's consent lets it through. Pure, so it is unit-tested in Node.
 */
import { isDeletion as deletes, parseSetCookie } from '../../cookies/parse';
import type { ClientClassifier, PatternEntry } from './types';

const NAME_PREFIX = /^__(secure|host)-/i;
const CHUNK_SUFFIX = /\.\d{1,3}$/;

interface NameHit {
  category: string;
  pattern: string;
}

function lookupName(c: ClientClassifier, name: string): NameHit | undefined {
  const exact = c.cookies[name];
  if (exact !== undefined && Object.hasOwn(c.cookies, name)) return { category: exact, pattern: name };
  for (const [prefix, category] of c.cookiePrefixes) {
    if (name.startsWith(prefix)) return { category, pattern: `${prefix}*` };
  }
  return undefined;
}

/**
 * The category of a cookie name as a page script writes it, or undefined when undeclared.
 * @example cookieCategory(c, '__Secure-next-auth.session-token.1') // 'essential'
 */
export function cookieCategory(c: ClientClassifier, name: string): string | undefined {
  const bare = name.replace(NAME_PREFIX, '');
  const hit = lookupName(c, bare);
  if (hit) return hit.category;
  if (!CHUNK_SUFFIX.test(bare)) return undefined;
  const chunk = lookupName(c, bare.replace(CHUNK_SUFFIX, ''));
  return chunk && c.chunked.includes(chunk.pattern) ? chunk.category : undefined;
}

function matches(pattern: string, value: string): boolean {
  return pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : value === pattern;
}

/** Longest matching pattern wins, as on the server. */
function lookupSource(entries: PatternEntry[], urls: string[]): string | undefined {
  let best: PatternEntry | undefined;
  for (const entry of entries) {
    if (urls.some((u) => matches(entry[0], u)) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1];
}

/**
 * The category of a script or iframe source. Absolute patterns match the absolute URL; `/path`
 * patterns match same-origin URLs by path and query.
 * @example sourceCategory(c, 'script', 'https://checkout.razorpay.com/v1/checkout.js', 'https://a.com') // 'third-party'
 */
export function sourceCategory(c: ClientClassifier, kind: 'script' | 'iframe', src: string, origin: string): string | undefined {
  if (!src) return undefined;
  let url: URL;
  try {
    url = new URL(src, origin);
  } catch {
    return undefined;
  }
  const urls = [url.href];
  if (url.origin === origin) urls.push(url.pathname + url.search);
  return lookupSource(kind === 'script' ? c.scripts : c.iframes, urls);
}

/**
 * A `document.cookie` string that deletes: read with the server's RFC 6265bis parser, so a write
 * the browser stores (two-digit years, a later Max-Age, a malformed one) never passes as one.
 * @example isDeletion('_ga=1; max-age=0; max-age=60', Date.now()) // false: the last Max-Age wins
 */
export function isDeletion(cookie: string, now: number): boolean {
  const parsed = parseSetCookie(cookie);
  return parsed !== null && deletes(parsed, now);
}

/**
 * Whether a page script may write this `document.cookie` string under the allowed categories,
 * decided like the worker's Set-Cookie filter: deletions pass; what the browser would ignore is
 * dropped; a nameless cookie is undeclared.
 * @example cookieAllowed(c, { essential: true }, '_ga=x; path=/', Date.now()) // false
 */
export function cookieAllowed(c: ClientClassifier, allowed: Record<string, boolean>, cookie: string, now: number): boolean {
  const parsed = parseSetCookie(cookie);
  if (parsed === null) return false;
  if (deletes(parsed, now)) return true;
  const category = parsed.nameless ? undefined : cookieCategory(c, parsed.name);
  return category === undefined ? c.undeclared === 'allow' : allowed[category] === true;
}
