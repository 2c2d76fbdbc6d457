/**
 * `GET <prefix>/preferences` (docs/enforcement.md): the preferences page that works without JavaScript, and
 * with `?fragment=1` the same form as the `<dialog>` banner.js inserts when a visitor opens it.
 */
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { asciiHtml } from '../../banner/encode';
import { safeReturnPath } from '../../consent/actions';
import type { AppEnv } from '../../env';
import { PreferencesDialog, PreferencesPage } from './view';

/** No script at all; styles from the same-origin banner.css and dialog.css only. */
const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  referrerPolicy: 'same-origin',
  crossOriginResourcePolicy: 'same-origin',
});

/**
 * The preferences route, mounted under the prefix after the middleware that sets `policy` and
 * `visit`.
 * @example app.route(prefix, preferencesRoutes()) // GET /__consent/preferences
 */
export function preferencesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/preferences', pageHeaders, (c) => {
    const { policy, visit } = c.var;
    const props = {
      policy,
      consent: visit.consent,
      locale: visit.locale,
      returnTo: safeReturnPath(c.req.query('return')),
    };
    const fragment = c.req.query('fragment') === '1';
    const body = fragment ? String(<PreferencesDialog {...props} />) : `<!doctype html>${String(<PreferencesPage {...props} />)}`;
    c.header('Cache-Control', 'private, no-store');
    c.header('Vary', 'Cookie, Accept-Language');
    return c.html(asciiHtml(body));
  });
  return app;
}
