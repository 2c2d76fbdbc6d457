/**
 * Request `Cookie` filtering (docs/enforcement.md): drops declared cookies of refused categories before the
 * origin sees them, forwarding every other pair with its exact bytes, duplicates and order.
 */
import type { CompiledPolicy } from '../policy/compile';
import type { CategoryId } from '../policy/schema';
import { trimWsp } from '../core/set-cookie';

/** A declared cookie the browser sent. */
export interface SentCookie {
  /** The name as the browser sent it (`__Secure-` prefix and chunk suffix included). */
  name: string;
  category: CategoryId;
}

export type RefusedCookie = SentCookie;

export interface CookieHeaderVerdict {
  /** The `Cookie` header to forward; `null` when nothing is left (drop the header). */
  forward: string | null;
  refused: RefusedCookie[];
  /** Every declared cookie sent, forwarded or refused, in order: what a withdrawal may expire. */
  declared: SentCookie[];
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

/**
 * How the runtime joins repeated header fields (Fetch `Headers`): a client that sends two `Cookie`
 * fields (seen with `curl -H` twice through `wrangler dev`) reaches the worker as "a=1, _ga=2",
 * not "a=1; _ga=2".
 */
const JOINED = ', ';

/** A cookie name and its `=`: what starts a cookie from a second `Cookie` field (RFC 6265 §4.1.1 token). */
const PAIR_START = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+=/;

/**
 * Splits a pair at each ", " that starts another `name=`, so a cookie from a second `Cookie` field
 * (joined by the runtime with ", ") is judged on its own: neither smuggled to the origin inside
 * another cookie's value, nor dragged out with a refused one. RFC 6265 §4.1.1 keeps ", " out of
 * cookie values, so only a non-conforming value could be split; a ", " not followed by `name=`
 * is left alone.
 * @example
 * joinedPieces('a=1, _ga=2') // ['a=1', '_ga=2']
 * joinedPieces('x=a, b')     // ['x=a, b']
 */
function joinedPieces(pair: string): string[] {
  if (!pair.includes(JOINED)) return [pair];
  const pieces: string[] = [];
  let start = 0;
  let comma = pair.indexOf(JOINED);
  while (comma !== -1) {
    const next = comma + JOINED.length;
    if (PAIR_START.test(pair.slice(next, next + 256))) {
      pieces.push(pair.slice(start, comma));
      start = next;
    }
    comma = pair.indexOf(JOINED, next);
  }
  pieces.push(pair.slice(start));
  return pieces;
}

/**
 * Every value the browser sent for one cookie name, in order, at most `max`: a browser sends
 * several cookies of one name when they differ in Domain or Path (RFC 6265bis §5.8.3 step 2).
 * A value in double quotes comes back without them, as Hono's parser gives it.
 * @example
 * cookieValues('ce_consent=v1.a; x=1; ce_consent="v1.b"', 'ce_consent') // ['v1.a', 'v1.b']
 */
export function cookieValues(header: string | null, name: string, max = 8): string[] {
  const values: string[] = [];
  for (const pair of cookiePairs(header)) {
    for (const piece of joinedPieces(pair)) {
      if (values.length >= max) return values;
      if (pairName(piece) !== name) continue;
      const value = trimWsp(piece.slice(piece.indexOf('=') + 1));
      values.push(value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value);
    }
  }
  return values;
}

/**
 * Filters the request `Cookie` header in one pass. Undeclared and nameless cookies are forwarded
 * and reported (they may come from sibling subdomains; `block` applies to `Set-Cookie` only).
 * A pair whose classification throws is dropped (fail closed).
 * @example
 * filterCookieHeader('_ga=GA1.1; sid=1', new Set(['essential']), policy)
 * // { forward: 'sid=1', refused: [{ name: '_ga', category: 'analytics' }], declared: [{ name: '_ga', … }], undeclared: ['sid'] }
 */
export function filterCookieHeader(header: string | null, allowed: ReadonlySet<CategoryId>, policy: CompiledPolicy): CookieHeaderVerdict {
  const kept: string[] = [];
  const refused: RefusedCookie[] = [];
  const declared: SentCookie[] = [];
  const undeclared = new Set<string>();
  for (const pair of cookiePairs(header)) {
    // Usually one piece; rejoined with ", " unchanged when nothing in it is refused.
    const keptPieces: string[] = [];
    for (const piece of joinedPieces(pair)) {
      try {
        const name = pairName(piece);
        const match = name === '' ? undefined : policy.classifyCookie(name);
        if (match === undefined) {
          undeclared.add(name);
          keptPieces.push(piece);
          continue;
        }
        const sent = { name, category: match.category };
        declared.push(sent);
        if (match.category === policy.required || allowed.has(match.category)) keptPieces.push(piece);
        else refused.push(sent);
      } catch {
        // docs/failures.md: fail closed on cookies; a pair that cannot be classified is not forwarded.
      }
    }
    if (keptPieces.length) kept.push(keptPieces.join(JOINED));
  }
  return { forward: kept.length ? kept.join('; ') : null, refused, declared, undeclared: [...undeclared] };
}
