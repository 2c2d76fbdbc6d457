/**
 * The worker's own paths, however a client spells them (docs/enforcement.md: nothing under the prefix, nor
 * the policy page, ever reaches the origin). Case, encoded slashes, `;` parameters, repeated or
 * trailing slashes must not smuggle a request past the worker's routes to the origin.
 */

const ESCAPES = /(?:%[0-9A-Fa-f]{2})+/g;

/**
 * Decodes one run of escapes; a run that is not valid UTF-8 keeps its non-ASCII escapes as written
 * but still decodes its ASCII ones, so one malformed escape cannot hide the rest of the path.
 */
function decodeRun(run: string): string {
  try {
    return decodeURIComponent(run);
  } catch {
    return run.replace(/%[0-7][0-9A-Fa-f]/g, (code) => String.fromCharCode(Number.parseInt(code.slice(1), 16)));
  }
}

/** A path folded the way lenient origin routers fold it. Never throws. */
export function foldPath(pathname: string): string {
  // The common case, nothing to decode or drop: only case and a trailing slash to fold.
  if (!/[%;\\]|\/\//.test(pathname)) return pathname.replace(/(.)\/+$/, '$1').toLowerCase();
  const path = pathname.replace(/%2f/gi, '/').replace(/%5c/gi, '/').replace(/\\/g, '/').replace(ESCAPES, decodeRun);
  return path
    .replace(/;[^/]*/g, '')
    .replace(/\/{2,}/g, '/')
    .replace(/(.)\/+$/, '$1')
    .toLowerCase();
}

/**
 * A check for the worker's own paths, with the fixed ones folded once: `prefix` and everything
 * under it, plus each of `exact` (the policy page, the GPC statement). One fold per request.
 * @example
 * const own = ownPaths('/__consent', ['/cookie-policy']);
 * own('/__CONSENT%2Fpolicy.json') // true
 */
export function ownPaths(prefix: string, exact: readonly string[]): (pathname: string) => boolean {
  const reservedPrefix = prefix.toLowerCase();
  const folded = new Set(exact.map(foldPath));
  return (pathname) => {
    const path = foldPath(pathname);
    return path === reservedPrefix || path.startsWith(`${reservedPrefix}/`) || folded.has(path);
  };
}
