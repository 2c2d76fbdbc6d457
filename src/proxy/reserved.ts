/**
 * The worker's own paths, however a client spells them (SPEC §4: nothing under the prefix, nor
 * the policy page, ever reaches the origin). Case, encoded slashes, `;` parameters, repeated or
 * trailing slashes must not smuggle a request past the worker's routes to the origin.
 */

/** A path folded the way lenient origin routers fold it. Never throws. */
export function foldPath(pathname: string): string {
  // The common case, nothing to decode or drop: only case and a trailing slash to fold.
  if (!/[%;\\]|\/\//.test(pathname)) return pathname.replace(/(.)\/+$/, '$1').toLowerCase();
  let path = pathname.replace(/%2f/gi, '/').replace(/%5c/gi, '/').replace(/\\/g, '/');
  try {
    path = decodeURIComponent(path);
  } catch {
    // A malformed escape stays as written; the checks below still apply.
  }
  return path
    .replace(/;[^/]*/g, '')
    .replace(/\/{2,}/g, '/')
    .replace(/(.)\/+$/, '$1')
    .toLowerCase();
}

/**
 * @example
 * isReservedPath('/__CONSENT%2Fpolicy.json', '/__consent', '/cookie-policy') // true
 * isReservedPath('/cookie-policy-old', '/__consent', '/cookie-policy')       // false
 */
export function isReservedPath(pathname: string, prefix: string, policyPage: string): boolean {
  const path = foldPath(pathname);
  const reservedPrefix = prefix.toLowerCase();
  return path === reservedPrefix || path.startsWith(`${reservedPrefix}/`) || path === foldPath(policyPage);
}
