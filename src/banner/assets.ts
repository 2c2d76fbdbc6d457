/**
 * `GET <prefix>/banner.js`, `<prefix>/banner.css` and `<prefix>/dialog.css`: the built client as
 * the compiled policy carries it (the theme appended to banner.css; the policy's client part and a
 * locale's texts in the JS), immutable for a year at the current versioned URL, briefly cached
 * otherwise. dialog.css (the preferences dialog and page, the contextual prompt) shares
 * banner.css's version: banner.js links it on first use from banner.css's URL.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { ifNoneMatchHit } from '../http/etag';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=300';

/**
 * Routes for the three assets, mounted under the prefix by the app.
 * @example app.route(policy.policy.paths.prefix, bannerAssetRoutes())
 */
export function bannerAssetRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const serve = (name: 'banner.js' | 'banner.css' | 'dialog.css') =>
    app.get(`/${name}`, (c) => {
      const { assets, policy } = c.get('policy');
      const v = c.req.query('v') ?? '';
      const js = name === 'banner.js';
      // banner.js is one per locale: `?v=<version>.<locale>`, the default locale's `?v=<version>`.
      const dot = v.indexOf('.');
      const locale = js && dot !== -1 ? v.slice(dot + 1) : policy.defaultLocale;
      const current = js ? assets.jsQuery(locale) : assets.cssVersion;
      const kind = js ? 'js' : name === 'banner.css' ? 'css' : 'dialog-css';
      const etag = `"${kind}-${current}"`;
      const headers = {
        'Content-Type': js ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
        'Cache-Control': v === current ? IMMUTABLE : SHORT,
        ETag: etag,
        'X-Content-Type-Options': 'nosniff',
      };
      if (ifNoneMatchHit(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers);
      return c.body(js ? assets.js(locale) : kind === 'css' ? assets.css : assets.dialogCss, 200, headers);
    });
  serve('banner.js');
  serve('banner.css');
  serve('dialog.css');
  return app;
}
