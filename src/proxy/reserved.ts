/**
 * The worker's own paths, however a client spells them (docs/enforcement.md: nothing under the prefix, nor
 * the policy page, ever reaches the origin). Case, encoded slashes, `;` parameters, repeated or
 * trailing slashes must not smuggle a request past the worker's routes to the origin.
 */
import { foldPath } from '../http/path';

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
