/**
 * A request path folded the way lenient origin routers fold it (case, escapes, `;` parameters,
 * repeated and trailing slashes): what the worker's own paths and a category's first-party
 * endpoints are matched against, so no spelling slips past either.
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
