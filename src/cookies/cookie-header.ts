/**
 * Request `Cookie` filtering (SPEC §5): drops declared cookies of refused categories before the
 * origin sees them, forwarding every other pair with its exact bytes, duplicates and order.
 */
import type { CompiledPolicy } from '../policy/compile';
import type { CategoryId } from '../policy/schema';
import { trimWsp } from './parse';

export interface RefusedCookie {
  /** The name as the browser sent it (`__Secure-` prefix and chunk suffix included). */
  name: string;
  category: CategoryId;
}

export interface CookieHeaderVerdict {
  /** The `Cookie` header to forward; `null` when nothing is left (drop the header). */
  forward: string | null;
  refused: RefusedCookie[];
  /** Names of undeclared cookies forwarded, once each; "" for nameless pairs. */
  undeclared: string[];
}

/**
 * Splits a `Cookie` header into its pairs, exact bytes kept (no decoding, duplicates kept); only
 * the whitespace around ";" is dropped, as the browser writes "; " between pairs (RFC 6265bis §5.8.3).
 * @example
 * cookiePairs('a=%20x; b="q";a=dup') // ['a=%20x', 'b="q"', 'a=dup']
 */
export function cookiePairs(header: string | null): string[] {
  if (!header) return [];
  const pairs: string[] = [];
  for (const piece of header.split(';')) {
    const pair = trimWsp(piece);
    if (pair !== '') pairs.push(pair);
  }
  return pairs;
}

/** A pair's cookie name; a pair without "=" is a nameless cookie (RFC 6265bis §5.8.3 step 4.1). */
export function pairName(pair: string): string {
  const equals = pair.indexOf('=');
  return equals === -1 ? '' : trimWsp(pair.slice(0, equals));
}

/** The cookie names of a request's `Cookie` header, in order, duplicates kept. */
export function cookieNames(header: string | null): string[] {
  return cookiePairs(header).map(pairName);
}

/**
 * Filters the request `Cookie` header in one pass. Undeclared and nameless cookies are forwarded
 * and reported (they may come from sibling subdomains; `block` applies to `Set-Cookie` only).
 * A pair whose classification throws is dropped (fail closed).
 * @example
 * filterCookieHeader('_ga=GA1.1; sid=1', new Set(['essential']), policy)
 * // { forward: 'sid=1', refused: [{ name: '_ga', category: 'analytics' }], undeclared: ['sid'] }
 */
export function filterCookieHeader(header: string | null, allowed: ReadonlySet<CategoryId>, policy: CompiledPolicy): CookieHeaderVerdict {
  const kept: string[] = [];
  const refused: RefusedCookie[] = [];
  const undeclared = new Set<string>();
  for (const pair of cookiePairs(header)) {
    try {
      const name = pairName(pair);
      const match = name === '' ? undefined : policy.classifyCookie(name);
      if (match === undefined) {
        undeclared.add(name);
        kept.push(pair);
      } else if (match.category === policy.required || allowed.has(match.category)) {
        kept.push(pair);
      } else {
        refused.push({ name, category: match.category });
      }
    } catch {
      // SPEC §7: fail closed on cookies; a pair that cannot be classified is not forwarded.
    }
  }
  return { forward: kept.length ? kept.join('; ') : null, refused, undeclared: [...undeclared] };
}
