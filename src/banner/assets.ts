/**
 * `GET <prefix>/banner.js` and `<prefix>/banner.css`: the built client as the compiled
 * policy carries it (the theme appended to the CSS; the policy's client part and a locale's texts
 * in the JS), immutable for a year at the current versioned URL, briefly cached otherwise.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { ifNoneMatchHit } from '../http/etag';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=300';

/**
 * Routes for the two assets, mounted under the prefix by the app.
 * @example app.route(policy.policy.paths.prefix, bannerAssetRoutes())
 */
export function bannerAssetRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const serve = (kind: 'js' | 'css') =>
    app.get(`/banner.${kind}`, (c) => {
      const { assets, policy } = c.get('policy');
      const v = c.req.query('v') ?? '';
      // banner.js is one per locale: `?v=<version>.<locale>`, the default locale's `?v=<version>`.
      const dot = v.indexOf('.');
      const locale = kind === 'js' && dot !== -1 ? v.slice(dot + 1) : policy.defaultLocale;
      const current = kind === 'js' ? assets.jsQuery(locale) : assets.cssVersion;
      const etag = `"${kind}-${current}"`;
      const headers = {
        'Content-Type': kind === 'js' ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
        'Cache-Control': v === current ? IMMUTABLE : SHORT,
        ETag: etag,
        'X-Content-Type-Options': 'nosniff',
      };
      if (ifNoneMatchHit(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers);
      return c.body(kind === 'js' ? assets.js(locale) : assets.css, 200, headers);
    });
  serve('js');
  serve('css');
  return app;
}
