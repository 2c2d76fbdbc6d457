/** Cookie enforcement rules (SPEC §5): pure functions over header strings, the policy and `now`. */
export { allowedSet } from './allowed';
export { cookieNames, cookiePairs, filterCookieHeader, pairName } from './cookie-header';
export type { CookieHeaderVerdict, RefusedCookie } from './cookie-header';
export { parseCookieDate } from './date';
export { expireCategories, expireRefusedCookies, expireSentCookies, shouldExpireOnRequest } from './expire';
export type { ExpiryRequest } from './expire';
export { isDeletion, parseSetCookie, trimWsp } from './parse';
export type { ParsedSetCookie, SameSite, SetCookieAttributes } from './parse';
export { filterSetCookies } from './set-cookie';
export type { BlockedSetCookie, BlockReason, SetCookieVerdict } from './set-cookie';
