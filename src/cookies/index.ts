/**
 * Cookie enforcement rules: pure functions over header strings, the policy and `now`.
 * The browser's reading of a cookie write (RFC 6265bis) is in src/core, shared with banner.js.
 */
export { cookiePairs, cookieValues, filterCookieHeader, pairName } from './cookie-header';
export type { CookieHeaderVerdict, RefusedCookie, SentCookie } from './cookie-header';
export { parseCookieDate } from '../core/cookie-date';
export { domainMatches } from './domain';
export { expireCategories, expireRefusedCookies, shouldExpireOnRequest } from './expire';
export type { ExpiryRequest } from './expire';
export { isDeletion, parseSetCookie, trimWsp } from '../core/set-cookie';
export type { ParsedSetCookie, SameSite, SetCookieAttributes } from '../core/set-cookie';
export { filterSetCookies } from './set-cookie';
export type { BlockedSetCookie, BlockReason, SetCookieVerdict } from './set-cookie';
