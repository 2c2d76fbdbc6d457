/**
 * Reads one `Set-Cookie` header the way a browser does (RFC 6265bis §5.6), so the worker
 * classifies the cookie the browser will actually store, and knows when a header deletes one.
 * The verdict on a write needs only the pair and the lifetime (`parseCookiePair`,
 * `parseLifetime`), which is all banner.js carries; `parseSetCookie` reads every attribute.
 */
import { parseCookieDate } from './cookie-date';

export type SameSite = 'Strict' | 'Lax' | 'None';

export interface SetCookieAttributes {
  /** UTC milliseconds (§5.6.1); absent when missing or unparseable. */
  expires?: number;
  /** Delta seconds (§5.6.2); may be <= 0, which deletes. */
  maxAge?: number;
  /** Lowercased, leading "." removed (§5.6.3). */
  domain?: string;
  /** Absent when missing or not starting with "/" (the browser uses the default path, §5.6.4). */
  path?: string;
  secure: boolean;
  httpOnly: boolean;
  /** Absent when missing or unrecognised (the browser's "Default" enforcement, §5.6.7). */
  sameSite?: SameSite;
}

/** The attributes that say how long a cookie lives, so whether a write deletes it. */
export type CookieLifetime = Pick<SetCookieAttributes, 'expires' | 'maxAge'>;

/** The name-value pair of a `Set-Cookie` (§5.6 steps 1 to 5) and what follows it. */
export interface CookiePair {
  name: string;
  /** Exactly as sent after trimming: quotes kept, nothing decoded. */
  value: string;
  /** No name: `Set-Cookie: x` or `Set-Cookie: =x` (§5.6 step 3). */
  nameless: boolean;
  /** Everything after the first ";" (§5.6 "unparsed-attributes"). */
  unparsed: string;
}

export interface ParsedSetCookie {
  name: string;
  /** Exactly as sent after trimming: quotes kept, nothing decoded. */
  value: string;
  attributes: SetCookieAttributes;
  /** No name: `Set-Cookie: x` or `Set-Cookie: =x` (§5.6 step 3). */
  nameless: boolean;
}

/** §5.6 step 1: CTLs other than HTAB make the browser ignore the whole header. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the control characters RFC 6265bis forbids is the point.
const FORBIDDEN_CTL = /[\x00-\x08\x0a-\x1f\x7f]/;
/** §5.6 step 5: name plus value over 4096 octets is ignored. */
const MAX_NAME_VALUE = 4096;
/** §5.6: attribute values over 1024 octets are ignored. */
const MAX_ATTRIBUTE_VALUE = 1024;
/** §5.6.2: "-"? DIGIT+ and nothing else. */
const DELTA_SECONDS = /^-?\d+$/;

/** Trims WSP (SP and HTAB) only, as §5.6 says; `String.prototype.trim` would also eat NBSP. */
export function trimWsp(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === ' ' || text[start] === '\t')) start++;
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * The name-value pair of a `Set-Cookie` header value. Returns `null` when a browser would ignore
 * the header entirely (forbidden control characters, oversize, empty name and value); never throws.
 * @example
 * parseCookiePair('_ga=GA1.1; Max-Age=60') // { name: '_ga', value: 'GA1.1', nameless: false, unparsed: ' Max-Age=60' }
 */
export function parseCookiePair(header: string): CookiePair | null {
  if (typeof header !== 'string' || FORBIDDEN_CTL.test(header)) return null;
  // §5.6 step 2: the name-value-pair ends at the first ";".
  const semicolon = header.indexOf(';');
  const pair = semicolon === -1 ? header : header.slice(0, semicolon);
  // §5.6 step 3: split at the first "="; without one the name is empty and it all is the value.
  const equals = pair.indexOf('=');
  const name = equals === -1 ? '' : trimWsp(pair.slice(0, equals));
  const value = trimWsp(equals === -1 ? pair : pair.slice(equals + 1));
  if (name.length + value.length > MAX_NAME_VALUE) return null;
  // §5.7 step 4 (storage model): a cookie with neither name nor value is ignored.
  if (name === '' && value === '') return null;
  return { name, value, nameless: name === '', unparsed: semicolon === -1 ? '' : header.slice(semicolon + 1) };
}

/**
 * Parses a `Set-Cookie` header value with all its attributes; `null` as `parseCookiePair` says.
 * @example
 * parseSetCookie('__Secure-sid="a=b"; Path=/; max-age=0')
 * // { name: '__Secure-sid', value: '"a=b"', nameless: false,
 * //   attributes: { path: '/', maxAge: 0, secure: false, httpOnly: false } }
 */
export function parseSetCookie(header: string): ParsedSetCookie | null {
  const pair = parseCookiePair(header);
  if (pair === null) return null;
  return { name: pair.name, value: pair.value, attributes: parseAttributes(pair.unparsed), nameless: pair.nameless };
}

/** §5.6 "unparsed-attributes": each `;`-separated av, its name lowercased; values over 1024 octets are skipped. */
function eachAttribute(unparsed: string, visit: (key: string, value: string) => void): void {
  for (const av of unparsed.split(';')) {
    const equals = av.indexOf('=');
    const key = trimWsp(equals === -1 ? av : av.slice(0, equals)).toLowerCase();
    const value = equals === -1 ? '' : trimWsp(av.slice(equals + 1));
    if (value.length <= MAX_ATTRIBUTE_VALUE) visit(key, value);
  }
}

/** Reads an Expires or Max-Age attribute into `into`; false for any other attribute. The last valid one wins. */
function readLifetime(into: CookieLifetime, key: string, value: string): boolean {
  if (key === 'expires') {
    // §5.6.1: an unparseable date is ignored, keeping any earlier Expires.
    const ms = parseCookieDate(value);
    if (ms !== undefined) into.expires = ms;
    return true;
  }
  if (key === 'max-age') {
    // §5.6.2: anything but an optional "-" and digits is ignored.
    if (DELTA_SECONDS.test(value)) into.maxAge = Number(value);
    return true;
  }
  return false;
}

/**
 * Expires and Max-Age of the unparsed attributes, read as `parseSetCookie` reads them.
 * @example
 * parseLifetime(' max-age=0; max-age=60') // { maxAge: 60 }
 */
export function parseLifetime(unparsed: string): CookieLifetime {
  const lifetime: CookieLifetime = {};
  eachAttribute(unparsed, (key, value) => readLifetime(lifetime, key, value));
  return lifetime;
}

function parseAttributes(unparsed: string): SetCookieAttributes {
  const attributes: SetCookieAttributes = { secure: false, httpOnly: false };
  eachAttribute(unparsed, (key, value) => {
    if (readLifetime(attributes, key, value)) return;
    switch (key) {
      case 'domain':
        // §5.6.3: an empty Domain is ignored; a leading "." is dropped; lowercased.
        if (value !== '') attributes.domain = (value.startsWith('.') ? value.slice(1) : value).toLowerCase();
        break;
      case 'path':
        // §5.6.4: a Path not starting with "/" means the default path, replacing an earlier one.
        attributes.path = value.startsWith('/') ? value : undefined;
        break;
      case 'secure':
        attributes.secure = true;
        break;
      case 'httponly':
        attributes.httpOnly = true;
        break;
      case 'samesite': {
        // §5.6.7: an unrecognised value means "Default", replacing an earlier one.
        const lower = value.toLowerCase();
        attributes.sameSite = lower === 'strict' ? 'Strict' : lower === 'lax' ? 'Lax' : lower === 'none' ? 'None' : undefined;
        break;
      }
    }
  });
  if (attributes.path === undefined) delete attributes.path;
  if (attributes.sameSite === undefined) delete attributes.sameSite;
  return attributes;
}

/**
 * Whether this `Set-Cookie` removes the cookie rather than stores one: Max-Age <= 0, or, when
 * there is no Max-Age (which wins over Expires, §5.7), an Expires not after `now`.
 * @example
 * isDeletion(parseSetCookie('a=; Max-Age=0')!, Date.now()) // true
 */
export function isDeletion(parsed: { attributes: CookieLifetime }, now: number): boolean {
  const { maxAge, expires } = parsed.attributes;
  if (maxAge !== undefined) return maxAge <= 0;
  return expires !== undefined && expires <= now;
}
