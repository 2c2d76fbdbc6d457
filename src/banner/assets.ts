/**
 * `GET <prefix>/banner.js` and `<prefix>/banner.css`, and `<prefix>/dialog.js` and
 * `<prefix>/dialog.css` (what only the preferences dialog and the contextual prompt need, fetched
 * by banner.js when one is first shown): the built client as the compiled policy carries it (the
 * theme appended to banner.css; the policy's client part and a locale's texts in banner.js, the
 * prompt's texts in dialog.js), immutable for a year at the current versioned URL, briefly cached
 * otherwise. dialog.js has banner.js's version, dialog.css banner.css's.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { ifNoneMatchHit } from '../http/etag';
import type { BannerAssets } from '../policy/compile';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=300';
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

interface Asset {
  /** Its entity tag's prefix. */
  kind: string;
  type: string;
  /** One per locale (`?v=<jsVersion>.<locale>`), or one for all (`?v=<cssVersion>`). */
  perLocale: boolean;
  body(assets: BannerAssets, locale: string): string;
}

const ASSETS: Record<string, Asset> = {
  'banner.js': { kind: 'js', type: JS, perLocale: true, body: (a, locale) => a.js(locale) },
  'banner.css': { kind: 'css', type: CSS, perLocale: false, body: (a) => a.css },
  'dialog.js': { kind: 'dialog-js', type: JS, perLocale: true, body: (a, locale) => a.dialogJs(locale) },
  'dialog.css': { kind: 'dialog-css', type: CSS, perLocale: false, body: (a) => a.dialogCss },
};

/**
 * Routes for the four assets, mounted under the prefix by the app.
 * @example app.route(policy.policy.paths.prefix, bannerAssetRoutes())
 */
export function bannerAssetRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const [name, asset] of Object.entries(ASSETS))
    app.get(`/${name}`, (c) => {
      const { assets, policy } = c.get('policy');
      const v = c.req.query('v') ?? '';
      // A script is one per locale: `?v=<version>.<locale>`, the default locale's `?v=<version>`.
      const dot = v.indexOf('.');
      const locale = asset.perLocale && dot !== -1 ? v.slice(dot + 1) : policy.defaultLocale;
      const current = asset.perLocale ? assets.jsQuery(locale) : assets.cssVersion;
      const etag = `"${asset.kind}-${current}"`;
      const headers = {
        'Content-Type': asset.type,
        'Cache-Control': v === current ? IMMUTABLE : SHORT,
        ETag: etag,
        'X-Content-Type-Options': 'nosniff',
      };
      if (ifNoneMatchHit(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers);
      return c.body(asset.body(assets, locale), 200, headers);
    });
  return app;
}
