/**
 * `GET <prefix>/banner.js` and `<prefix>/banner.css`: the built client as the compiled
 * policy carries it (the theme appended to the CSS), immutable for a year at the current versioned
 * URL, briefly cached otherwise.
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
      const { js, css, version } = c.get('policy').assets;
      const etag = `"${kind}-${version}"`;
      const headers = {
        'Content-Type': kind === 'js' ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
        'Cache-Control': c.req.query('v') === version ? IMMUTABLE : SHORT,
        ETag: etag,
        'X-Content-Type-Options': 'nosniff',
      };
      if (ifNoneMatchHit(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers);
      return c.body(kind === 'js' ? js : css, 200, headers);
    });
  serve('js');
  serve('css');
  return app;
}
