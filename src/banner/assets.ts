/**
 * `GET <prefix>/banner.js` and `<prefix>/banner.css`, and `<prefix>/dialog.js` and
 * `<prefix>/dialog.css` (what only the preferences dialog and the contextual prompt need, fetched
 * by banner.js when one is first shown): the built client as the compiled policy carries it (the
 * theme appended to banner.css; the policy's client part and a locale's texts in banner.js),
 * immutable for a year at the current versioned URL, briefly cached otherwise. The dialog's pair
 * shares banner.css's version: banner.js takes it from banner.css's URL.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { ifNoneMatchHit } from '../http/etag';
import type { BannerAssets } from '../policy/compile';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=300';
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** The static three: their entity tag's kind, type and body. */
const STATIC: Record<string, [kind: string, type: string, body: (assets: BannerAssets) => string]> = {
  'banner.css': ['css', CSS, (a) => a.css],
  'dialog.css': ['dialog-css', CSS, (a) => a.dialogCss],
  'dialog.js': ['dialog-js', JS, (a) => a.dialogJs],
};

/**
 * Routes for the four assets, mounted under the prefix by the app.
 * @example app.route(policy.policy.paths.prefix, bannerAssetRoutes())
 */
export function bannerAssetRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const name of ['banner.js', ...Object.keys(STATIC)])
    app.get(`/${name}`, (c) => {
      const { assets, policy } = c.get('policy');
      const v = c.req.query('v') ?? '';
      // banner.js is one per locale: `?v=<version>.<locale>`, the default locale's `?v=<version>`.
      const dot = v.indexOf('.');
      const locale: string = !STATIC[name] && dot !== -1 ? v.slice(dot + 1) : policy.defaultLocale;
      const [kind, type, body] = STATIC[name] ?? ['js', JS, (a: BannerAssets) => a.js(locale)];
      const current = kind === 'js' ? assets.jsQuery(locale) : assets.cssVersion;
      const etag = `"${kind}-${current}"`;
      const headers = {
        'Content-Type': type,
        'Cache-Control': v === current ? IMMUTABLE : SHORT,
        ETag: etag,
        'X-Content-Type-Options': 'nosniff',
      };
      if (ifNoneMatchHit(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers);
      return c.body(body(assets), 200, headers);
    });
  return app;
}
